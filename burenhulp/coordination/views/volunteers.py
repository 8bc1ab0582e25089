"""The volunteers' load overview: a table with phone numbers, search, filters and sort (GET only)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from burenhulp.coordination.selectors import volunteers_with_load
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import AuditLog, audit
from burenhulp.core.tables import Column, headers, param, query_without, search_term

PAGE_SIZE = 50

SORTS = {
    "care": ("-flags_n", "-active_n", "first_name", "pk"),
    "name": ("first_name", "last_name", "pk"),
    "busy": ("-active_n", "-month_n", "first_name", "pk"),
    "month": ("-month_n", "-active_n", "first_name", "pk"),
    "last_active": (F("last_active_at").desc(nulls_last=True), "first_name", "pk"),
}

SHOW = {
    "": gettext_lazy("Everybody"),
    "care": gettext_lazy("Could use a kind word"),
    "free": gettext_lazy("Can take more"),
    "paused": gettext_lazy("Pausing"),
}


@coordinator_required
def volunteers(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    today = timezone.localdate()
    sort = param(request, "sort", list(SORTS), "care")
    show = param(request, "show", list(SHOW))
    q = search_term(request)
    rows_qs = volunteers_with_load(buurt, now=timezone.now()).order_by(*SORTS[sort])
    if q:
        rows_qs = rows_qs.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(phone__icontains=q))
    if show == "care":
        rows_qs = rows_qs.filter(
            Q(flags_n__gt=0) | Q(active_n__gt=F("max_active_matches")) | Q(month_n__gt=F("max_matches_per_month"))
        )
    elif show == "free":
        room = Q(active_n__lt=F("max_active_matches")) & Q(month_n__lt=F("max_matches_per_month"))
        rows_qs = rows_qs.filter(room).exclude(paused_until__gte=today)
    elif show == "paused":
        rows_qs = rows_qs.filter(paused_until__gte=today)
    page = Paginator(rows_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for r in page.object_list:
        over = r.active_n > r.max_active_matches or r.month_n > r.max_matches_per_month
        at_limit = r.active_n >= r.max_active_matches or r.month_n >= r.max_matches_per_month
        rows.append({"r": r, "over": over, "at_limit": at_limit, "paused": r.is_paused(today)})
    audit(actor=request.user, action=AuditLog.Action.VIEW, target=buurt, reason="volunteers overview")
    columns = [
        Column(_("Name"), "name"),
        Column(_("Phone"), ""),
        Column(_("Helping now"), "busy", "num"),
        Column(_("This month"), "month", "num"),
        Column(_("Last active"), "last_active"),
        Column(_("Paused"), ""),
        Column(_("Said “too much”"), "care", "num"),
    ]
    return render_page(
        request,
        "coordinator/volunteers.html",
        "volunteers",
        {
            "rows": rows,
            "page": page,
            "q": q,
            "show": show,
            "shows": list(SHOW.items()),
            "sort": sort,
            "headers": headers(request, columns, sort),
            "keep": query_without(request),
        },
    )
