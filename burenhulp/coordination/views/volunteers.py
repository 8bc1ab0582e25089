"""The volunteers' load overview."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone

from burenhulp.coordination.selectors import volunteers_with_load
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import AuditLog, audit

PAGE_SIZE = 50


@coordinator_required
def volunteers(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    today = timezone.localdate()
    rows_qs = volunteers_with_load(buurt, now=timezone.now())
    page = Paginator(rows_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for r in page.object_list:
        over = r.active_n > r.max_active_matches or r.month_n > r.max_matches_per_month
        at_limit = r.active_n >= r.max_active_matches or r.month_n >= r.max_matches_per_month
        rows.append({"r": r, "over": over, "at_limit": at_limit, "paused": r.is_paused(today)})
    audit(actor=request.user, action=AuditLog.Action.VIEW, target=buurt, reason="volunteers overview")
    return render_page(request, "coordinator/volunteers.html", "volunteers", {"rows": rows, "page": page})
