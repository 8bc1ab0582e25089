"""The neighbourhood's settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from burenhulp.coordination.forms import (
    BuurtSettingsForm,
)
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import AuditLog, audit


@coordinator_required
def buurt_settings(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    form = BuurtSettingsForm.for_buurt(buurt, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save(buurt)
        audit(actor=request.user, action=AuditLog.Action.CHANGE, target=buurt, reason="buurt settings")
        messages.success(request, _("The settings are saved."))
        return redirect("coordinator:settings")
    return render_page(request, "coordinator/settings.html", "settings", {"form": form, "buurt": buurt})
