"""The resident's own Burenbox pages: joining a neighbourhood, the step-by-step card, My Burenbox, pausing,
consents, neighbours' cards, printing and photos."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from burenhulp.core.confirm import confirm_page, is_confirmed
from burenhulp.core.models import Neighbourhood, audit
from burenhulp.core.tenancy import coordinator_buurten
from burenhulp.residents import selectors, services
from burenhulp.residents.forms import (
    CardForm,
    card_initial,
    housemate_formset,
)
from burenhulp.residents.models import CONSENT_TEXTS, DAYS, Consent, DayPart, Resident
from burenhulp.residents.views.card import (
    availability_rows,
    help_rows,
    print_context,
    street_names,
)

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
    request.branding_buurt = buurt  # type: ignore[attr-defined]  # the page carries the neighbourhood's branding
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
            services.resident_join(user=request.user, buurt=buurt, first_name=first_name)
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
            "consent_text": CONSENT_TEXTS[Consent.Purpose.PLATFORM],
        },
        status=400 if errors else 200,
    )


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
            formset = housemate_formset(resident, request.POST, blanks=1)
        if form.is_valid() and (formset is None or formset.is_valid()):
            data = form.to_data()
            if formset is not None:
                data["housemates"] = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            services.resident_update(resident=resident, data=data, by=request.user)
            go = request.POST.get("go", "next")
            if go == "add_housemate":
                return redirect(reverse("residents:edit", args=[step]) + "#housemates")
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
            formset = housemate_formset(resident, blanks=1)
        status = 200
    context = {
        "resident": resident,
        "form": form,
        "formset": formset,
        "step": slug,
        "step_title": title,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "is_last": index + 1 == len(STEPS),
        "is_first": index == 0,
        "help_rows": help_rows(form),
        "availability_rows": availability_rows(form),
        "street_names": street_names(resident.buurt) if step == "me" else [],
        "share_text": CONSENT_TEXTS[Consent.Purpose.SHARE_PROFILE],
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
        "offers": selectors.category_rows({e.category for e in entries if e.kind == "offer"}),
        "wants": selectors.category_rows({e.category for e in entries if e.kind == "want"}),
        "languages": [selectors.language_name(c) for c in resident.languages or []],
        "availability": _availability_text(resident.availability or []),
        "card": selectors.neighbour_card(resident),
        "shares_card": any(c.purpose == Consent.Purpose.SHARE_PROFILE for c in consents),
        "consents": consents,
        "consent_texts": CONSENT_TEXTS,
        "platform_consent": any(c.purpose == Consent.Purpose.PLATFORM for c in consents),
        "is_paused": resident.is_paused(),
        "today": timezone.localdate(),
        "steps": [{"slug": s, "title": t} for s, t, _f in STEPS],
    }
    return render(request, "residents/mine.html", context)


def _availability_text(items: list[dict[str, Any]]) -> list[str]:
    days = dict(DAYS)
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
    resident.pause(until)
    messages.success(
        request,
        _("You are taking a break until %(date)s. Nobody will ask you for help until then.")
        % {"date": until.strftime("%d/%m/%Y")},
    )
    return redirect("residents:mine")


@require_POST
@resident_required
def resume(request: HttpRequest, resident: Resident) -> HttpResponse:
    resident.resume()
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
    if purpose == Consent.Purpose.PLATFORM and not give and not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Stop using your Burenbox?"),
            lines=[
                _("Neighbours no longer see your card and nobody will ask you for help."),
                _("Your card stays saved: you can start again whenever you like."),
            ],
            button=_("Yes, stop my Burenbox"),
            fields=[("purpose", purpose), ("give", "0")],
            back_url=reverse("residents:mine"),
            back_label=_("No, keep my Burenbox"),
        )
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
        cards: list[selectors.NeighbourCard] = []
    else:
        page = Paginator(selectors.neighbours_of(resident), 30).get_page(request.GET.get("page"))
        cards = [selectors.neighbour_card(r) for r in page.object_list]
    return render(
        request,
        "residents/neighbours.html",
        {
            "resident": resident,
            "cards": cards,
            "page": page,
            "awaiting_approval": selectors.awaiting_approval(resident),
        },
    )


@resident_required
def print_card(request: HttpRequest, resident: Resident) -> HttpResponse:
    return render(request, "residents/print_card.html", print_context(resident))


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
            and selectors.neighbours_of(viewer).filter(pk=resident.pk).exists()
        )
    if not allowed:
        raise Http404
    response = FileResponse(resident.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = "inline"
    return response
