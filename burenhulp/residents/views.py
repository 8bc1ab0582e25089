"""Burenbox pages: joining a neighbourhood, the step-by-step card, My Burenbox, neighbours' cards, printing, and the
coordinator's intake on a resident's behalf."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from burenhulp.core.categories import ICONS, Category
from burenhulp.core.models import Neighbourhood, audit
from burenhulp.core.tenancy import coordinator_buurten, current_buurt
from burenhulp.residents import services
from burenhulp.residents.forms import (
    CardForm,
    IntakeForm,
    card_initial,
    housemate_formset,
)
from burenhulp.residents.models import Consent, DayPart, Resident

SESSION_JOIN_BUURT = "join_buurt"

# The steps of the Burenbox wizard: (slug, title, fields). Each step saves what it holds.
STEPS: list[tuple[str, Any, list[str]]] = [
    (
        "me",
        gettext_lazy("About me"),
        [
            "first_name",
            "last_name",
            "birth_date",
            "street",
            "house_number",
            "house_description",
            "phone",
            "other_contact",
        ],
    ),
    ("help", gettext_lazy("Help in the neighbourhood"), ["offers", "wants"]),
    ("more", gettext_lazy("A little more about me"), ["favourites", "dream", "favourite_food", "languages"]),
    ("photo", gettext_lazy("Photo or drawing"), ["photo", "remove_photo"]),
    (
        "when",
        gettext_lazy("When and how much"),
        ["availability", "has_car", "max_active_matches", "max_matches_per_month", "paused_until"],
    ),
    ("sharing", gettext_lazy("What neighbours see"), ["share_card", "shared_fields", "weekly_digest", "language"]),
]
STEP_SLUGS = [s[0] for s in STEPS]


def _resident_of(request: HttpRequest) -> Resident | None:
    if not request.user.is_authenticated:
        return None
    return Resident.objects.filter(user=request.user, deleted_at__isnull=True).select_related("buurt").first()


def help_rows(form: Any) -> list[dict[str, Any]]:
    """Rows of the help table for the template: the category and whether each column is ticked."""
    offers = set(form["offers"].value() or []) if "offers" in form.fields else set()
    wants = set(form["wants"].value() or []) if "wants" in form.fields else set()
    return [
        {
            "slug": c.value,
            "label": c.label,
            "icon": ICONS.get(c.value, ""),
            "offer": c.value in offers,
            "want": c.value in wants,
        }
        for c in Category
    ]


def availability_rows(form: Any) -> list[dict[str, Any]]:
    ticked = set(form["availability"].value() or []) if "availability" in form.fields else set()
    return [
        {
            "day": day,
            "label": label,
            "parts": [
                {"value": f"{day}-{p}", "label": lbl, "checked": f"{day}-{p}" in ticked} for p, lbl in DayPart.choices
            ],
        }
        for day, label in services.DAYS
    ]


def _street_names(buurt: Neighbourhood) -> list[str]:
    return list(buurt.streets.order_by("name").values_list("name", flat=True)[:500])


# --- Joining ---------------------------------------------------------------------------------------------------


def join(request: HttpRequest) -> HttpResponse:
    """Choose a neighbourhood. A signed-in person who already has a Burenbox goes to it."""
    if request.user.is_authenticated and _resident_of(request) is not None:
        return redirect("residents:mine")
    slug = request.GET.get("buurt") or request.session.get(SESSION_JOIN_BUURT)
    if slug and Neighbourhood.objects.filter(slug=slug).exists():
        return redirect("residents:join_buurt", slug=slug)
    buurten = Neighbourhood.objects.order_by("name").only("name", "slug", "municipality")
    error = _("Choose your neighbourhood from the list.") if "buurt" in request.GET else ""
    return render(request, "residents/join_choose.html", {"buurten": buurten, "error": error})


def join_buurt(request: HttpRequest, slug: str) -> HttpResponse:
    """The neighbourhood's sign-up page (its link and QR code point here)."""
    buurt = get_object_or_404(Neighbourhood, slug=slug)
    if not request.user.is_authenticated:
        request.session[SESSION_JOIN_BUURT] = buurt.slug
        return render(request, "residents/join_start.html", {"buurt": buurt, "next": request.path})
    resident = _resident_of(request)
    if resident is not None:
        if resident.buurt_id != buurt.pk:
            messages.info(request, _("You already have a Burenbox in %(name)s.") % {"name": resident.buurt.name})
        return redirect("residents:mine")
    first_name = (request.POST.get("first_name") or request.user.first_name or "").strip()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not first_name:
            errors["first_name"] = _("Enter your first name.")
        elif len(first_name) > 60:
            errors["first_name"] = _("Use at most 60 characters.")
        if request.POST.get("consent") != "yes":
            errors["consent"] = _("Tick the box to agree, or ask a coordinator to help you.")
        if not errors:
            services.resident_join(user=request.user, buurt=buurt, first_name=first_name)  # type: ignore[arg-type]
            request.session.pop(SESSION_JOIN_BUURT, None)
            messages.success(request, _("Welcome! Fill in your Burenbox step by step. You can stop at any time."))
            return redirect("residents:edit", step=STEP_SLUGS[0])
    return render(
        request,
        "residents/join_confirm.html",
        {
            "buurt": buurt,
            "first_name": first_name,
            "errors": errors,
            "consent_checked": request.POST.get("consent") == "yes",
            "consent_text": services.CONSENT_TEXTS[Consent.Purpose.PLATFORM],
        },
        status=400 if errors else 200,
    )


