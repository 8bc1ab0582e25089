"""Coordinator dashboard pages (DESIGN §8). Every page starts from the coordinator's neighbourhoods
(burenhulp/core/tenancy.py): another neighbourhood's id is a 404. Views: permission-checked fetch → form → domain
function (burenhulp/coordination/services.py) → redirect."""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from burenhulp.coordination import charts, services
from burenhulp.coordination.forms import (
    BuurtSettingsForm,
    CloseForm,
    ContactForm,
    ImportForm,
    ReferForm,
    ReferralCardForm,
    ReferralStatusForm,
    ServiceForm,
)
from burenhulp.coordination.models import (
    ContactLog,
    ProfessionalService,
    QueueItem,
    QueueKind,
    QueueStatus,
    Referral,
    ReferralCard,
    ServiceKind,
)
from burenhulp.coordination.presenting import reasons_text, too_old, waited, waited_text
from burenhulp.core.models import AuditLog, Neighbourhood, audit
from burenhulp.core.proxies import client_ip
from burenhulp.core.tenancy import SESSION_BUURT_KEY, coordinator_buurten
from burenhulp.helprequests.models import (
    FollowUp,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.residents.models import HelpKind, Resident

PAGE_SIZE = 50
# The queue shows fewer rows per page: each row is a card with badges, reasons and an age.
QUEUE_PAGE_SIZE = 25


def coordinator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and coordinator of at least one neighbourhood; anyone else gets a 404 (nothing is revealed)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # One query gives the switcher and the crisis alert of every page.
        buurten = list(
            coordinator_buurten(request.user)
            .order_by("name")
            .only("pk", "name", "slug")
            .annotate(
                crisis_open=Count(
                    "queue_items",
                    filter=Q(queue_items__status=QueueStatus.OPEN, queue_items__level=TriageLevel.CRISIS),
                )
            )
        )
        if not buurten:
            raise Http404
        chosen = request.session.get(SESSION_BUURT_KEY)
        request.coordinator_buurten = buurten  # type: ignore[attr-defined]
        request.buurt = next((b for b in buurten if b.pk == chosen), buurten[0])  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def _render(request: HttpRequest, template: str, section: str, context: dict[str, Any]) -> HttpResponse:
    buurt: Neighbourhood = request.buurt  # type: ignore[attr-defined]
    crisis = getattr(buurt, "crisis_open", 0)
    base = {
        "current_buurt": buurt,
        "coordinator_buurten": request.coordinator_buurten,  # type: ignore[attr-defined]
        "coord_section": section,
        "crisis_count": crisis,
    }
    base.update(context)
    return render(request, template, base)


def _full_buurt(request: HttpRequest) -> Neighbourhood:
    return Neighbourhood.objects.get(pk=request.buurt.pk)  # type: ignore[attr-defined]


@require_POST
@coordinator_required
def switch_buurt(request: HttpRequest) -> HttpResponse:
    buurt = get_object_or_404(coordinator_buurten(request.user), pk=request.POST.get("buurt") or 0)
    request.session[SESSION_BUURT_KEY] = buurt.pk
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()) or "/item/" in next_url:
        next_url = ""
    return redirect(next_url or "coordinator:queue")


# --- The queue ----------------------------------------------------------------------------------------------------


@coordinator_required
def queue(request: HttpRequest) -> HttpResponse:
    buurt: Neighbourhood = request.buurt  # type: ignore[attr-defined]
    open_items = QueueItem.objects.in_buurt(buurt).open()
    counts = {row["kind"]: row["n"] for row in open_items.values("kind").annotate(n=Count("id")).order_by()}
    kind = request.GET.get("kind", "")
    items = open_items.by_urgency()
    if kind in QueueKind.values:
        items = items.filter(kind=kind)
    items = items.select_related("request", "resident").only(
        "pk",
        "kind",
        "level",
        "reasons",
        "priority",
        "urgent",
        "summary",
        "created_at",
        "status",
        "request__id",
        "request__category",
        "request__description",
        "request__status",
        "resident__id",
        "resident__first_name",
    )
    paginator = Paginator(items, QUEUE_PAGE_SIZE)
    # The per-kind counts are already known: spare the page a second COUNT over the queue.
    paginator.__dict__["count"] = counts.get(kind, 0) if kind in QueueKind.values else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {"item": it, "reasons": reasons_text(it), "waited": waited_text(waited(it, now)), "too_old": too_old(it, now)}
        for it in page.object_list
    ]
    kinds = [(k.value, k.label, counts.get(k.value, 0)) for k in QueueKind]
    return _render(
        request,
        "coordinator/queue.html",
        "queue",
        {"rows": rows, "page": page, "kinds": kinds, "kind": kind, "total": sum(counts.values())},
    )


