"""Reason codes → words in the reader's language.

Proposals store reasons as codes with values (`{"code": "distance", "m": 200}`); this module renders them when they
are shown, in the active language: plain words for coordinators ("200 m away", "speaks French like the requester")
and friendly words for the volunteer ("you live 200 m away", "you both speak French").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Literal

from django.utils.formats import number_format
from django.utils.translation import get_language, get_language_info, gettext, ngettext

from burenhulp.core.categories import Category

Audience = Literal["coordinator", "volunteer"]


def language_name(code: str) -> str:
    """The language's name in the reader's language: capitalised in Dutch and English, lower case in French."""
    try:
        name = str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return name.lower() if (get_language() or "").startswith("fr") else name


def distance_band(metres: float) -> int:
    """The one rounding of a distance shown to anyone before an acceptance (the email, the page and the API; issue
    #14 I1): 50 m steps below a kilometre (at least 50 m), then 100 m steps."""
    if metres < 1000:
        return int(max(50, round(metres / 50.0) * 50))
    return int(round(metres / 100.0) * 100)


def distance_words(metres: float) -> str:
    """Rounded the way people speak (`distance_band`): metres below a kilometre, then km with one decimal."""
    band = distance_band(metres)
    if band < 1000:
        return gettext("%(n)s m") % {"n": band}
    return gettext("%(n)s km") % {"n": number_format(band / 1000.0, decimal_pos=1)}


def category_words(slug: str) -> str:
    try:
        return str(Category(slug).label).lower()
    except ValueError:
        return slug


def describe(reason: Mapping[str, Any], audience: Audience = "coordinator") -> str:
    """One reason in words."""
    code = reason.get("code", "")
    friendly = audience == "volunteer"
    if code == "distance":
        where = distance_words(float(reason.get("m", 0)))
        return gettext("you live %(d)s away") % {"d": where} if friendly else gettext("%(d)s away") % {"d": where}
    if code == "distance_unknown":
        return gettext("you live in the neighbourhood") if friendly else gettext("distance unknown (no address)")
    if code == "free":
        return gettext("you are not helping anyone else right now") if friendly else gettext("no other help now")
    if code == "load":
        n = int(reason.get("active", 0))
        if friendly:
            return ngettext("you are helping %(n)d other neighbour", "you are helping %(n)d other neighbours", n) % {
                "n": n
            }
        return ngettext("%(n)d active help", "%(n)d active helps", n) % {"n": n}
    if code == "strained":
        return gettext("you said recently it was a lot") if friendly else gettext("said recently it was too much")
    if code == "language":
        lang = language_name(str(reason.get("lang", "")))
        if friendly:
            return gettext("you both speak %(lang)s") % {"lang": lang}
        return gettext("speaks %(lang)s, like the requester") % {"lang": lang}
    if code == "continuity":
        n = int(reason.get("times", 1))
        if friendly:
            return gettext("you helped this neighbour before")
        return ngettext("helped this requester %(n)d time before", "helped this requester %(n)d times before", n) % {
            "n": n
        }
    if code == "reciprocity":
        what = category_words(str(reason.get("category", "")))
        if friendly:
            return gettext("this neighbour could help you too: %(what)s") % {"what": what}
        return gettext("the requester offers what this volunteer could use: %(what)s") % {"what": what}
    if code == "recently_active":
        return gettext("you were here recently") if friendly else gettext("active in the last 30 days")
    return str(code)


def describe_all(reasons: Iterable[Mapping[str, Any]], audience: Audience = "coordinator") -> list[str]:
    lang = get_language()
    out = []
    for r in reasons:
        try:
            out.append(_describe_in(lang, audience, tuple(sorted(r.items()))))
        except TypeError:  # an unhashable value: no cache
            out.append(describe(r, audience))
    return out


@lru_cache(maxsize=4096)
def _describe_in(lang: str | None, audience: Audience, items: tuple[tuple[str, Any], ...]) -> str:
    """`describe` remembered per active language: the same few hundred reasons come back on every ranking, and
    the words only depend on the reason and the language."""
    return describe(dict(items), audience)


def friendly_sentence(reasons: Iterable[Mapping[str, Any]]) -> str:
    """The volunteer's "why you" line: "you live 200 m away, you both speak French"."""
    shown = [
        r for r in reasons if r.get("code") in {"distance", "distance_unknown", "language", "continuity", "reciprocity"}
    ]
    return ", ".join(describe_all(shown, "volunteer"))


def describe_queue_reason(code: str) -> str:
    """Words for the queue reasons this area writes (the triage reasons are rendered by matching.triage)."""
    words = {
        "no_match": gettext("no neighbour found after the last round"),
        "no_candidates": gettext("no neighbour nearby offers this kind of help"),
        "follow_up_not_happened": gettext("the help did not happen"),
        "follow_up_too_much": gettext("the volunteer said it was too much"),
        "follow_up_hand_over": gettext("asked the coordinator to take this over"),
        "follow_up_requester_unhappy": gettext("the requester was not happy with how it went"),
    }
    return words.get(code, code)
