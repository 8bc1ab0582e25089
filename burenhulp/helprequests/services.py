"""The request workflow (DESIGN §4–§6): keyword-only functions `<entity>_<verb>` that the pages, the API, the email
links and the tasks all call. A transition that is not allowed raises `TransitionError` (a message on a page, 409 in
the API); bad input raises `ValidationError`.

Everything that must not happen twice is guarded twice: the request row is locked (`HelpRequest.objects.locked`)
before its proposals change, each change is a conditional `UPDATE … WHERE status=…` whose row count is checked, and
the database's partial unique constraint allows one accepted proposal per request.

Rounds live in `rounds.py`, follow-ups in `followups.py`; `matching` decides (triage, candidates) and never writes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.coordination.models import QueueItem, QueueKind, QueueOutcome, QueueStatus
from burenhulp.coordination.queue import queue_item_open, queue_items_close
from burenhulp.core.models import AuditLog, acting_account, audit
from burenhulp.helprequests.models import (
    OPEN_STATUSES,
    ROUND_STATUSES,
    CameInBy,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.helprequests.rounds import Round, round_start
from burenhulp.helprequests.selectors import hold_reasons, requests_since
from burenhulp.helprequests.validation import validate_request_input
from burenhulp.notifications.models import CallOutcome, CallTask
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import CreatedVia, Resident
from matching.triage import CHECK_IN_DAYS, history_reasons, triage


def request_create(
    *,
    requester: Resident,
    category: str,
    description: str,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
    recurrence: str = "",
    urgent: bool = False,
    sensitive_topic: bool = False,
    by: Any = None,
    via: str = CreatedVia.SELF,
    came_in_by: str = "",
    now: datetime | None = None,
) -> HelpRequest:
    """Store a request, triage it and act on the level.

    1. Validate (ValidationError, nothing written).
    2. Triage: light → open and the first round; heavy or crisis → queued, a "triage" queue item (a crisis alerts
       every coordinator of the neighbourhood: `coordination.queue`).
    3. History signals (many requests lately, marked for follow-up) add a separate "check_in" item; they never
       change the level.
    """
    now = now or timezone.now()
    text = validate_request_input(
        category=category,
        description=description,
        window_start=window_start,
        window_end=window_end,
        recurrence=recurrence,
        now=now,
    )
    if via not in CreatedVia.values:
        raise ValidationError({"via": "unknown"})
    if came_in_by and came_in_by not in CameInBy.values:
        raise ValidationError({"came_in_by": _("Say how the request came in.")})
    buurt = requester.buurt
    result = triage(
        text=text,
        category=category,
        sensitive_topic=sensitive_topic,
        urgent=urgent,
        extra_terms=buurt.triage_terms or {},
    )
    level = str(result.level)
    # Light requests of a resident asking very often, or of a newcomer not approved yet, wait for a coordinator
    # (L6, L8). A coordinator asking on a resident's behalf has already looked.
    held = hold_reasons(requester, now=now) if level == TriageLevel.LIGHT and via == CreatedVia.SELF else []
    with transaction.atomic():
        request = HelpRequest.objects.create(
            buurt=buurt,
            requester=requester,
            category=category,
            description=text,
            window_start=window_start,
            window_end=window_end,
            recurrence=recurrence,
            urgent=urgent,
            sensitive_topic=sensitive_topic,
            status=RequestStatus.OPEN if level == TriageLevel.LIGHT and not held else RequestStatus.QUEUED,
            triage_level=level,
            triage_reasons=list(result.reasons),
            created_via=via,
            came_in_by=came_in_by,
            created_by=acting_account(by),
            created_at=now,
        )
        if level != TriageLevel.LIGHT:
            queue_item_open(
                buurt=buurt,
                kind=QueueKind.TRIAGE,
                level=level,
                reasons=list(result.reasons),
                request=request,
                urgent=urgent,
                summary=text[:300],
            )
        if held:
            queue_item_open(
                buurt=buurt,
                kind=QueueKind.TRIAGE,
                level=level,
                reasons=held,
                request=request,
                urgent=urgent,
                summary=text[:300],
            )
        history = history_reasons(
            requests_last_14_days=requests_since(requester, days=CHECK_IN_DAYS, now=now),
            marked_for_follow_up=requester.needs_follow_up,
        )
        if history:
            queue_item_open(
                buurt=buurt,
                kind=QueueKind.CHECK_IN,
                level=level,
                reasons=history,
                request=request,
                resident=requester,
                summary=text[:300],
            )
        if level == TriageLevel.LIGHT and not held:
            round_start(request=request, now=now)
    request.refresh_from_db()
    return request


# --- Answers ---------------------------------------------------------------------------------------------------


def proposal_accept(*, proposal: MatchProposal, by: Any = None, now: datetime | None = None) -> MatchProposal:
    """The volunteer says yes (or a coordinator records their yes). The first one wins; everyone else gets
    `TransitionError` ("already taken"). The request becomes matched and the other open proposals withdrawn."""
    now = now or timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.locked(proposal.request_id)
        volunteer_now = Resident.objects.select_related("user").get(pk=proposal.volunteer_id)
        if not volunteer_now.can_act(timezone.localdate(now)):
            raise TransitionError(_("This proposal is no longer open."))
        if not request.is_matchable():
            if request.status == RequestStatus.MATCHED:
                raise TransitionError(_("Someone else already said yes. Thank you for offering!"))
            raise TransitionError(_("This request is no longer open."))
        try:
            with transaction.atomic():
                changed = MatchProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
                    status=ProposalStatus.ACCEPTED, answered_at=now, answered_by=acting_account(by)
                )
        except IntegrityError as exc:  # the partial unique constraint: another acceptance got there first
            raise TransitionError(_("Someone else already said yes. Thank you for offering!")) from exc
        if changed != 1:
            raise TransitionError(_("This proposal is no longer open."))
        others = list(
            MatchProposal.objects.filter(request=request, status=ProposalStatus.PROPOSED)
            .exclude(pk=proposal.pk)
            .select_related("volunteer")
        )
        MatchProposal.objects.filter(pk__in=[o.pk for o in others], status=ProposalStatus.PROPOSED).update(
            status=ProposalStatus.WITHDRAWN, answered_at=now
        )
        updated = HelpRequest.objects.filter(pk=request.pk, status__in=OPEN_STATUSES).update(
            status=RequestStatus.MATCHED, matched_at=now, updated_at=now
        )
        if updated != 1:  # cannot happen under the row lock; the constraint is the backstop
            raise TransitionError(_("This request is no longer open."))
        _settle_call(proposal.pk, CallOutcome.ACCEPTED, by, now)
        accepted = MatchProposal.objects.select_related("volunteer", "request__requester").get(pk=proposal.pk)
        volunteer = accepted.volunteer
        Resident.objects.filter(pk=volunteer.pk).update(last_active_at=now)
        for other in others:
            notify(
                template="taken",
                key=f"taken:{other.pk}:{other.volunteer_id}",
                resident=other.volunteer,
                context={"proposal_id": other.pk},
            )
        notify(
            template="accepted_volunteer",
            key=f"accepted_volunteer:{accepted.pk}:{volunteer.pk}",
            resident=volunteer,
            context={"proposal_id": accepted.pk},
        )
        notify(
            template="accepted_requester",
            key=f"accepted_requester:{accepted.pk}:{request.requester_id}",
            resident=request.requester,
            context={"proposal_id": accepted.pk},
        )
        return accepted


def proposal_decline(*, proposal: MatchProposal, by: Any = None, now: datetime | None = None) -> MatchProposal:
    """One tap, no reason asked, never shown to others. When the whole round has said no, the next round starts
    at once instead of waiting for the window to pass."""
    now = now or timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.locked(proposal.request_id)
        changed = MatchProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
            status=ProposalStatus.DECLINED, answered_at=now, answered_by=acting_account(by)
        )
        if changed != 1:
            raise TransitionError(_("This proposal is no longer open."))
        _settle_call(proposal.pk, CallOutcome.DECLINED, by, now)
        Resident.objects.filter(pk=proposal.volunteer_id).update(last_active_at=now)
        still_open = MatchProposal.objects.filter(request=request, status=ProposalStatus.PROPOSED).exists()
        if request.status == RequestStatus.PROPOSED and not still_open:
            round_start(request=request, now=now)
        return MatchProposal.objects.get(pk=proposal.pk)


def _settle_call(proposal_id: int, outcome: str, by: Any, now: datetime) -> None:
    """The question is answered (by the link, the page, the API or the call list): its call is no longer to make."""
    CallTask.objects.open().filter(proposal_id=proposal_id, template="proposal").update(
        done_at=now, done_by=acting_account(by), outcome=outcome
    )


# --- Coordinator actions ---------------------------------------------------------------------------------------


def request_release(
    *, request: HelpRequest, by: Any, reason: str, confirm: bool = False, now: datetime | None = None
) -> Round:
    """A coordinator releases a queued request to neighbours: the level becomes light (the override is logged with
    the reason), the request opens, its triage and no-match items are closed as released (the reason kept on them),
    and a fresh first round starts (earlier proposals stay excluded).

    DESIGN §12: never in one click. A heavy request needs a reason, a crisis also `confirm=True`; otherwise
    `ValidationError` and nothing changes."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write down why this can go to neighbours.")})
    with transaction.atomic():
        request = HelpRequest.objects.locked(request.pk)
        if request.status != RequestStatus.QUEUED:
            raise TransitionError(_("Only a request that waits for a coordinator can be released."))
        previous = request.triage_level
        if previous == TriageLevel.CRISIS and not confirm:
            raise ValidationError(
                {"confirm": _("This is a possible crisis. Confirm that you spoke to the resident and it is safe.")}
            )
        request.triage_level = TriageLevel.LIGHT
        request.triage_overridden_by = acting_account(by)
        request.triage_overridden_at = now
        request.status = RequestStatus.OPEN
        request.current_round = 0
        request.round_started_at = None
        request.save(
            update_fields=[
                "triage_level",
                "triage_overridden_by",
                "triage_overridden_at",
                "status",
                "current_round",
                "round_started_at",
                "updated_at",
            ]
        )
        audit(
            actor=by,
            action=AuditLog.Action.OVERRIDE,
            target=request,
            reason=f"released to neighbours (was {previous}): {reason}"[:500],
        )
        releasing = QueueItem.objects.filter(request=request, kind__in=[QueueKind.TRIAGE, QueueKind.NO_MATCH])
        releasing.filter(status=QueueStatus.OPEN).update(release_reason=reason[:2000])
        queue_items_close(
            items=releasing,
            status=QueueStatus.RELEASED,
            by=by,
            now=now,
        )
        return round_start(request=request, now=now)


