from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from burenhulp.core.branding import Brand, branding_for, buurt_for_request
from burenhulp.core.models import Language


def _branding(request: HttpRequest) -> Brand:
    cached = getattr(request, "_brand", None)
    if cached is None:
        try:
            cached = branding_for(buurt_for_request(request))
        except DatabaseError:  # a page (an error page) still renders, in the platform's own look
            cached = Brand()
        request._brand = cached  # type: ignore[attr-defined]
    return cached


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
        # Name, logo, colour, contact line and statements of the municipality or neighbourhood; read only when a
        # template uses it (pages, print templates: cards and posters).
        "branding": SimpleLazyObject(lambda: _branding(request)),
    }
