"""One way to read an email address, everywhere (issue #14 M1).

An address is stored and compared in one form: Unicode NFKC, then case-folded (so `ſ` is `s` and `K` (Kelvin) is
`k`), without spaces around it. A new address must be plain ASCII after that and a valid address; anything else
(`ı`, Cyrillic look-alikes, control characters) is refused with a clear message. Storage (`User.save`), sign-in
(`UserManager.get_by_natural_key`, the allauth adapter, its lockout key), the token endpoint, sign-up and intake
all call these two functions, so one person has one spelling and one lockout counter.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 254
NOT_PLAIN = _("Use an email address written with plain letters (a to z), digits and the signs . _ - +")


def email_key(value: str) -> str:
    """The stored, compared form of an address (never raises): NFKC, case-folded, trimmed."""
    folded = unicodedata.normalize("NFKC", value or "").casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def normalize_email(value: str) -> str:
    """A new address in its stored form; ValidationError when email does not allow it or it is not plain ASCII."""
    key = email_key(value)
    if not key.isascii() or not key.isprintable() or len(key) > MAX_LENGTH:
        raise ValidationError(NOT_PLAIN, code="email_characters")
    validate_email(key)
    return key