# --- The resident's own Burenbox -------------------------------------------------------------------------------


def resident_required(view: Any) -> Any:
    """Signed in with a Burenbox; someone without one is sent to join."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        resident = _resident_of(request)
        if resident is None:
            return redirect("residents:join")
        return view(request, resident, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@resident_required
def edit(request: HttpRequest, resident: Resident, step: str) -> HttpResponse:
    """One step of the Burenbox. Every step saves what it holds; errors show the page again with everything typed."""
    if step not in STEP_SLUGS:
        raise Http404
    index = STEP_SLUGS.index(step)
    slug, title, fields = STEPS[index]
    formset = None
    if request.method == "POST":
        form = CardForm(request.POST, request.FILES, buurt=resident.buurt, only=fields)
        if step == "me":
            formset = housemate_formset(resident, request.POST)
        if form.is_valid() and (formset is None or formset.is_valid()):
            data = form.to_data()
            if formset is not None:
                data["housemates"] = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            services.resident_update(resident=resident, data=data, by=request.user)
            go = request.POST.get("go", "next")
            if go == "back" and index > 0:
                return redirect("residents:edit", step=STEP_SLUGS[index - 1])
            if go == "next" and index + 1 < len(STEPS):
                return redirect("residents:edit", step=STEP_SLUGS[index + 1])
            messages.success(request, _("Your Burenbox is saved."))
            return redirect("residents:mine")
        messages.error(request, _("Something needs your attention. Look at the fields marked below."))
        status = 400
    else:
        form = CardForm(initial=card_initial(resident), buurt=resident.buurt, only=fields)
        if step == "me":
            formset = housemate_formset(resident)
        status = 200
    context = {
        "resident": resident,
        "form": form,
        "formset": formset,
        "step": slug,
        "step_title": title,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "steps": [{"slug": s, "title": t, "current": s == slug} for s, t, _f in STEPS],
        "is_last": index + 1 == len(STEPS),
        "is_first": index == 0,
        "help_rows": help_rows(form),
        "availability_rows": availability_rows(form),
        "street_names": _street_names(resident.buurt) if step == "me" else [],
        "share_text": services.CONSENT_TEXTS[Consent.Purpose.SHARE_PROFILE],
    }
    return render(request, "residents/edit_step.html", context, status=status)


@resident_required
def mine(request: HttpRequest, resident: Resident) -> HttpResponse:
    """My Burenbox: the whole card, pause or resume in one tap, and the card as neighbours see it."""
    resident = (
        Resident.objects.select_related("street", "buurt")
        .prefetch_related("help_entries", "housemates", "consents")
        .get(pk=resident.pk)
    )
    entries = list(resident.help_entries.all())
    consents = [c for c in resident.consents.all() if c.withdrawn_at is None]
    context = {
        "resident": resident,
        "offers": services.category_rows({e.category for e in entries if e.kind == "offer"}),
        "wants": services.category_rows({e.category for e in entries if e.kind == "want"}),
        "languages": [services.language_name(c) for c in resident.languages or []],
        "availability": _availability_text(resident.availability or []),
        "card": services.neighbour_card(resident),
        "shares_card": any(c.purpose == Consent.Purpose.SHARE_PROFILE for c in consents),
        "consents": consents,
        "consent_texts": services.CONSENT_TEXTS,
        "platform_consent": any(c.purpose == Consent.Purpose.PLATFORM for c in consents),
        "is_paused": resident.is_paused(),
        "today": timezone.localdate(),
        "steps": [{"slug": s, "title": t} for s, t, _f in STEPS],
    }
    return render(request, "residents/mine.html", context)


def _availability_text(items: list[dict[str, Any]]) -> list[str]:
    days = dict(services.DAYS)
    parts = dict(DayPart.choices)
    return [f"{days.get(a['day'], '')} {parts.get(a['part'], '')}" for a in items]


@require_POST
@resident_required
def pause(request: HttpRequest, resident: Resident) -> HttpResponse:
    """Pause helping: for some weeks (one tap) or until a chosen date."""
    today = timezone.localdate()
    weeks = request.POST.get("weeks", "")
    until_raw = request.POST.get("until", "")
    until = None
    if weeks in {"1", "2", "4", "12"}:
        until = today + timedelta(weeks=int(weeks))
    elif until_raw:
        try:
            until = date.fromisoformat(until_raw)
        except ValueError:
            until = None
        if until is None or until < today:
            messages.error(request, _("Choose a date from today on to pause until."))
            return redirect(reverse("residents:mine") + "#pause")
    if until is None:
        messages.error(request, _("Choose how long you want to pause."))
        return redirect(reverse("residents:mine") + "#pause")
    services.resident_pause(resident=resident, until=until)
    messages.success(
        request,
        _("You are taking a break until %(date)s. Nobody will ask you for help until then.")
        % {"date": until.strftime("%d/%m/%Y")},
    )
    return redirect("residents:mine")


@require_POST
@resident_required
def resume(request: HttpRequest, resident: Resident) -> HttpResponse:
    services.resident_resume(resident=resident)
    messages.success(request, _("Welcome back! Neighbours can ask you for help again."))
    return redirect("residents:mine")


@require_POST
@resident_required
def consent(request: HttpRequest, resident: Resident) -> HttpResponse:
    """Give or withdraw a consent. Withdrawing the platform consent stops every use of the Burenbox."""
    purpose = request.POST.get("purpose", "")
    if purpose not in Consent.Purpose.values:
        raise Http404
    give = request.POST.get("give") == "1"
    services.consent_set(resident=resident, purpose=purpose, given=give, by=request.user)
    if purpose == Consent.Purpose.PLATFORM:
        messages.success(
            request,
            _("Burenhulp uses your Burenbox again.")
            if give
            else _("Burenhulp no longer uses your Burenbox: nobody sees it and nobody will ask you for help."),
        )
    else:
        messages.success(request, _("Your choice is saved."))
    return redirect("residents:mine")


@resident_required
def neighbours(request: HttpRequest, resident: Resident) -> HttpResponse:
    """Cards of neighbours who chose to share: only what each one shared, never an address or phone number."""
    if resident.consent_withdrawn_at is not None:
        page = None
        cards: list[services.NeighbourCard] = []
    else:
        page = Paginator(services.neighbours_of(resident), 30).get_page(request.GET.get("page"))
        cards = [services.neighbour_card(r) for r in page.object_list]
    return render(request, "residents/neighbours.html", {"resident": resident, "cards": cards, "page": page})


@resident_required
def print_card(request: HttpRequest, resident: Resident) -> HttpResponse:
    return render(request, "residents/print_card.html", _print_context(resident))


def _print_context(resident: Resident | None, street: str = "") -> dict[str, Any]:
    rows = []
    offers = resident.offered_categories() if resident else set()
    wants = resident.wanted_categories() if resident else set()
    for c in Category:
        rows.append(
            {"label": c.label, "icon": ICONS.get(c.value, ""), "offer": c.value in offers, "want": c.value in wants}
        )
    housemates = list(resident.housemates.all()) if resident else []
    blank_housemates = range(max(0, 4 - len(housemates)))
    return {
        "r": resident,
        "rows": rows,
        "housemates": housemates,
        "blank_housemates": blank_housemates,
        "photo_url": reverse("residents:photo", args=[resident.public_id]) if resident and resident.photo else "",
        "street": street,
    }


def photo(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """A resident's photo, only for the resident, coordinators of their neighbourhood, and neighbours when the
    resident shared it. Anyone else gets a 404; photos are never served from /media/."""
    resident = get_object_or_404(Resident.objects.select_related("buurt"), public_id=public_id)
    if not resident.photo or not request.user.is_authenticated:
        raise Http404
    allowed = resident.user_id is not None and resident.user_id == request.user.pk
    if not allowed and coordinator_buurten(request.user).filter(pk=resident.buurt_id).exists():
        allowed = True
        audit(
            actor=request.user,
            action="view",
            target=resident,
            reason="photo",
        )
    if not allowed:
        viewer = _resident_of(request)
        allowed = (
            viewer is not None
            and viewer.consent_withdrawn_at is None
            and "photo" in (resident.shared_fields or [])
            and services.neighbours_of(viewer).filter(pk=resident.pk).exists()
        )
    if not allowed:
        raise Http404
    response = FileResponse(resident.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = "inline"
    return response


# --- Coordinator intake ----------------------------------------------------------------------------------------


def coordinator_required(view: Any) -> Any:
    """Signed in and coordinator of at least one neighbourhood; anyone else gets a 404 (nothing is revealed)."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not coordinator_buurten(request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _coord_render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    full = {
        "current_buurt": context.get("current_buurt") or current_buurt(request),
        "coordinator_buurten": list(coordinator_buurten(request.user).order_by("name").only("pk", "name")),
        "coord_section": "residents",
        **context,
    }
    return render(request, template, full, status=status)


