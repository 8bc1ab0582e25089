"""Template filters for triage reasons: `{% load triage %}`, then `reasons|triage_words` and `reasons|written_in`."""

from __future__ import annotations

from typing import Any

from django import template

from matching.language import UNKNOWN
from matching.reasons import language_name
from matching.triage import describe_reasons

register = template.Library()


@register.filter
def triage_words(reasons: Any) -> list[str]:
    """Stored triage reasons in words, in the active language."""
    return [str(w) for w in describe_reasons(reasons or [])]


@register.filter
def written_in(reasons: Any) -> str:
    """The name of the language the language gate found ("Turkish"), "?" when it recognised none, "" when the gate
    did not raise the request."""
    for reason in reasons or []:
        if isinstance(reason, dict) and reason.get("rule") == "language":
            code = str(reason.get("lang") or UNKNOWN)
            name = language_name(code) if code != UNKNOWN else ""
            return name if name and name != code else "?"
    return ""
