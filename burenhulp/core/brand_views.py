"""Public branding pages: the privacy and accessibility statements, the brand's colours as a small stylesheet (CSP
allows no inline styles) and its logo; the web app manifest."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from burenhulp.core.branding import DEFAULT_NAME, branding_row, buurt_for_request, darker
from burenhulp.core.models import Branding

A_YEAR = 365 * 24 * 3600


def _statement(request: HttpRequest, kind: str) -> HttpResponse:
    """The statement the municipality or neighbourhood wrote (as plain text), or our own when it wrote none."""
    row = branding_row(buurt_for_request(request))
    text = "" if row is None else (row.privacy_statement if kind == "privacy" else row.accessibility_statement)
    return render(request, "core/statement.html", {"kind": kind, "statement": text.strip()})


def privacy_statement(request: HttpRequest) -> HttpResponse:
    return _statement(request, "privacy")


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return _statement(request, "accessibility")


@cache_control(public=True, max_age=A_YEAR, immutable=True)
def brand_css(request: HttpRequest, pk: int, version: str) -> HttpResponse:
    """The brand's colours as CSS variables; the URL carries the version, so it is cached for a year."""
    row = get_object_or_404(Branding.objects.only("colour"), pk=pk)
    css = f":root {{ --brand: {row.colour}; --brand-dark: {darker(row.colour)}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@cache_control(public=True, max_age=A_YEAR, immutable=True)
def brand_logo(request: HttpRequest, pk: int, version: str) -> HttpResponse:
    row = get_object_or_404(Branding.objects.only("logo"), pk=pk)
    if not row.logo:
        raise Http404
    return HttpResponse(bytes(row.logo), content_type="image/png")


@cache_control(public=True, max_age=24 * 3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: a resident can put Burenhulp on the home screen of a phone."""
    return JsonResponse(
        {
            "name": DEFAULT_NAME,
            "short_name": DEFAULT_NAME,
            "start_url": "/dashboard/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1d5e3a",
            "lang": settings.LANGUAGE_CODE,
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            ],
        },
        content_type="application/manifest+json",
    )
