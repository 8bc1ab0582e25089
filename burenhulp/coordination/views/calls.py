"""Phone rounds (belrondes): find a resident, write down the call."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from burenhulp.coordination import services
from burenhulp.coordination.forms import (
    ContactForm,
)
from burenhulp.coordination.models import (
    ContactLog,
)
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.inputs import as_pk
from burenhulp.core.models import AuditLog, audit
from burenhulp.residents.models import Resident

PAGE_SIZE = 50


@coordinator_required
def calls(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    q = request.GET.get("q", "").strip()
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        resident = Resident.objects.in_buurt(buurt).filter(pk=as_pk(request.POST.get("resident"))).first()
        if resident is None:
            messages.error(request, _("Choose a resident from the list."))
        elif form.is_valid():
            services.contact_log_add(
                buurt=buurt,
                resident=resident,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("Saved in the contact log."))
            return redirect(reverse("coordinator:calls") + (f"?q={q}" if q else ""))
    found: list[Resident] = []
    if q:
        found = list(
            Resident.objects.in_buurt(buurt)
            .active()
            .filter(Q(first_name__icontains=q) | Q(last_name__icontains=q))
            .select_related("street")[:20]
        )
    else:
        found = list(
            Resident.objects.in_buurt(buurt).active().filter(needs_follow_up=True).select_related("street")[:50]
        )
    if found:
        audit(
            actor=request.user,
            action=AuditLog.Action.VIEW,
            target=buurt,
            reason=f"phone round list ({len(found)} residents)",
        )
    page = Paginator(
        ContactLog.objects.in_buurt(buurt).select_related("resident", "by").order_by("-at"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render_page(request, "coordinator/calls.html", "calls", {"q": q, "found": found, "page": page, "form": form})
