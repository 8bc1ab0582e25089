"""Coordinator workflows (DESIGN §8): refer, release, match by hand, hide, close, contact log, referral cards and
moderation. The dashboard pages and the API call these same functions.

Each workflow is keyword-only and runs in one transaction. An item leaves the open queue only through
`coordination.queue.queue_items_close` (one conditional UPDATE); when it was no longer open the workflow raises
`TransitionError` (a message for pages, 409 for the API). Request-side changes are the request workflow's
(`burenhulp.helprequests.services`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.coordination.models import (
    ContactLog,
    ProfessionalService,
    QueueItem,
    QueueKind,
    QueueOutcome,
    QueueStatus,
    Referral,
    ReferralCard,
    ReferralStatus,
)
from burenhulp.coordination.queue import queue_item_open, queue_items_close
from burenhulp.core.models import AuditLog, Neighbourhood, acting_account, audit
from burenhulp.helprequests import services as requests
from burenhulp.helprequests import stepback
from burenhulp.helprequests.models import (
    REACHED_STATUSES,
    HelpRequest,
    MatchProposal,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident


class ReferralRefused(ValueError):
    """A referral that may not be made (no consent, a service of another neighbourhood). The message says why."""


# Referral status moves forward only; a coordinator may skip steps (a service can call back at once).
REFERRAL_ORDER = [ReferralStatus.PROPOSED, ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED, ReferralStatus.CLOSED]


def _close_open_item(item: QueueItem, *, status: str, by: Any, outcome: str = "") -> None:
    """Close this one item, or raise TransitionError when someone already handled it."""
    if not queue_items_close(items=QueueItem.objects.filter(pk=item.pk), status=status, outcome=outcome, by=by):
        raise TransitionError(_("This item is no longer open: someone already handled it."))


def item_refer(
    *,
    item: QueueItem,
    service: ProfessionalService | None,
    consent: bool,
    by: Any,
    note: str = "",
    reason: str = "",
    follow_up_on: date | None = None,
) -> Referral:
    """Refer the item's resident to a professional service of the same neighbourhood, with their consent.

    1. Refuse without consent, or for a service that is not in the item's neighbourhood's directory.
    2. An open item is closed as referred (or TransitionError when someone else just handled it); an item that is
       already referred takes further referrals (budget help and a home nurse, say), one live referral per service.
    3. Write the referral (status proposed); the request, if any, becomes `referred`; the change is audited.
    4. The resident is told the service's name and phone number (email, or the call list without email)."""
    if not consent:
        raise ReferralRefused(_("Ask the resident first. A referral needs their consent."))
    if service is None or service.buurt_id != item.buurt_id or not service.active:
        raise ReferralRefused(_("Choose a service from this neighbourhood's directory."))
    with transaction.atomic():
        locked = QueueItem.objects.select_for_update().get(pk=item.pk)
        if locked.status == QueueStatus.REFERRED:
            live = Referral.objects.filter(queue_item=locked, service=service).exclude(status=ReferralStatus.CLOSED)
            if live.exists():
                raise TransitionError(_("This item is already referred to that service."))
        else:
            _close_open_item(item, status=QueueStatus.REFERRED, by=by)
        referral = Referral.objects.create(
            buurt_id=item.buurt_id,
            queue_item=item,
            request_id=item.request_id,
            resident_id=item.resident_id,
            service=service,
            reason=reason[:300] or item.summary[:300],
            consent=True,
            note=note,
            follow_up_on=follow_up_on,
            created_by=acting_account(by),
        )
        if item.request_id is not None:
            HelpRequest.objects.filter(pk=item.request_id).exclude(status__in=REACHED_STATUSES).update(
                status=RequestStatus.REFERRED, updated_at=timezone.now()
            )
        audit(actor=by, action=AuditLog.Action.CREATE, target=referral, reason=f"referral to {service.kind}")
        if referral.resident_id is not None:
            # The resident hears which service will help and how to reach it (DESIGN §12).
            notify(
                template="referred",
                key=f"referred:{referral.pk}:{referral.resident_id}",
                resident=Resident.objects.get(pk=referral.resident_id),
                context={"referral_id": referral.pk},
            )
    item.refresh_from_db()
    return referral


def referral_advance(*, referral: Referral, status: str, by: Any, note: str = "") -> Referral:
    """Move a referral forward: proposed → contacted → accepted by the service → closed."""
    if status not in REFERRAL_ORDER:
        raise TransitionError(_("Choose a status from the list."))
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if REFERRAL_ORDER.index(ReferralStatus(status)) <= REFERRAL_ORDER.index(ReferralStatus(locked.status)):
            raise TransitionError(_("A referral only moves forward. It is already further along."))
        locked.status = status
        fields = ["status", "updated_at"]
        if note:
            stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
            locked.note = (locked.note + "\n" if locked.note else "") + f"[{stamp}] {note}"
            fields.append("note")
        locked.save(update_fields=fields)
        audit(actor=by, action=AuditLog.Action.CHANGE, target=locked, reason=f"referral {status}")
    return locked


def _item_request(item: QueueItem, message: str) -> HelpRequest:
    """The item's request, locked for this transaction; TransitionError when the item is no longer open (checked
    under the request's lock, so two coordinators acting at once are served one after the other)."""
    if item.request_id is None:
        raise TransitionError(message)
    help_request = HelpRequest.objects.locked(item.request_id)
    if not QueueItem.objects.filter(pk=item.pk, status=QueueStatus.OPEN).exists():
        raise TransitionError(_("This item is no longer open: someone already handled it."))
    return help_request