def request_match_by_hand(
    *, request: HelpRequest, volunteer: Resident, by: Any, now: datetime | None = None
) -> MatchProposal:
    """A coordinator pairs a request with a volunteer they spoke to (for instance by phone)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.locked(request.pk)
        if volunteer.buurt_id != request.buurt_id:
            raise ValidationError({"volunteer": _("This neighbour does not exist.")})
        if volunteer.pk == request.requester_id or volunteer.household_root_id == request.requester.household_root_id:
            raise ValidationError({"volunteer": _("Someone cannot help their own household through the platform.")})
        if request.status not in ROUND_STATUSES:
            raise TransitionError(_("This request is no longer open."))
        if not request.is_light:
            request_release(
                request=request, by=by, reason=_("Matched by hand with a neighbour the coordinator spoke to."), now=now
            )
            request = HelpRequest.objects.locked(request.pk)
        if request.status == RequestStatus.QUEUED:
            HelpRequest.objects.filter(pk=request.pk).update(status=RequestStatus.OPEN)
            queue_items_close(
                items=QueueItem.objects.filter(request=request, kind=QueueKind.NO_MATCH),
                outcome=QueueOutcome.MATCHED_BY_HAND,
                now=now,
            )
        proposal, _created = MatchProposal.objects.get_or_create(
            request=request,
            volunteer=volunteer,
            defaults={"score": 0.0, "reasons": [{"code": "by_hand"}], "round": max(request.current_round, 1)},
        )
        if proposal.status != ProposalStatus.PROPOSED:
            MatchProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.PROPOSED)
        proposal.refresh_from_db()
        return proposal_accept(proposal=proposal, by=by, now=now)


def request_cancel(*, request: HelpRequest, by: Any = None, now: datetime | None = None) -> HelpRequest:
    """The requester (or a coordinator) no longer needs the help. Open proposals are withdrawn.

    DESIGN §12, a heavy or crisis signal is closed only by a coordinator: the queue items of a heavy or crisis
    request (and any check-in about the resident) stay open, marked "the resident cancelled" (often the moment to
    call). Only the items of a light request (no match) are closed as cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.locked(request.pk)
        if not request.is_live():
            raise TransitionError(_("This request is already closed."))
        MatchProposal.objects.filter(request=request, status=ProposalStatus.PROPOSED).update(
            status=ProposalStatus.WITHDRAWN, answered_at=now
        )
        request.status = RequestStatus.CANCELLED
        request.closed_at = now
        request.save(update_fields=["status", "closed_at", "updated_at"])
        items = QueueItem.objects.filter(request=request)
        keep_open = items.filter(kind=QueueKind.CHECK_IN)
        if request.triage_level != TriageLevel.LIGHT:
            keep_open = items
        keep_open.filter(status=QueueStatus.OPEN).update(resident_cancelled_at=now)
        queue_items_close(
            items=items.exclude(pk__in=keep_open.values("pk")), outcome=QueueOutcome.CANCELLED, by=by, now=now
        )
        return request
