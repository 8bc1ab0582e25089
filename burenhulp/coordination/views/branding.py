"""The neighbourhood's branding ("Huisstijl"), set by its coordinator without the Django admin: name, logo, main
colour, contact line and the two statements. The same form and rules as the admin (burenhulp.core.forms)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from burenhulp.coordination.views.shell import render_page
from burenhulp.core.forms import BrandingForm
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import AuditLog, audit


@coordinator_required
def branding_page(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    posted = request.method == "POST"
    form = BrandingForm.for_buurt(buurt, request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        created = form.instance.pk is None
        branding = form.save()  # a new cache generation: every page shows the new branding at once
        audit(
            actor=request.user,
            action=AuditLog.Action.CREATE if created else AuditLog.Action.CHANGE,
            target=branding,
            buurt=buurt,
            reason="branding",
        )
        messages.success(request, _("The branding is saved. Every page of this neighbourhood shows it now."))
        return redirect("coordinator:branding")
    has_logo = "remove_logo" in form.fields
    return render_page(
        request, "coordinator/branding.html", "branding", {"form": form, "buurt": buurt, "has_logo": has_logo}
    )
