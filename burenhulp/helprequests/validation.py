"""What a resident typed when asking for help: checked in one place, for the ask form, the API and the workflow."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.core.categories import SLUGS
from burenhulp.helprequests.models import DESCRIPTION_MAX, Recurrence

#: The longest span a request may cover (a date range "from … until …"): longer help is a conversation with a
#: coordinator, not one request to neighbours.
MAX_SPAN = timedelta(days=28)
#: How far ahead a request may be planned: a neighbour's help is for the coming year (and a date such as 9999-12-31
#: would overflow the reminders and follow-ups computed from it).
HORIZON = timedelta(days=366)


def validate_request_input(
    *,
    category: str,
    description: str,
    window_start: datetime | None,
    window_end: datetime | None,
    recurrence: str = "",
    now: datetime | None = None,
) -> str:
    """Check a new request; returns the cleaned description or raises ValidationError per field."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    text = (description or "").strip()
    if category not in SLUGS:
        errors["category"] = _("Choose one of the kinds of help.")
    if not text:
        errors["description"] = _("Say in a few words what you need.")
    elif len(text) > DESCRIPTION_MAX:
        errors["description"] = _("Please keep it shorter: at most %(n)d characters.") % {"n": DESCRIPTION_MAX}
    if window_end is not None and window_start is None:
        errors["window_start"] = _("Say from when, too.")
    last = window_end if window_end is not None else window_start
    if window_start is not None and window_end is not None and window_end < window_start:
        errors["window_end"] = _("The end is before the start.")
    elif window_start is not None and window_end is not None and window_end - window_start > MAX_SPAN:
        errors["window_end"] = _("Help over more than four weeks: ask a coordinator. Choose a shorter period here.")
    elif last is not None and last < now:
        errors["window_end" if window_end is not None else "window_start"] = _("This moment has already passed.")
    elif last is not None and last > now + HORIZON:
        errors["window_end" if window_end is not None else "window_start"] = _(
            "Choose a moment within the coming year."
        )
    if recurrence not in Recurrence.values:
        errors["recurrence"] = _("Choose how often.")
    if errors:
        raise ValidationError(errors)
    return text
