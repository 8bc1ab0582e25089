"""The queue and its items: refer, release, match by hand, log a call, close (DESIGN §8)."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.coordination import services
from burenhulp.coordination.forms import (
    CloseForm,
    ContactForm,
    ReferForm,
    ReferralStatusForm,
    ReleaseForm,
)
from burenhulp.coordination.models import (
    ContactLog,
    QueueItem,
    QueueKind,
    QueueStatus,
    Referral,
    ReferralCard,
)
from burenhulp.coordination.presenting import reasons_text, too_old, waited, waited_text
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.inputs import as_pk
from burenhulp.core.models import AuditLog, audit, audit_list
from burenhulp.core.tables import Column, headers, param, query_without, search_term
from burenhulp.helprequests import stepback
from burenhulp.helprequests.models import (
    MatchProposal,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.helprequests.selectors import ranked_candidates
from burenhulp.residents.models import Resident


def _int(value: str | None) -> int:
    """A posted id, or 0 (no such row) when it is not a number."""
    return int(value) if value and value.isdigit() else 0


# One line per item: the table shows 8 or more per laptop screen; 25 a page keeps the per-row audit small.
QUEUE_PAGE_SIZE = 25

QUEUE_SORTS = {
    "urgency": ("priority", "-urgent", "created_at", "pk"),
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "kind": ("kind", "priority", "created_at", "pk"),
    "category": ("request__category", "priority", "created_at", "pk"),
}


def _queue_columns() -> list[Column]:
    return [
        Column(_("Level"), "urgency"),
        Column(_("Kind"), "kind"),
        Column(_("What"), "category"),
        Column(_("Why"), ""),
        Column(_("Waiting"), "oldest", "num"),
    ]


@coordinator_required
def queue(request: CoordinatorRequest) -> HttpResponse:
    """The open items as a dense table: filter by kind and level, search the text, sort by a column (GET only)."""
    buurt = request.buurt
    open_items = QueueItem.objects.in_buurt(buurt).open()
    counts = {row["kind"]: row["n"] for row in open_items.values("kind").annotate(n=Count("id")).order_by()}
    kind = param(request, "kind", QueueKind.values)
    level = param(request, "level", TriageLevel.values)
    sort = param(request, "sort", list(QUEUE_SORTS), "urgency")
    q = search_term(request)
    items = open_items.order_by(*QUEUE_SORTS[sort])
    if kind:
        items = items.filter(kind=kind)
    if level:
        items = items.filter(level=level)
    if q:
        items = items.filter(
            Q(request__description__icontains=q) | Q(summary__icontains=q) | Q(resident__first_name__icontains=q)
        )
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
        "resident_cancelled_at",
        "request__id",
        "request__category",
        "request__description",
        "request__status",
        "resident__id",
        "resident__first_name",
    )
    paginator = Paginator(items, QUEUE_PAGE_SIZE)
    if not (level or q):
        # The per-kind counts are already known: spare the page a second COUNT over the queue.
        paginator.__dict__["count"] = counts.get(kind, 0) if kind else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    audit_list(actor=request.user, targets=page.object_list, reason="queue list", buurt=buurt)
    rows = [
        {"item": it, "reasons": reasons_text(it), "waited": waited_text(waited(it, now)), "too_old": too_old(it, now)}
        for it in page.object_list
    ]
    kinds = [(k.value, k.label, counts.get(k.value, 0)) for k in QueueKind]
    return render_page(
        request,
        "coordinator/queue.html",
        "queue",
        {
            "rows": rows,
            "page": page,
            "kinds": kinds,
            "kind": kind,
            "levels": TriageLevel.choices,
            "level": level,
            "q": q,
            "sort": sort,
            "total": sum(counts.values()),
            "shown": paginator.count,
            "headers": headers(request, _queue_columns(), sort),
            "keep": query_without(request),
        },
    )


def _item_for(request: CoordinatorRequest, pk: int) -> QueueItem:
    return get_object_or_404(
        QueueItem.objects.for_coordinator(request.user).select_related(
            "buurt", "request__buurt", "request__requester__street", "resident", "resident__street", "follow_up"
        ),
        pk=pk,
    )


def _candidates(item: QueueItem) -> tuple[list[dict[str, Any]], str]:
    """Ranked candidates for matching by hand (light requests only)."""
    req = item.request
    if req is None or not item.is_open():
        return [], ""
    if not req.is_light:
        return [], _("Release the request to neighbours first; heavy requests are never proposed to neighbours.")
    if req.status == RequestStatus.QUEUED:
        # A light request back from the rounds ("no match"): rank it as if open, which matching by hand will make it.
        req = copy.copy(req)
        req.status = RequestStatus.OPEN
    rows = ranked_candidates(req, limit=10)
    names = {
        r.pk: r
        for r in Resident.objects.filter(pk__in=[c.resident_id for c in rows]).only(
            "pk", "first_name", "last_name", "phone"
        )
    }
    out = [
        {
            "resident": names.get(c.resident_id),
            "id": c.resident_id,
            "score": round(c.score, 2),
            "distance_m": round(c.distance_m) if c.distance_m is not None else None,
            "reasons": c.reasons,
        }
        for c in rows
    ]
    if not out:
        return [], _("No neighbour meets the rules for this request right now.")
    return out, ""


def _item_context(request: CoordinatorRequest, item: QueueItem, forms: dict[str, Any]) -> dict[str, Any]:
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
    audit_list(actor=request.user, targets=proposals, reason=f"proposals of queue item {item.pk}", buurt=buurt)
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
        "can_match": item.request is not None and item.request.is_light,
        "is_open": item.is_open(),
        "can_refer": item.is_open() or item.status == QueueStatus.REFERRED,
        "refer_form": forms.get("refer") or ReferForm(buurt=buurt, auto_id="refer_%s"),
        "close_form": forms.get("close") or CloseForm(auto_id="close_%s"),
        "release_form": forms.get("release") or ReleaseForm(auto_id="release_%s"),
        "contact_form": forms.get("contact") or ContactForm(auto_id="contact_%s"),
        "status_form": ReferralStatusForm(),
    }
    return ctx


@coordinator_required
def item(request: CoordinatorRequest, pk: int) -> HttpResponse:
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
    return render_page(request, "coordinator/item.html", "queue", _item_context(request, obj, forms))


def _item_action(
    request: CoordinatorRequest, obj: QueueItem, action: str, forms: dict[str, Any]
) -> HttpResponse | None:
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
        release = ReleaseForm(request.POST, auto_id="release_%s")
        forms["release"] = release
        if not release.is_valid():
            messages.error(request, _("Not released. Write down why this can go to neighbours."))
            return None
        try:
            services.item_release(
                item=obj,
                by=request.user,
                reason=release.cleaned_data["reason"],
                confirm=release.cleaned_data["confirm"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                release.add_error(field if field in release.fields else None, errors)
            messages.error(request, _("Not released.") + " " + " ".join(exc.messages))
            return None
        messages.success(request, _("Released to neighbours. Matching has started."))
        return redirect(here)
    if action == "match":
        volunteer = Resident.objects.in_buurt(obj.buurt).filter(pk=as_pk(request.POST.get("volunteer"))).first()
        if volunteer is None:
            messages.error(request, _("Choose a neighbour from the list."))
            return None
        services.item_match_by_hand(item=obj, volunteer=volunteer, by=request.user)
        messages.success(request, _("The request was proposed to %(name)s.") % {"name": volunteer.first_name})
        return redirect(here)
    if action == "step_back":
        # The volunteer told the coordinator (by phone) they cannot come after all: the same workflow as their link.
        proposal = get_object_or_404(
            MatchProposal.objects.filter(request_id=obj.request_id), pk=_int(request.POST.get("proposal"))
        )
        stepback.proposal_withdraw(proposal=proposal, by=request.user, reason=request.POST.get("reason", "")[:1000])
        messages.success(request, _("Recorded: the neighbour stepped back. Matching has started again."))
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
        referral = get_object_or_404(Referral.objects.filter(queue_item=obj), pk=as_pk(request.POST.get("referral")))
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
def item_match(request: CoordinatorRequest, pk: int) -> HttpResponse:
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
    audit_list(
        actor=request.user,
        targets=[c["resident"] for c in candidates if c["resident"] is not None],
        reason=f"candidates for queue item {obj.pk}",
        buurt=obj.buurt,
    )
    return render_page(
        request, "coordinator/item_match.html", "queue", {"item": obj, "candidates": candidates, "note": note}
    )
