"""The coordinator's pages for residents (under /coordinator/residents/): the list, intake on a resident's behalf,
editing and printing their card, blank cards and window posters."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import Neighbourhood, audit
from burenhulp.core.tables import Column, headers, param, query_without, search_term
from burenhulp.residents import selectors, services
from burenhulp.residents.forms import (
    IntakeForm,
    card_initial,
    housemate_formset,
)
from burenhulp.residents.models import Consent, CreatedVia, HelpEntry, HelpKind, Resident
from burenhulp.residents.views.card import (
    availability_rows,
    help_rows,
    join_qr_svg,
    join_url,
    print_context,
    street_names,
)


def _coord_render(
    request: CoordinatorRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"coord_section": "residents", **context}, status=status)


RESIDENT_SORTS = {
    "name": ("first_name", "last_name", "pk"),
    "street": ("street__name", "house_number", "first_name", "pk"),
    "newest": ("-created_at", "-pk"),
}

RESIDENT_SHOW = {
    "": gettext_lazy("Everybody"),
    "offers": gettext_lazy("Offers help"),
    "wants": gettext_lazy("Could use help"),
    "paused": gettext_lazy("Pausing"),
    "stopped": gettext_lazy("Stopped"),
    "paper": gettext_lazy("Entered by a coordinator"),
}


@coordinator_required
def coordinator_list(request: CoordinatorRequest) -> HttpResponse:
    """Every resident of the neighbourhood as a table with phone numbers; search, filter and sort by GET."""
    buurt = request.buurt
    today = timezone.localdate()
    q = search_term(request)
    sort = param(request, "sort", list(RESIDENT_SORTS), "name")
    show = param(request, "show", list(RESIDENT_SHOW))
    qs = Resident.objects.in_buurt(buurt).filter(deleted_at__isnull=True).select_related("street")
    if q:
        qs = qs.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(street__name__icontains=q)
            | Q(phone__icontains=q)
        )
    if show in ("offers", "wants"):
        kind = HelpKind.OFFER if show == "offers" else HelpKind.WANT
        qs = qs.filter(pk__in=HelpEntry.objects.filter(kind=kind, buurt=buurt).values("resident_id"))
    elif show == "paused":
        qs = qs.filter(paused_until__gte=today)
    elif show == "stopped":
        qs = qs.filter(consent_withdrawn_at__isnull=False)
    elif show == "paper":
        qs = qs.exclude(created_via=CreatedVia.SELF)
    page = Paginator(qs.order_by(*RESIDENT_SORTS[sort]), 50).get_page(request.GET.get("page"))
    audit(actor=request.user, action="view", target=buurt, reason="resident list")
    columns = [
        Column(_("Name"), "name"),
        Column(_("Phone"), ""),
        Column(_("Street"), "street"),
        Column(_("Entered"), "newest"),
        Column(_("Helping"), ""),
    ]
    return _coord_render(
        request,
        "residents/coordinator_list.html",
        {
            "current_buurt": buurt,
            "page": page,
            "q": q,
            "show": show,
            "shows": list(RESIDENT_SHOW.items()),
            "sort": sort,
            "today": today,
            "headers": headers(request, columns, sort),
            "keep": query_without(request),
        },
    )


def _intake_context(form: Any, formset: Any, buurt: Neighbourhood, resident: Resident | None) -> dict[str, Any]:
    return {
        "form": form,
        "formset": formset,
        "resident": resident,
        "help_rows": help_rows(form),
        "availability_rows": availability_rows(form),
        "street_names": street_names(buurt),
        "current_buurt": buurt,
    }


@coordinator_required
def intake_new(request: CoordinatorRequest) -> HttpResponse:
    """Enter a resident's Burenbox on their behalf (phone, visit, paper card); no email needed."""
    buurt = request.buurt
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, buurt=buurt)
        formset = housemate_formset(None, request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.to_data()
            data.pop("consent_given", None)
            share = data.pop("share_card", False)
            data["housemates"] = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            try:
                with transaction.atomic():
                    resident = services.resident_create_on_behalf(buurt=buurt, data=data, by=request.user)  # type: ignore[arg-type]
                    services.resident_update(resident=resident, data={"share_card": share}, by=request.user)
            except ValidationError as exc:
                form.add_error("email", exc)
            else:
                audit(actor=request.user, action="create", target=resident)
                messages.success(request, _("The Burenbox of %(name)s is saved.") % {"name": resident.first_name})
                return redirect("residents:intake_edit", pk=resident.pk)
        messages.error(request, _("Something needs your attention. Look at the fields marked below."))
        status = 400
    else:
        form = IntakeForm(
            buurt=buurt,
            initial={
                "max_active_matches": 2,
                "max_matches_per_month": 6,
                "shared_fields": ["offers", "wants", "languages"],
                "language": buurt.default_language,
                "contact_via": "phone",
            },
        )
        formset = housemate_formset(None)
        status = 200
    return _coord_render(request, "residents/intake_form.html", _intake_context(form, formset, buurt, None), status)


def _coordinated_resident(request: CoordinatorRequest, pk: int) -> Resident:
    qs = Resident.objects.for_coordinator(request.user).filter(deleted_at__isnull=True)
    return get_object_or_404(qs.select_related("buurt", "street"), pk=pk)


@coordinator_required
def intake_edit(request: CoordinatorRequest, pk: int) -> HttpResponse:
    resident = _coordinated_resident(request, pk)
    buurt = resident.buurt
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, buurt=buurt, resident=resident, initial=card_initial(resident))
        formset = housemate_formset(resident, request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.to_data()
            data.pop("consent_given", None)
            email = data.pop("email", "")
            data["housemates"] = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            try:
                with transaction.atomic():
                    services.resident_email_set(resident=resident, email=email or "")
                    services.resident_update(resident=resident, data=data, by=request.user)
            except ValidationError as exc:
                form.add_error("email", exc)
            else:
                audit(actor=request.user, action="change", target=resident)
                messages.success(request, _("The Burenbox of %(name)s is saved.") % {"name": resident.first_name})
                return redirect("residents:intake_edit", pk=resident.pk)
        messages.error(request, _("Something needs your attention. Look at the fields marked below."))
        status = 400
    else:
        initial = card_initial(resident)
        initial["consent_given"] = Consent.Purpose.PLATFORM in selectors.live_consents(resident)
        form = IntakeForm(buurt=buurt, resident=resident, initial=initial)
        formset = housemate_formset(resident)
        audit(actor=request.user, action="view", target=resident)
        status = 200
    return _coord_render(request, "residents/intake_form.html", _intake_context(form, formset, buurt, resident), status)


@coordinator_required
def intake_print(request: CoordinatorRequest, pk: int) -> HttpResponse:
    resident = _coordinated_resident(request, pk)
    audit(
        actor=request.user,
        action="view",
        target=resident,
        reason="print card",
    )
    return render(
        request,
        "residents/print_card.html",
        {**print_context(resident), "back_url": reverse("residents:intake_edit", args=[resident.pk])},
    )


@coordinator_required
def print_blank(request: CoordinatorRequest) -> HttpResponse:
    """Blank Burenbox cards to hand out in a street, with the neighbourhood's sign-up QR code."""
    buurt = request.buurt
    street = request.GET.get("street", "").strip()[:120]
    count = 2
    return render(
        request,
        "residents/print_blank.html",
        {
            **print_context(None, street),
            "buurt": buurt,
            "copies": range(count),
            "qr": join_qr_svg(buurt),
            "join_url": join_url(buurt),
            "street_names": street_names(buurt),
        },
    )


PHONE_ON_POSTER = re.compile(r"^[0-9+ ./()\-]{6,30}$")


@coordinator_required
def poster(request: CoordinatorRequest) -> HttpResponse:
    """Window posters ("I like to help" / "I could use help") with the neighbourhood's sign-up QR code and a phone
    number to call: the neighbourhood's contact phone, or the one the coordinator types above the posters."""
    buurt = request.buurt
    typed = " ".join(request.GET.get("phone", "").split())[:30]
    phone_error = ""
    if typed and not PHONE_ON_POSTER.match(typed):
        phone_error = _("Type only a phone number: digits, spaces, + . / ( ) -")
    phone = typed if typed and not phone_error else buurt.contact_phone
    return render(
        request,
        "residents/poster.html",
        {
            "buurt": buurt,
            "qr": join_qr_svg(buurt),
            "join_url": join_url(buurt),
            "phone": phone,
            "typed_phone": typed,
            "phone_error": phone_error,
        },
    )
