"""Coordinator dashboard views. Every page starts from the coordinator's neighbourhoods (burenhulp/core/tenancy.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from burenhulp.coordination.models import QueueItem
from burenhulp.core.tenancy import SESSION_BUURT_KEY, coordinator_buurten, current_buurt


def _render(request: HttpRequest, template: str, section: str, context: dict[str, Any]) -> HttpResponse:
    buurt = context.get("current_buurt") or current_buurt(request)
    buurten = list(coordinator_buurten(request.user).order_by("name").only("pk", "name"))
    base = {"current_buurt": buurt, "coordinator_buurten": buurten, "coord_section": section}
    base.update(context)
    return render(request, template, base)


def coordinator_required(view: Any) -> Any:
    """Signed in and coordinator of at least one neighbourhood; anyone else gets a 404 (nothing is revealed)."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not coordinator_buurten(request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_POST
@coordinator_required
def switch_buurt(request: HttpRequest) -> HttpResponse:
    buurt = get_object_or_404(coordinator_buurten(request.user), pk=request.POST.get("buurt") or 0)
    request.session[SESSION_BUURT_KEY] = buurt.pk
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    return redirect(next_url or "coordinator:queue")


@coordinator_required
def queue(request: HttpRequest) -> HttpResponse:
    buurt = current_buurt(request)
    items = QueueItem.objects.in_buurt(buurt).open().by_urgency()[:200]
    return _render(request, "coordinator/queue.html", "queue", {"current_buurt": buurt, "items": items})


@coordinator_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(QueueItem.objects.for_coordinator(request.user), pk=pk)
    return _render(request, "coordinator/item.html", "queue", {"item": obj})


def _placeholder(section: str) -> Any:
    @coordinator_required
    def view(request: HttpRequest) -> HttpResponse:
        return _render(request, "coordinator/queue.html", section, {"items": []})

    view.__name__ = section
    return view


volunteers = _placeholder("volunteers")
calls = _placeholder("calls")
services = _placeholder("services")
cards = _placeholder("cards")
reports = _placeholder("reports")
moderation = _placeholder("moderation")
buurt_settings = _placeholder("settings")
