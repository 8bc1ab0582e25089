"""The referral directory: list, add, edit, remove and import services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from burenhulp.coordination import directory
from burenhulp.coordination.forms import (
    ImportForm,
    ServiceForm,
)
from burenhulp.coordination.models import (
    ProfessionalService,
    ServiceKind,
)
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required


@coordinator_required
def services_list(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = form.save(commit=False)
        service.buurt = buurt
        service.save()
        messages.success(request, _("%(name)s is added to the directory.") % {"name": service.name})
        return redirect("coordinator:services")
    rows = ProfessionalService.objects.in_buurt(buurt).filter(active=True).order_by("kind", "name")
    return render_page(
        request,
        "coordinator/services.html",
        "services",
        {"services": rows, "form": form, "import_form": ImportForm(), "kinds": ServiceKind.choices},
    )


@coordinator_required
def service_edit(request: CoordinatorRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(ProfessionalService.objects.for_coordinator(request.user), pk=pk, active=True)
    if request.method == "POST" and request.POST.get("action") == "delete":
        service.active = False
        service.save(update_fields=["active"])
        messages.success(request, _("%(name)s is removed from the directory.") % {"name": service.name})
        return redirect("coordinator:services")
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("coordinator:services")
    return render_page(request, "coordinator/service_edit.html", "services", {"service": service, "form": form})


@require_POST
@coordinator_required
def services_import(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    form = ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        result = directory.services_import_csv(buurt=buurt, text=form.cleaned_data["file"])
        if not result.errors:
            messages.success(request, _("%(n)s services imported.") % {"n": result.created})
            return redirect("coordinator:services")
        errors = result.errors
    rows = ProfessionalService.objects.in_buurt(buurt).filter(active=True).order_by("kind", "name")
    return render_page(
        request,
        "coordinator/services.html",
        "services",
        {
            "services": rows,
            "form": ServiceForm(),
            "import_form": form,
            "import_errors": errors,
            "kinds": ServiceKind.choices,
        },
    )