@coordinator_required
def coordinator_list(request: HttpRequest) -> HttpResponse:
    buurt = current_buurt(request)
    q = request.GET.get("q", "").strip()[:80]
    qs = Resident.objects.in_buurt(buurt).filter(deleted_at__isnull=True).select_related("street")
    if q:
        qs = qs.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(street__name__icontains=q))
    page = Paginator(qs.order_by("first_name", "last_name", "pk"), 50).get_page(request.GET.get("page"))
    audit(actor=request.user, action="view", target=buurt, reason="resident list")
    return _coord_render(
        request,
        "residents/coordinator_list.html",
        {"current_buurt": buurt, "page": page, "q": q, "today": timezone.localdate()},
    )


def _intake_context(form: Any, formset: Any, buurt: Neighbourhood, resident: Resident | None) -> dict[str, Any]:
    return {
        "form": form,
        "formset": formset,
        "resident": resident,
        "help_rows": help_rows(form),
        "availability_rows": availability_rows(form),
        "street_names": _street_names(buurt),
        "current_buurt": buurt,
    }


@coordinator_required
def intake_new(request: HttpRequest) -> HttpResponse:
    """Enter a resident's Burenbox on their behalf (phone, visit, paper card); no email needed."""
    buurt = current_buurt(request)
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


