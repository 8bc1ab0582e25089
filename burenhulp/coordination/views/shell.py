"""What every dashboard page shares: the section in the menu, the crisis banner, and switching neighbourhoods."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.tenancy import SESSION_BUURT_KEY, coordinator_buurten
from burenhulp.helprequests.models import TriageLevel


def render_page(request: CoordinatorRequest, template: str, section: str, context: dict[str, Any]) -> HttpResponse:
    """A dashboard page: its menu section and how many crisis items wait in the current neighbourhood."""
    crisis = (
        QueueItem.objects.in_buurt(request.buurt)
        .open()
        .filter(level=TriageLevel.CRISIS)
        .exclude(kind=QueueKind.CHECK_IN)
    ).count()
    return render(request, template, {"coord_section": section, "crisis_count": crisis, **context})


@require_POST
@coordinator_required
def switch_buurt(request: HttpRequest) -> HttpResponse:
    buurt = get_object_or_404(coordinator_buurten(request.user), pk=request.POST.get("buurt") or 0)
    request.session[SESSION_BUURT_KEY] = buurt.pk
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()) or "/item/" in next_url:
        next_url = ""
    return redirect(next_url or "coordinator:queue")