def _item_for(request: HttpRequest, pk: int) -> QueueItem:
    return get_object_or_404(
        QueueItem.objects.for_coordinator(request.user).select_related(
            "buurt", "request__buurt", "request__requester__street", "resident", "resident__street", "follow_up"
        ),
        pk=pk,
    )


def _candidates(item: QueueItem) -> tuple[list[dict[str, Any]], str]:
    """Ranked candidates for matching by hand (light, open requests only), from the matching area."""
    req = item.request
    if req is None or item.status != QueueStatus.OPEN:
        return [], ""
    if req.triage_level != TriageLevel.LIGHT:
        return [], _("Release the request to neighbours first; heavy requests are never proposed to neighbours.")
    try:
        from matching.reasons import describe_all
        from matching.selection import select_candidates
    except ImportError:  # Built by the matching area; the page still works without it.
        return [], _("Matching by hand is not available yet.")
    if req.status == RequestStatus.QUEUED:
        # A light request back from the rounds ("no match"): rank it as if open, which matching by hand will make it.
        req = copy.copy(req)
        req.status = RequestStatus.OPEN
    ranked = select_candidates(req, limit=10).ranked
    names = {
        r.pk: r
        for r in Resident.objects.filter(pk__in=[c.volunteer_id for c in ranked]).only("pk", "first_name", "last_name")
    }
    out = [
        {
            "resident": names.get(c.volunteer_id),
            "id": c.volunteer_id,
            "score": round(c.score, 2),
            "distance_m": round(c.distance_m) if c.distance_m is not None else None,
            "reasons": describe_all(c.reasons, "coordinator"),
        }
        for c in ranked
    ]
    if not out:
        return [], _("No neighbour meets the rules for this request right now.")
    return out, ""


def _item_context(request: HttpRequest, item: QueueItem, forms: dict[str, Any]) -> dict[str, Any]:
    buurt = item.buurt
    resident = item.resident
    if resident is not None:
        audit(
            actor=request.user,
            action=AuditLog.Action.VIEW,
            target=resident,
            reason=f"queue item {item.pk}",
        )
    card = None
    if item.kind == QueueKind.CHECK_IN and "referral_card" in (item.reasons or []):
        card = ReferralCard.objects.filter(buurt=buurt, queue_item=item).first()
        if card is not None:
            audit(actor=request.user, action=AuditLog.Action.VIEW, target=card, reason="referral card")
    referrals = list(Referral.objects.filter(queue_item=item).select_related("service"))
    contacts = list(ContactLog.objects.filter(queue_item=item).select_related("by")[:20])
    proposals = (
        list(MatchProposal.objects.filter(request_id=item.request_id).select_related("volunteer"))
        if item.request_id
        else []
    )
    ctx = {
        "item": item,
        "reasons": reasons_text(item),
        "waited": waited_text(waited(item)),
        "too_old": too_old(item),
        "resident": resident,
        "card": card,
        "referrals": referrals,
        "contacts": contacts,
        "proposals": proposals,
        "can_match": item.request is not None and item.request.triage_level == TriageLevel.LIGHT,
        "is_open": item.status == QueueStatus.OPEN,
        "refer_form": forms.get("refer") or ReferForm(buurt=buurt, auto_id="refer_%s"),
        "close_form": forms.get("close") or CloseForm(auto_id="close_%s"),
        "contact_form": forms.get("contact") or ContactForm(auto_id="contact_%s"),
        "status_form": ReferralStatusForm(),
    }
    return ctx


@coordinator_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """The item page; its forms post back here with an `action` so errors re-render with everything typed."""
    obj = _item_for(request, pk)
    forms: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            response = _item_action(request, obj, action, forms)
        except (TransitionError, services.ReferralRefused) as exc:
            messages.error(request, str(exc))
            response = None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            response = None
        if response is not None:
            return response
    return _render(request, "coordinator/item.html", "queue", _item_context(request, obj, forms))