def _coordinated_resident(request: HttpRequest, pk: int) -> Resident:
    qs = Resident.objects.for_coordinator(request.user).filter(deleted_at__isnull=True)
    return get_object_or_404(qs.select_related("buurt", "street"), pk=pk)


@coordinator_required
def intake_edit(request: HttpRequest, pk: int) -> HttpResponse:
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
        initial["consent_given"] = Consent.Purpose.PLATFORM in services.live_consents(resident)
        form = IntakeForm(buurt=buurt, resident=resident, initial=initial)
        formset = housemate_formset(resident)
        audit(actor=request.user, action="view", target=resident)
        status = 200
    return _coord_render(request, "residents/intake_form.html", _intake_context(form, formset, buurt, resident), status)


@coordinator_required
def intake_print(request: HttpRequest, pk: int) -> HttpResponse:
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
        {**_print_context(resident), "back_url": reverse("residents:intake_edit", args=[resident.pk])},
    )


@coordinator_required
def print_blank(request: HttpRequest) -> HttpResponse:
    """Blank Burenbox cards to hand out in a street, with the neighbourhood's sign-up QR code."""
    buurt = current_buurt(request)
    street = request.GET.get("street", "").strip()[:120]
    count = 2
    return render(
        request,
        "residents/print_blank.html",
        {
            **_print_context(None, street),
            "buurt": buurt,
            "copies": range(count),
            "qr": join_qr_svg(buurt),
            "join_url": join_url(buurt),
            "street_names": _street_names(buurt),
        },
    )


def join_url(buurt: Neighbourhood) -> str:
    return settings.SITE_URL + reverse("residents:join_buurt", args=[buurt.slug])


def join_qr_svg(buurt: Neighbourhood) -> SafeString:
    """The neighbourhood's sign-up link as an inline SVG QR code (no inline styles, so CSP allows it)."""
    label = _("QR code to join %(name)s on Burenhulp") % {"name": buurt.name}
    svg = segno.make(join_url(buurt), error="m").svg_inline(scale=1, omitsize=True, dark="#000", light="#fff")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" class="qr" ', 1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, with only our escaped label added


@coordinator_required
def poster(request: HttpRequest) -> HttpResponse:
    """Window posters ("I like to help" / "I could use help") with the neighbourhood's sign-up QR code."""
    buurt = current_buurt(request)
    return render(
        request,
        "residents/poster.html",
        {"buurt": buurt, "qr": join_qr_svg(buurt), "join_url": join_url(buurt)},
    )
