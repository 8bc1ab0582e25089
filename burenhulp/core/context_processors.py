from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from burenhulp.core.models import Language


def site(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {}
    buurt = getattr(request, "buurt", None)
    if buurt is not None:  # behind the coordinator gate (burenhulp.core.gates)
        context = {"current_buurt": buurt, "coordinator_buurten": getattr(request, "coordinator_buurten", [buurt])}
    return context | {
        "SITE_URL": settings.SITE_URL,
        # Each language named in itself, never translated, so everyone finds their own.
        "LANGUAGE_CHOICES": Language.choices,
        "is_coordinator": bool(getattr(request, "session", {}).get("is_coordinator")),
    }