def _item_action(request: HttpRequest, obj: QueueItem, action: str, forms: dict[str, Any]) -> HttpResponse | None:
    here = reverse("coordinator:item", args=[obj.pk])
    if action == "refer":
        form = ReferForm(request.POST, buurt=obj.buurt, auto_id="refer_%s")
        forms["refer"] = form
        if form.is_valid():
            d = form.cleaned_data
            services.item_refer(
                item=obj,
                service=d["service"],
                consent=d["consent"],
                note=d["note"],
                reason=d["reason"],
                follow_up_on=d["follow_up_on"],
                by=request.user,
            )
            messages.success(request, _("Referred to %(service)s.") % {"service": d["service"].name})
            return redirect(here)
        messages.error(request, _("The referral was not saved. Check the fields marked below."))
        return None
    if action == "release":
        services.item_release(item=obj, by=request.user)
        messages.success(request, _("Released to neighbours. Matching has started."))
        return redirect(here)
    if action == "match":
        volunteer = Resident.objects.in_buurt(obj.buurt).filter(pk=request.POST.get("volunteer") or 0).first()
        if volunteer is None:
            messages.error(request, _("Choose a neighbour from the list."))
            return None
        services.item_match_by_hand(item=obj, volunteer=volunteer, by=request.user)
        messages.success(request, _("The request was proposed to %(name)s.") % {"name": volunteer.first_name})
        return redirect(here)
    if action == "contact":
        contact = ContactForm(request.POST, auto_id="contact_%s")
        forms["contact"] = contact
        if contact.is_valid():
            services.contact_log_add(
                buurt=obj.buurt,
                resident=obj.resident,
                item=obj,
                kind=contact.cleaned_data["kind"],
                note=contact.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("Saved in the contact log."))
            return redirect(here)
        return None
    if action == "close":
        closing = CloseForm(request.POST, auto_id="close_%s")
        forms["close"] = closing
        if closing.is_valid():
            services.item_close(item=obj, outcome=closing.cleaned_data["outcome"], by=request.user)
            messages.success(request, _("The item is closed."))
            return redirect("coordinator:queue")
        return None
    if action == "referral_status":
        referral = get_object_or_404(Referral.objects.filter(queue_item=obj), pk=request.POST.get("referral") or 0)
        status = ReferralStatusForm(request.POST)
        if status.is_valid():
            services.referral_advance(
                referral=referral,
                status=status.cleaned_data["status"],
                note=status.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("The referral status is saved."))
            return redirect(here)
        messages.error(request, _("Choose a status from the list."))
        return None
    messages.error(request, _("Choose an action."))
    return None


