"""The emergency and help lines a resident sees with a crisis (DESIGN §4, §12): per neighbourhood (the `HelpLine`
rows an admin edits) and per reader's language, with when each line answers.

Defaults, for a neighbourhood without its own rows for a language: the Flemish lines (also for English readers, with
the explanation translated), and the French-language lines for French readers. Hours: 112, Zelfmoordlijn 1813,
Tele-Onthaal 106, the Centre de Prévention du Suicide and Télé-Accueil 107 answer day and night; 1712 answers by
phone on working days from 9:00 to 17:00 (Flemish Parliament, committee Welfare, 11 February 2020; 1712.be)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from burenhulp.core.models import HelpLine, Neighbourhood


@dataclass(frozen=True)
class Line:
    number: str
    label: str
    hours: str


DAY_AND_NIGHT = _("day and night")
WEEKDAYS = _("working days, 9:00 to 17:00")

FLEMISH = (
    ("112", _("Emergency: ambulance, fire brigade, police"), DAY_AND_NIGHT),
    ("1813", _("Zelfmoordlijn: talk about thoughts of suicide"), DAY_AND_NIGHT),
    ("106", _("Tele-Onthaal: someone to talk to"), DAY_AND_NIGHT),
    ("1712", _("Violence, abuse and child abuse"), WEEKDAYS),
)
FRENCH = (
    ("112", _("Emergency: ambulance, fire brigade, police"), DAY_AND_NIGHT),
    ("0800 32 123", _("Centre de Prévention du Suicide: talk about thoughts of suicide"), DAY_AND_NIGHT),
    ("107", _("Télé-Accueil: someone to talk to"), DAY_AND_NIGHT),
    ("1712", _("Violence, abuse and child abuse (a Flemish line, in Dutch)"), WEEKDAYS),
)
DEFAULTS = {"nl": FLEMISH, "en": FLEMISH, "fr": FRENCH}


def help_lines(buurt: Neighbourhood | None, language: str) -> list[Line]:
    """The lines for a reader of `language` in `buurt`: its own rows for that language (or for every language),
    else the defaults. Labels and hours of the defaults are in the active language."""
    lang = (language or "nl")[:2]
    if buurt is not None:
        rows = [r for r in HelpLine.objects.filter(buurt=buurt) if r.language[:2] in ("", lang)]
        if rows:
            return [Line(r.number, r.label, r.hours) for r in rows]
    return [Line(n, str(label), str(hours)) for n, label, hours in DEFAULTS.get(lang, FLEMISH)]
