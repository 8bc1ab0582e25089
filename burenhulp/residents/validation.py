"""The Burenbox's field rules, in one place: the card form (pages), the coordinator's intake form and the API's
serializer all call these, so a rule changes once."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.residents.models import DayPart

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ./()-]{5,28}$")
LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}$")

# Languages offered as tick boxes, each named in itself so everyone finds their own.
LANGUAGE_OPTIONS: list[tuple[str, str]] = [
    ("nl", "Nederlands"),
    ("fr", "Français"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("bg", "Български"),
]
LANGUAGE_NAMES = dict(LANGUAGE_OPTIONS)


def validate_birthday(value: date | None) -> None:
    if value is None:
        return
    if value > timezone.localdate():
        raise ValidationError(_("A birthday cannot be in the future."), code="future")
    if value.year < 1900:
        raise ValidationError(_("Enter a birthday after 1900."), code="too_old")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value.strip()):
        raise ValidationError(_("Enter a phone number with digits only, such as 051 12 34 56."), code="phone")


def validate_pause_date(value: date | None) -> None:
    if value is not None and value < timezone.localdate():
        raise ValidationError(_("This date has passed. Choose a date from today on."), code="past")


def validate_name_characters(value: str) -> None:
    """No control characters (a line break, a carriage return, a tab, NUL…) in a name: a name goes into email
    headers and printed cards, where they break the line (finding L4)."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value or ""):
        raise ValidationError(_("A name cannot contain line breaks or other invisible characters."), code="control")


def clean_first_name(value: str, *, message: Any = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message or _("Enter a first name."), code="required")
    validate_name_characters(value)
    return value


def clean_last_name(value: str) -> str:
    value = (value or "").strip()
    validate_name_characters(value)
    return value


def clean_house_number(value: str) -> str:
    """One space between the parts, as people write it: "12 bus 3"."""
    return " ".join((value or "").split())


def language_is_known(code: str) -> bool:
    return bool(LANGUAGE_CODE_RE.match(code)) and (code in LANGUAGE_NAMES or code in LANG_INFO)


def clean_languages(codes: list[str]) -> list[str]:
    """Lower-case language codes, each once, in the given order; ValidationError naming the unknown ones."""
    cleaned = [c.strip().lower() for c in codes]
    unknown = [c for c in cleaned if not language_is_known(c)]
    if unknown:
        raise ValidationError(_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}, code="language")
    return list(dict.fromkeys(cleaned))


def availability_normalise(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sorted, without duplicates; each item {"day": 0..6, "part": DayPart}. Raises ValueError on bad items."""
    seen: set[tuple[int, str]] = set()
    for item in items:
        day, part = item.get("day"), item.get("part")
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6 or part not in DayPart.values:
            raise ValueError(item)
        seen.add((day, str(part)))
    order = {p: i for i, p in enumerate(DayPart.values)}
    return [{"day": d, "part": p} for d, p in sorted(seen, key=lambda x: (x[0], order[x[1]]))]
