"""What every dashboard page shares: the section in the menu, the crisis banner, and switching neighbourhoods."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.inputs import as_pk, safe_next
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
    buurt = get_object_or_404(coordinator_buurten(request.user), pk=as_pk(request.POST.get("buurt")))
    request.session[SESSION_BUURT_KEY] = buurt.pk
    next_url = safe_next(request.POST.get("next"), host=request.get_host(), secure=request.is_secure())
    if not next_url or "/item/" in next_url:
        return redirect("coordinator:queue")
    return HttpResponseRedirect(next_url)