@coordinator_required
def item_match(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranked candidates for matching an item's request by hand; posting proposes it to the chosen one."""
    obj = _item_for(request, pk)
    if request.method == "POST":
        try:
            response = _item_action(request, obj, "match", {})
        except (TransitionError, services.ReferralRefused) as exc:
            messages.error(request, str(exc))
            response = None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            response = None
        if response is not None:
            return response
    candidates, note = _candidates(obj)
    return _render(
        request, "coordinator/item_match.html", "queue", {"item": obj, "candidates": candidates, "note": note}
    )


# --- Referral directory -------------------------------------------------------------------------------------------


@coordinator_required
def services_list(request: HttpRequest) -> HttpResponse:
    buurt: Neighbourhood = request.buurt  # type: ignore[attr-defined]
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = form.save(commit=False)
        service.buurt = buurt
        service.save()
        messages.success(request, _("%(name)s is added to the directory.") % {"name": service.name})
        return redirect("coordinator:services")
    rows = ProfessionalService.objects.in_buurt(buurt).filter(active=True).order_by("kind", "name")
    return _render(
        request,
        "coordinator/services.html",
        "services",
        {"services": rows, "form": form, "import_form": ImportForm(), "kinds": ServiceKind.choices},
    )


@coordinator_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
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
    return _render(request, "coordinator/service_edit.html", "services", {"service": service, "form": form})


@require_POST
@coordinator_required
def services_import(request: HttpRequest) -> HttpResponse:
    buurt: Neighbourhood = request.buurt  # type: ignore[attr-defined]
    form = ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        result = services.services_import_csv(buurt=buurt, text=form.cleaned_data["file"])
        if not result.errors:
            messages.success(request, _("%(n)s services imported.") % {"n": result.created})
            return redirect("coordinator:services")
        errors = result.errors
    rows = ProfessionalService.objects.in_buurt(buurt).filter(active=True).order_by("kind", "name")
    return _render(
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


# --- Referral cards -----------------------------------------------------------------------------------------------

CARD_LIMIT_PER_HOUR = 5


def referral_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The public doorverwijskaartje of one neighbourhood: no login, rate-limited, consent required."""
    buurt = get_object_or_404(Neighbourhood, slug=slug)
    form = ReferralCardForm(request.POST or None)
    if request.method == "POST":
        key = f"referral-card:{client_ip(request)}"
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3600)
            count = 1
        if count > CARD_LIMIT_PER_HOUR:
            form.is_valid()
            return render(
                request,
                "coordinator/referral_card.html",
                {"buurt": buurt, "form": form, "limited": True},
                status=429,
            )
        if form.is_valid():
            if form.cleaned_data.get("website"):
                # A robot filled in the hidden field: thank it and keep nothing.
                return redirect("referral_card_thanks", slug=buurt.slug)
            services.referral_card_submit(buurt=buurt, data=form.cleaned_data)
            return redirect("referral_card_thanks", slug=buurt.slug)
    return render(request, "coordinator/referral_card.html", {"buurt": buurt, "form": form})


def referral_card_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    buurt = get_object_or_404(Neighbourhood, slug=slug)
    return render(request, "coordinator/referral_card_thanks.html", {"buurt": buurt})


@coordinator_required
def cards(request: HttpRequest) -> HttpResponse:
    buurt: Neighbourhood = request.buurt  # type: ignore[attr-defined]
    page = Paginator(
        ReferralCard.objects.in_buurt(buurt).select_related("queue_item").order_by("-created_at"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    public_url = request.build_absolute_uri(reverse("referral_card", args=[buurt.slug]))
    return _render(request, "coordinator/cards.html", "cards", {"page": page, "public_url": public_url})


# --- Phone rounds (belrondes) -------------------------------------------------------------------------------------


@coordinator_required
def calls(request: HttpRequest) -> HttpResponse:
    buurt: Neighbourhood = request.buurt  # type: ignore[attr-defined]
    q = request.GET.get("q", "").strip()
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        resident = Resident.objects.in_buurt(buurt).filter(pk=request.POST.get("resident") or 0).first()
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
    return _render(request, "coordinator/calls.html", "calls", {"q": q, "found": found, "page": page, "form": form})


# --- Volunteers ---------------------------------------------------------------------------------------------------


@coordinator_required
def volunteers(request: HttpRequest) -> HttpResponse:
    buurt: Neighbourhood = request.buurt  # type: ignore[attr-defined]
    today = timezone.localdate()
    month_start = timezone.make_aware(datetime(today.year, today.month, 1), timezone.get_current_timezone())
    accepted = MatchProposal.objects.filter(volunteer=OuterRef("pk"), status=ProposalStatus.ACCEPTED)
    active_sq = (
        accepted.filter(request__status=RequestStatus.MATCHED)
        .order_by()
        .values("volunteer")
        .annotate(n=Count("id"))
        .values("n")
    )
    month_sq = (
        accepted.filter(answered_at__gte=month_start).order_by().values("volunteer").annotate(n=Count("id")).values("n")
    )
    flags_sq = (
        FollowUp.objects.filter(respondent=OuterRef("pk"), role=FollowUp.Role.VOLUNTEER)
        .filter(Q(too_much=True) | Q(hand_to_coordinator=True))
        .order_by()
        .values("respondent")
        .annotate(n=Count("id"))
        .values("n")
    )
    offering = (
        Resident.objects.in_buurt(buurt).filter(deleted_at__isnull=True, help_entries__kind=HelpKind.OFFER).distinct()
    )
    rows_qs = offering.annotate(
        active_n=Coalesce(Subquery(active_sq), 0),
        month_n=Coalesce(Subquery(month_sq), 0),
        flags_n=Coalesce(Subquery(flags_sq), 0),
    ).order_by("-flags_n", "-active_n", "first_name", "pk")
    page = Paginator(rows_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for r in page.object_list:
        over = r.active_n > r.max_active_matches or r.month_n > r.max_matches_per_month
        at_limit = r.active_n >= r.max_active_matches or r.month_n >= r.max_matches_per_month
        rows.append({"r": r, "over": over, "at_limit": at_limit, "paused": r.is_paused(today)})
    audit(actor=request.user, action=AuditLog.Action.VIEW, target=buurt, reason="volunteers overview")
    return _render(request, "coordinator/volunteers.html", "volunteers", {"rows": rows, "page": page})


# --- Reports ------------------------------------------------------------------------------------------------------


def _report(request: HttpRequest) -> tuple[services.Report | None, str]:
    try:
        start, end = services.period_from(request.GET.get("from") or None, request.GET.get("to") or None)
    except services.BadPeriod as exc:
        return None, str(exc)
    return services.report_for(buurt=request.buurt, start=start, end=end), ""  # type: ignore[attr-defined]


@coordinator_required
def reports(request: HttpRequest) -> HttpResponse:
    report, error = _report(request)
    if report is None:
        messages.error(request, error)
        start, end = services.period_from(None, None)
        report = services.report_for(buurt=request.buurt, start=start, end=end)  # type: ignore[attr-defined]
    tables = charts.report_tables(report)
    return _render(
        request,
        "coordinator/reports.html",
        "reports",
        {
            "report": report,
            "tables": tables,
            "charts": [charts.bar_chart(t) for t in tables],
            "csv_query": f"from={report.start.isoformat()}&to={report.end.isoformat()}",
        },
    )


@coordinator_required
def reports_csv(request: HttpRequest) -> HttpResponse:
    report, error = _report(request)
    if report is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"burenhulp-{request.buurt.slug}-{report.start}-{report.end}.csv"  # type: ignore[attr-defined]
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["chart", "label", "series", "value"])
    for table in charts.report_tables(report):
        for row in table.rows:
            for series, value in zip(table.series, row.values, strict=True):
                writer.writerow([table.key, row.key, series.key, charts.fmt(value)])
    return response


# --- Moderation ---------------------------------------------------------------------------------------------------


@coordinator_required
def moderation(request: HttpRequest) -> HttpResponse:
    buurt: Neighbourhood = request.buurt  # type: ignore[attr-defined]
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in {"approve", "block", "unblock"}:
            resident = get_object_or_404(Resident.objects.in_buurt(buurt), pk=request.POST.get("resident") or 0)
            if action == "approve":
                resident.approved = True
                msg = _("%(name)s is approved.")
            else:
                resident.is_blocked = action == "block"
                msg = _("%(name)s is blocked.") if action == "block" else _("%(name)s is no longer blocked.")
            resident.save(update_fields=["approved", "is_blocked", "updated_at"])
            if action == "block" and resident.user_id:
                from burenhulp.core.models import User

                User.objects.filter(pk=resident.user_id).update(is_active=False)
            elif action == "unblock" and resident.user_id:
                from burenhulp.core.models import User

                User.objects.filter(pk=resident.user_id).update(is_active=True)
            audit(
                actor=request.user,
                action=AuditLog.Action.CHANGE,
                target=resident,
                reason=f"moderation: {action}",
            )
            messages.success(request, msg % {"name": resident.first_name})
            return redirect("coordinator:moderation")
        if action == "hide":
            help_request = get_object_or_404(HelpRequest.objects.in_buurt(buurt), pk=request.POST.get("request") or 0)
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
    return _render(
        request,
        "coordinator/moderation.html",
        "moderation",
        {
            "pending": pending,
            "blocked": blocked,
            "reported": reported,
            "requires_approval": _full_buurt(request).requires_approval,
        },
    )


# --- Settings -----------------------------------------------------------------------------------------------------


@coordinator_required
def buurt_settings(request: HttpRequest) -> HttpResponse:
    buurt = _full_buurt(request)
    form = BuurtSettingsForm.for_buurt(buurt, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save(buurt)
        audit(actor=request.user, action=AuditLog.Action.CHANGE, target=buurt, reason="buurt settings")
        messages.success(request, _("The settings are saved."))
        return redirect("coordinator:settings")
    return _render(request, "coordinator/settings.html", "settings", {"form": form, "buurt": buurt})