def item_release(*, item: QueueItem, by: Any, reason: str, confirm: bool = False) -> HelpRequest:
    """A coordinator judges the request light after all: the request workflow overrides the triage (logged with the
    reason), closes the request's items as released and starts the first round; this item is closed as released
    too, with the reason on it. Never in one click (DESIGN §12): a reason always, for a crisis also `confirm`
    (`ValidationError` otherwise, nothing changed)."""
    with transaction.atomic():
        help_request = _item_request(item, _("Only an item about a help request can be released to neighbours."))
        requests.request_release(request=help_request, by=by, reason=reason, confirm=confirm)
        QueueItem.objects.filter(pk=item.pk, status=QueueStatus.OPEN).update(release_reason=reason.strip()[:2000])
        queue_items_close(items=QueueItem.objects.filter(pk=item.pk), status=QueueStatus.RELEASED, by=by)
    item.refresh_from_db()
    help_request.refresh_from_db()
    return help_request


def item_match_by_hand(*, item: QueueItem, volunteer: Resident, by: Any) -> MatchProposal:
    """Propose the item's request to one volunteer the coordinator chose from the ranked candidates."""
    if volunteer.buurt_id != item.buurt_id:
        raise TransitionError(_("Choose a neighbour from this neighbourhood."))
    with transaction.atomic():
        help_request = _item_request(item, _("Only an item about a help request can be matched."))
        proposal = requests.request_match_by_hand(request=help_request, volunteer=volunteer, by=by)
        queue_items_close(items=QueueItem.objects.filter(pk=item.pk), outcome=QueueOutcome.MATCHED_BY_HAND, by=by)
        audit(
            actor=by,
            action=AuditLog.Action.CHANGE,
            target=help_request,
            reason=f"matched by hand to {volunteer.pk}",
        )
    item.refresh_from_db()
    return proposal


def request_hide(*, help_request: HelpRequest, by: Any) -> None:
    """Moderation: take a request away from neighbours (cancelled through the request workflow) and close its open
    items as hidden."""
    with transaction.atomic():
        if help_request.is_live():
            requests.request_cancel(request=help_request, by=by)
        queue_items_close(items=QueueItem.objects.filter(request=help_request), outcome=QueueOutcome.HIDDEN, by=by)
        audit(actor=by, action=AuditLog.Action.CHANGE, target=help_request, reason="moderation: hidden")


def item_close(*, item: QueueItem, outcome: str, by: Any) -> QueueItem:
    """Close an item with a written outcome (what happened, so a colleague understands later)."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise TransitionError(_("Write down the outcome before you close the item."))
    with transaction.atomic():
        _close_open_item(item, status=QueueStatus.CLOSED, by=by, outcome=outcome[:2000])
    item.refresh_from_db()
    return item


def contact_log_add(
    *,
    buurt: Neighbourhood,
    kind: str,
    note: str,
    by: Any,
    resident: Resident | None = None,
    item: QueueItem | None = None,
    at: datetime | None = None,
) -> ContactLog:
    """Write down a phone call (belronde), a visit or a note."""
    if resident is not None and resident.buurt_id != buurt.pk:
        raise TransitionError(_("Choose a resident from this neighbourhood."))
    return ContactLog.objects.create(
        buurt=buurt,
        resident=resident,
        queue_item=item,
        kind=kind,
        note=note,
        by=acting_account(by),
        at=at or timezone.now(),
    )


def referral_card_submit(*, buurt: Neighbourhood, data: dict[str, Any]) -> ReferralCard:
    """A professional's signal (doorverwijskaartje), given with the resident's consent, lands in this
    neighbourhood's queue — and nowhere else."""
    if not data.get("consent"):
        raise ReferralRefused(_("Ask the resident first. We can only accept a signal with their consent."))
    with transaction.atomic():
        card = ReferralCard.objects.create(
            buurt=buurt,
            professional_name=data["professional_name"],
            organisation=data.get("organisation", ""),
            professional_contact=data["professional_contact"],
            resident_name=data["resident_name"],
            resident_contact=data.get("resident_contact", ""),
            what=data["what"],
            consent=True,
        )
        org = f" ({card.organisation})" if card.organisation else ""
        item = queue_item_open(
            buurt=buurt,
            kind=QueueKind.CHECK_IN,
            level=TriageLevel.HEAVY,
            reasons=["referral_card"],
            summary=f"{card.resident_name}: {card.what} — {card.professional_name}{org}",
        )
        card.queue_item = item
        card.save(update_fields=["queue_item"])
    return card


def resident_moderate(*, resident: Resident, action: str, by: Any) -> None:
    """Moderation of a Burenbox in its neighbourhood: "approve" it, "block" it or "unblock" it. Logged.

    Blocking acts on this Burenbox, never on the account (which may coordinate or live elsewhere, M5): the account's
    `is_active` is left alone, so "unblock" never re-activates an account an admin disabled. A blocked volunteer acts
    on nothing (DESIGN §12, H2): their open proposals are withdrawn, and help they had said yes to goes back to
    matching (`proposal_withdraw`)."""
    if action == "approve":
        resident.approved = True
    elif action in {"block", "unblock"}:
        resident.is_blocked = action == "block"
    else:
        raise TransitionError(_("Choose an action."))
    with transaction.atomic():
        resident.save(update_fields=["approved", "is_blocked", "updated_at"])
        if action == "block":
            stepback.volunteer_stand_down(volunteer=resident, by=by, reason="blocked by a coordinator")
        audit(actor=by, action=AuditLog.Action.CHANGE, target=resident, reason=f"moderation: {action}")
