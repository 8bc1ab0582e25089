"""Moderation: approve and block profiles, hide requests, reported content."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from burenhulp.coordination import services
from burenhulp.coordination.models import (
    QueueItem,
    QueueKind,
)
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.confirm import confirm_page, is_confirmed
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.inputs import as_pk
from burenhulp.core.models import audit_list
from burenhulp.helprequests.models import (
    HelpRequest,
)
from burenhulp.residents.models import Resident


@coordinator_required
def moderation(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in {"approve", "block", "unblock"}:
            resident = get_object_or_404(Resident.objects.in_buurt(buurt), pk=as_pk(request.POST.get("resident")))
            if action == "block" and not is_confirmed(request):
                return confirm_page(
                    request,
                    title=_("Block %(name)s?") % {"name": resident.first_name},
                    lines=[_("A blocked person can no longer use Burenhulp until you unblock them.")],
                    button=_("Yes, block %(name)s") % {"name": resident.first_name},
                    fields=[("action", "block"), ("resident", str(resident.pk))],
                    back_url=reverse("coordinator:moderation"),
                    back_label=_("No, go back"),
                )
            services.resident_moderate(resident=resident, action=action, by=request.user)
            msg = {
                "approve": _("%(name)s is approved."),
                "block": _("%(name)s is blocked."),
                "unblock": _("%(name)s is no longer blocked."),
            }[action]
            messages.success(request, msg % {"name": resident.first_name})
            return redirect("coordinator:moderation")
        if action == "hide":
            help_request = get_object_or_404(HelpRequest.objects.in_buurt(buurt), pk=as_pk(request.POST.get("request")))
            services.request_hide(help_request=help_request, by=request.user)
            messages.success(request, _("The request is hidden from neighbours."))
            return redirect("coordinator:moderation")
        messages.error(request, _("Choose an action."))
    pending = list(Resident.objects.in_buurt(buurt).filter(approved=False, deleted_at__isnull=True)[:100])
    blocked = list(Resident.objects.in_buurt(buurt).filter(is_blocked=True)[:100])
    reported = list(
        QueueItem.objects.in_buurt(buurt)
        .open()
        .filter(kind=QueueKind.REPORT)
        .select_related("request", "resident")[:100]
    )
    audit_list(actor=request.user, targets=[*pending, *blocked, *reported], reason="moderation list", buurt=buurt)
    return render_page(
        request,
        "coordinator/moderation.html",
        "moderation",
        {
            "pending": pending,
            "blocked": blocked,
            "reported": reported,
            "requires_approval": request.buurt.requires_approval,
        },
    )
