"""Per-user language, and the extra protections for coordinator accounts (second factor, short idle timeout)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import translation

from burenhulp.core.tenancy import coordinator_buurten

SESSION_LAST_SEEN = "coordinator_last_seen"
# Every signed-in session remembers when it was last used (to the minute, so a session is written at most once a
# minute); the coordinator gate reads the value from before this request (`request.last_seen_before`), so a user
# made coordinator while signed in gets the idle logout too (issue #14 M2).
SESSION_SEEN = "last_seen"
SEEN_GRANULARITY = 60
# Pages a coordinator may reach before enrolling a second factor.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/", "/favicon.ico", "/healthz", "/api/")
# API paths a browser session of a coordinator may call before enrolling; every other API call answers 403, so a
# browser session is no way around the second factor (token clients: see the token endpoint).
MFA_OPEN_API_PREFIXES = ("/api/v1/auth/", "/api/v1/schema/", "/api/v1/docs/", "/api/v1/categories/")
SIGNED_OUT_IDLE = "You were signed out after a while without activity. Please sign in again."
MFA_REQUIRED_DETAIL = (
    "Coordinators must set up two-factor authentication (sign in on the website) before using the API."
)


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's, so the choice follows them across devices.

    Runs before LocaleMiddleware: it reads the session's user id cheaply from the cookie-backed session and puts the
    saved language into the language cookie's place for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        saved = request.session.get("user_language") if hasattr(request, "session") else None
        if saved and translation.check_for_language(saved):
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = saved
        return self.get_response(request)


class CoordinatorSecurityMiddleware:
    """Coordinators see sensitive data: they must enrol a second factor, and idle sessions end sooner."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SESSION_SEEN)
            request.last_seen_before = seen  # type: ignore[attr-defined]
            if seen is None or now - int(seen) >= SEEN_GRANULARITY:
                request.session[SESSION_SEEN] = now
        if user.is_authenticated and request.session.get("is_coordinator") is None:
            request.session["is_coordinator"] = coordinator_buurten(user).exists()
        if user.is_authenticated and request.session.get("is_coordinator"):
            now = int(time.time())
            last = request.session.get(SESSION_LAST_SEEN, now)
            if now - int(last) > settings.COORDINATOR_IDLE_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": SIGNED_OUT_IDLE}, status=401)
                return redirect(settings.LOGIN_URL)
            request.session[SESSION_LAST_SEEN] = now
            if not request.path.startswith(MFA_EXEMPT_PREFIXES) and not has_totp(request):
                if _is_page_request(request):
                    return redirect("mfa_activate_totp")
                # Never redirect what is not a page (an icon, a script's fetch, a download): following it would
                # load the enrolment page behind the user's back. It is refused instead.
                return HttpResponse(MFA_REQUIRED_DETAIL, status=403, content_type="text/plain; charset=utf-8")
        # A browser session cannot use the API to get around enrolment. Token clients are governed by the token
        # endpoint instead (DESIGN §9): once a second factor is enrolled, a token needs the TOTP code too.
        if (
            request.path.startswith("/api/")
            and not request.path.startswith(MFA_OPEN_API_PREFIXES)
            and user.is_authenticated
            and request.session.get("is_coordinator")
            and not has_totp(request)
        ):
            return JsonResponse({"detail": MFA_REQUIRED_DETAIL}, status=403)
        return self.get_response(request)


def _is_page_request(request: HttpRequest) -> bool:
    """A browser asking for a page to show: GET or HEAD, and HTML among what it accepts."""
    if request.method not in {"GET", "HEAD"}:
        return False
    accept = request.headers.get("Accept", "")
    return "text/html" in accept or "application/xhtml+xml" in accept


def has_totp(request: HttpRequest, user: Any = None) -> bool:
    """Whether the signed-in user (the API's, for a token) has a TOTP factor; asked at most once per request, by this
    middleware and by the coordinator gate (`burenhulp.core.gates`) alike."""
    known = getattr(request, "has_totp", None)
    if known is None:
        who = user if user is not None else request.user
        known = Authenticator.objects.filter(user=who, type=Authenticator.Type.TOTP).exists()
        request.has_totp = known  # type: ignore[attr-defined]
    return bool(known)
