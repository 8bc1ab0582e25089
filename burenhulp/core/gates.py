"""The one coordinator gate, for pages and the API.

Signed in and coordinator of at least one neighbourhood; anyone else (a resident, a deactivated account, a
coordinator of no neighbourhood) is told "not found" (404), never "forbidden", so nothing is revealed — the same
answer as for an id of another neighbourhood. Behind the gate, `request.buurt` is the neighbourhood the coordinator
works in now (switchable) and `request.coordinator_buurten` all of theirs; templates get both as `current_buurt` and
`coordinator_buurten` (`burenhulp.core.context_processors.site`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

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
        scoped = cast(CoordinatorRequest, request)
        scoped.coordinator_buurten, scoped.buurt = buurten, current
        return True
