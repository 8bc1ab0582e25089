"""The one coordinator gate, for pages and the API.

Signed in and coordinator of at least one neighbourhood; anyone else (a resident, a deactivated account, a
coordinator of no neighbourhood) is told "not found" (404), never "forbidden", so nothing is revealed — the same
answer as for an id of another neighbourhood. Behind the gate, `request.buurt` is the neighbourhood the coordinator
works in now (switchable) and `request.coordinator_buurten` all of theirs; templates get both as `current_buurt` and
`coordinator_buurten` (`burenhulp.core.context_processors.site`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from burenhulp.core.middleware import MFA_REQUIRED_DETAIL, SESSION_LAST_SEEN, SESSION_SEEN, has_totp
from burenhulp.core.models import Neighbourhood
from burenhulp.core.tenancy import coordinator_scope


class CoordinatorRequest(HttpRequest):
    """The request a view behind `coordinator_required` receives (for type checking)."""

    buurt: Neighbourhood
    coordinator_buurten: list[Neighbourhood]


def coordinator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Page views: sign in first (a redirect to the login page), then the gate (404)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        buurten, current = coordinator_scope(request)
        if current is None:
            raise Http404
        if session_idle(request):
            logout(request)
            return redirect(settings.LOGIN_URL)
        if not has_totp(request):
            return redirect("mfa_activate_totp")
        scoped = cast(CoordinatorRequest, request)
        scoped.coordinator_buurten, scoped.buurt = buurten, current
        return view(scoped, *args, **kwargs)

    return wrapped


class IsCoordinator(BasePermission):
    """API views: 401 without credentials, then the same gate (404 "not found")."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        buurten, current = coordinator_scope(request)
        if current is None:
            raise NotFound
        if request.auth is None and session_idle(request._request):
            logout(request._request)
            raise NotAuthenticated
        if not has_totp(request._request, request.user):
            raise PermissionDenied(MFA_REQUIRED_DETAIL)
        scoped = cast(CoordinatorRequest, request)
        scoped.coordinator_buurten, scoped.buurt = buurten, current
        return True


def session_idle(request: HttpRequest) -> bool:
    """A coordinator's browser session unused for longer than COORDINATOR_IDLE_SECONDS (checked here, where the data
    is served, whatever the session remembered about the role at sign-in; issue #14 M2). Marks it used now."""
    session = getattr(request, "session", None)
    if session is None:
        return False
    now = int(time.time())
    before = getattr(request, "last_seen_before", session.get(SESSION_SEEN))
    last = session.get(SESSION_LAST_SEEN)
    recent = max(int(v) for v in (before, last, 0) if v is not None)
    if recent and now - recent > settings.COORDINATOR_IDLE_SECONDS:
        return True
    session[SESSION_LAST_SEEN] = now
    session["is_coordinator"] = True
    return False
