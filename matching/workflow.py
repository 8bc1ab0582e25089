"""The request and proposal workflow (DESIGN §4–§6): keyword-only functions that HTML views, the API and the worker
all call. A transition that is not allowed raises `TransitionError` (a message on a page, 409 in the API).

Everything that must not happen twice is guarded twice: the request row is locked (`select_for_update`) before its
proposals change, each change is a conditional `UPDATE … WHERE status=…` whose row count is checked, and the
database's partial unique constraint allows one accepted proposal per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.coordination.models import QueueItem, QueueKind, QueueStatus
from burenhulp.coordination.queue import queue_item_open
from burenhulp.core.categories import SLUGS
from burenhulp.core.models import AuditLog, audit
from burenhulp.helprequests.models import (
    DESCRIPTION_MAX,
    FollowUp,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    Recurrence,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import CreatedVia, Resident
from matching.selection import select_candidates

# A flexible request (no window) is followed up this long after it was matched.
FLEXIBLE_FOLLOW_UP_AFTER = timedelta(days=7)
# An urgent light request escalates this many times faster than the neighbourhood's round window.
URGENT_ROUND_DIVISOR = 4
OPEN_STATUSES = (RequestStatus.OPEN, RequestStatus.PROPOSED)


@dataclass(frozen=True)
class Round:
    number: int
    proposals: list[MatchProposal]


# --- Validation ------------------------------------------------------------------------------------------------


def validate_request_input(
    *,
    category: str,
    description: str,
    window_start: datetime | None,
    window_end: datetime | None,
    recurrence: str = "",
    now: datetime | None = None,
) -> str:
    """Check what a resident typed; returns the cleaned description or raises ValidationError per field."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    text = (description or "").strip()
    if category not in SLUGS:
        errors["category"] = _("Choose one of the kinds of help.")
    if not text:
        errors["description"] = _("Say in a few words what you need.")
    elif len(text) > DESCRIPTION_MAX:
        errors["description"] = _("Please keep it shorter: at most %(n)d characters.") % {"n": DESCRIPTION_MAX}
    if window_end is not None and window_start is None:
        errors["window_start"] = _("Say from when, too.")
    if window_start is not None and window_end is not None and window_end < window_start:
        errors["window_end"] = _("The end is before the start.")
    elif (window_end or window_start) is not None and (window_end or window_start) < now:  # type: ignore[operator]
        errors["window_end" if window_end is not None else "window_start"] = _("This moment has already passed.")
    if recurrence not in Recurrence.values:
        errors["recurrence"] = _("Choose how often.")
    if errors:
        raise ValidationError(errors)
    return text


# --- Creating a request ----------------------------------------------------------------------------------------


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
    via: str = "self",
    now: datetime | None = None,
) -> HelpRequest:
    """Store a request, triage it and act on the level.

    1. Validate (ValidationError, nothing written).
    2. Triage: light → open and the first round; heavy or crisis → queued, a "triage" queue item (crisis: an
       alert to every coordinator of the neighbourhood).
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
    from matching.triage import history_reasons, triage

    buurt = requester.buurt
    result = triage(
        text=text,
        category=category,
        sensitive_topic=sensitive_topic,
        urgent=urgent,
        extra_terms=buurt.triage_terms or {},
    )
    level = str(result.level)
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
            status=RequestStatus.OPEN if level == TriageLevel.LIGHT else RequestStatus.QUEUED,
            triage_level=level,
            triage_reasons=list(result.reasons),
            created_via=via,
            created_by=by if getattr(by, "is_authenticated", False) else None,
            created_at=now,
        )
        if level != TriageLevel.LIGHT:
            item = queue_item_open(
                buurt=buurt,
                kind=QueueKind.TRIAGE,
                level=level,
                reasons=list(result.reasons),
                request=request,
                urgent=urgent,
                summary=text[:300],
            )
            if level == TriageLevel.CRISIS:
                # Same key as the queue's own alert, so a coordinator gets one message whoever writes it first.
                for user in buurt.coordinators.filter(is_active=True):
                    notify(
                        template="crisis_alert",
                        key=f"crisis_alert:{item.pk}:{user.pk}",
                        user=user,
                        buurt=buurt,
                        context={"queue_item_id": item.pk, "request_id": request.pk},
                    )
        history = list(history_reasons(resident=requester, now=now))
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
        if level == TriageLevel.LIGHT:
            round_start(request=request, now=now)
    request.refresh_from_db()
    return request


# --- Rounds ----------------------------------------------------------------------------------------------------


def _lock(request: HelpRequest) -> HelpRequest:
    # Lock the request row only (the requester's street is an outer join, which cannot be locked).
    return (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("buurt", "requester__street")
        .get(pk=request.pk)
    )


def _queue_no_match(request: HelpRequest, *, reason: str, now: datetime) -> None:
    request.status = RequestStatus.QUEUED
    request.round_started_at = None
    request.save(update_fields=["status", "round_started_at", "updated_at"])
    queue_item_open(
        buurt=request.buurt,
        kind=QueueKind.NO_MATCH,
        level=request.triage_level,
        reasons=[reason],
        request=request,
        urgent=request.urgent,
        summary=request.description[:300],
    )
    notify(
        template="no_match",
        key=f"no_match:{request.pk}:{request.requester_id}:{request.current_round}",
        resident=request.requester,
        context={"request_id": request.pk},
    )


def round_start(*, request: HelpRequest, now: datetime | None = None, manual: bool = False) -> Round:
    """Propose the request to the next K neighbours (K = the neighbourhood's proposals per round).

    While a round still has open proposals it is returned unchanged. After the last round (unless a coordinator
    asks by hand) or with nobody left, the request goes to the coordinator queue as "no match" and the round is
    empty. Only light requests that are open, proposed, or queued for want of a match can start a round."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request)
        if request.triage_level != TriageLevel.LIGHT:
            raise TransitionError(_("This request is for the coordinator, not for neighbours."))
        if request.status == RequestStatus.QUEUED and manual:
            request.status = RequestStatus.OPEN
        if request.status not in OPEN_STATUSES:
            raise TransitionError(_("This request can no longer be proposed to neighbours."))
        if request.current_round:
            current = list(
                MatchProposal.objects.filter(
                    request=request, round=request.current_round, status=ProposalStatus.PROPOSED
                ).order_by("-score", "pk")
            )
            if current:
                return Round(request.current_round, current)
        buurt = request.buurt
        if request.current_round >= buurt.max_rounds and not manual:
            _queue_no_match(request, reason="no_match", now=now)
            return Round(request.current_round, [])
        ranked = select_candidates(request, now=now, limit=buurt.proposals_per_round).ranked
        if not ranked:
            _queue_no_match(request, reason="no_match" if request.current_round else "no_candidates", now=now)
            return Round(request.current_round, [])
        number = request.current_round + 1
        proposals = MatchProposal.objects.bulk_create(
            [
                MatchProposal(
                    request=request,
                    volunteer_id=r.volunteer_id,
                    score=r.score,
                    distance_m=r.distance_m,
                    reasons=list(r.reasons),
                    round=number,
                    created_at=now,
                    sent_at=now,
                )
                for r in ranked
            ]
        )
        if not all(p.pk for p in proposals):  # SQLite before returning support: read them back
            proposals = list(MatchProposal.objects.filter(request=request, round=number).order_by("-score", "pk"))
        request.status = RequestStatus.PROPOSED
        request.current_round = number
        request.round_started_at = now
        request.save(update_fields=["status", "current_round", "round_started_at", "updated_at"])
        volunteers = Resident.objects.in_bulk([p.volunteer_id for p in proposals])
        for p in proposals:
            volunteer = volunteers[p.volunteer_id]
            notify(
                template="proposal",
                key=f"proposal:{p.pk}:{volunteer.pk}",
                resident=volunteer,
                context={"proposal_id": p.pk},
            )
        if number > 1 and not manual:
            # The requester hears that more neighbours are asked, so the silence does not worry them.
            notify(
                template="round_escalated",
                key=f"round_escalated:{request.pk}:{request.requester_id}:{number}",
                resident=request.requester,
                context={"request_id": request.pk},
            )
        return Round(number, proposals)


def round_hours(request: HelpRequest) -> float:
    hours = float(request.buurt.round_hours)
    return max(1.0, hours / URGENT_ROUND_DIVISOR) if request.urgent else hours


def rounds_escalate_due(now: datetime | None = None) -> int:
    """Expire the open proposals of every round older than its window and start the next round. Returns how many
    requests moved on. Safe to run twice: a request whose round was just renewed is not due any more."""
    now = now or timezone.now()
    due = HelpRequest.objects.filter(
        status=RequestStatus.PROPOSED,
        triage_level=TriageLevel.LIGHT,
        round_started_at__lte=now - timedelta(hours=1),
    ).select_related("buurt")
    moved = 0
    for request in due.iterator():
        if request.round_started_at is None or request.round_started_at > now - timedelta(hours=round_hours(request)):
            continue
        with transaction.atomic():
            locked = _lock(request)
            if locked.status != RequestStatus.PROPOSED or locked.round_started_at != request.round_started_at:
                continue
            MatchProposal.objects.filter(request=locked, status=ProposalStatus.PROPOSED).update(
                status=ProposalStatus.EXPIRED, answered_at=now
            )
            round_start(request=locked, now=now)
            moved += 1
    return moved


# --- Answers ---------------------------------------------------------------------------------------------------


def proposal_accept(*, proposal: MatchProposal, by: Any = None, now: datetime | None = None) -> MatchProposal:
    """The volunteer says yes (or a coordinator records their yes). The first one wins; everyone else gets
    `TransitionError` ("already taken"). The request becomes matched and the other open proposals withdrawn."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(proposal.request)
        if request.status not in OPEN_STATUSES or request.triage_level != TriageLevel.LIGHT:
            if request.status == RequestStatus.MATCHED:
                raise TransitionError(_("Someone else already said yes. Thank you for offering!"))
            raise TransitionError(_("This request is no longer open."))
        try:
            with transaction.atomic():
                changed = MatchProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
                    status=ProposalStatus.ACCEPTED,
                    answered_at=now,
                    answered_by=by if getattr(by, "is_authenticated", False) else None,
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
        request = _lock(proposal.request)
        changed = MatchProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
            status=ProposalStatus.DECLINED,
            answered_at=now,
            answered_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if changed != 1:
            raise TransitionError(_("This proposal is no longer open."))
        Resident.objects.filter(pk=proposal.volunteer_id).update(last_active_at=now)
        still_open = MatchProposal.objects.filter(request=request, status=ProposalStatus.PROPOSED).exists()
        if request.status == RequestStatus.PROPOSED and not still_open:
            round_start(request=request, now=now)
        return MatchProposal.objects.get(pk=proposal.pk)


# --- Coordinator actions ---------------------------------------------------------------------------------------


def request_release(*, request: HelpRequest, by: Any, now: datetime | None = None) -> Round:
    """A coordinator releases a queued request to neighbours: the level becomes light (the override is logged), the
    request opens and a fresh first round starts (earlier proposals stay excluded)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request)
        if request.status != RequestStatus.QUEUED:
            raise TransitionError(_("Only a request that waits for a coordinator can be released."))
        previous = request.triage_level
        request.triage_level = TriageLevel.LIGHT
        request.triage_overridden_by = by if getattr(by, "is_authenticated", False) else None
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
            reason=f"released to neighbours (was {previous})",
        )
        QueueItem.objects.filter(
            request=request, status=QueueStatus.OPEN, kind__in=[QueueKind.TRIAGE, QueueKind.NO_MATCH]
        ).update(status=QueueStatus.RELEASED, closed_at=now, closed_by=by if getattr(by, "pk", None) else None)
        return round_start(request=request, now=now)


def request_match_by_hand(
    *, request: HelpRequest, volunteer: Resident, by: Any, now: datetime | None = None
) -> MatchProposal:
    """A coordinator pairs a request with a volunteer they spoke to (for instance by phone)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request)
        if volunteer.buurt_id != request.buurt_id:
            raise ValidationError({"volunteer": _("This neighbour does not exist.")})
        if volunteer.pk == request.requester_id or volunteer.household_root_id == request.requester.household_root_id:
            raise ValidationError({"volunteer": _("Someone cannot help their own household through the platform.")})
        if request.status not in (*OPEN_STATUSES, RequestStatus.QUEUED):
            raise TransitionError(_("This request is no longer open."))
        if request.triage_level != TriageLevel.LIGHT:
            request_release(request=request, by=by, now=now)
            request = _lock(request)
        if request.status == RequestStatus.QUEUED:
            HelpRequest.objects.filter(pk=request.pk).update(status=RequestStatus.OPEN)
            QueueItem.objects.filter(request=request, status=QueueStatus.OPEN, kind=QueueKind.NO_MATCH).update(
                status=QueueStatus.CLOSED, closed_at=now, outcome="matched by hand"
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
    """The requester (or a coordinator) no longer needs the help. Open proposals are withdrawn."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request)
        if request.status not in (*OPEN_STATUSES, RequestStatus.QUEUED, RequestStatus.MATCHED):
            raise TransitionError(_("This request is already closed."))
        MatchProposal.objects.filter(request=request, status=ProposalStatus.PROPOSED).update(
            status=ProposalStatus.WITHDRAWN, answered_at=now
        )
        request.status = RequestStatus.CANCELLED
        request.closed_at = now
        request.save(update_fields=["status", "closed_at", "updated_at"])
        QueueItem.objects.filter(request=request, status=QueueStatus.OPEN).update(
            status=QueueStatus.CLOSED, closed_at=now, outcome="cancelled"
        )
        return request


# --- Follow-up -------------------------------------------------------------------------------------------------


def followups_create_due(now: datetime | None = None) -> int:
    """After the date (the window's end, else its start, else a week after matching) a matched request is done and
    both sides are asked how it went. Returns how many follow-ups were created; running twice creates none."""
    now = now or timezone.now()
    past_window = Q(window_end__isnull=False, window_end__lte=now) | Q(
        window_end__isnull=True, window_start__isnull=False, window_start__lte=now
    )
    flexible_due = Q(window_start__isnull=True, window_end__isnull=True, matched_at__lte=now - FLEXIBLE_FOLLOW_UP_AFTER)
    due = HelpRequest.objects.filter(
        (Q(status=RequestStatus.MATCHED) & (past_window | flexible_due)) | Q(status=RequestStatus.DONE),
        follow_ups__isnull=True,
    ).select_related("requester")
    created = 0
    for request in due.iterator():
        with transaction.atomic():
            locked = _lock(request)
            accepted = (
                MatchProposal.objects.filter(request=locked, status=ProposalStatus.ACCEPTED)
                .select_related("volunteer")
                .first()
            )
            if accepted is None or locked.follow_ups.exists():
                continue
            if locked.status == RequestStatus.MATCHED:
                locked.status = RequestStatus.DONE
                locked.closed_at = now
                locked.save(update_fields=["status", "closed_at", "updated_at"])
            for respondent, role in (
                (locked.requester, FollowUp.Role.REQUESTER),
                (accepted.volunteer, FollowUp.Role.VOLUNTEER),
            ):
                follow_up = FollowUp.objects.create(request=locked, respondent=respondent, role=role, created_at=now)
                notify(
                    template="follow_up",
                    key=f"follow_up:{follow_up.pk}:{respondent.pk}",
                    resident=respondent,
                    context={"follow_up_id": follow_up.pk},
                )
                created += 1
    return created


def followup_answer(
    *,
    follow_up: FollowUp,
    happened: str,
    rating: int | None = None,
    comment: str = "",
    too_much: bool = False,
    hand_to_coordinator: bool = False,
    by: Any = None,
    now: datetime | None = None,
) -> FollowUp:
    """Store one side's answer (once). "Did not happen", "too much" or "hand to the coordinator" put a follow-up
    item in the coordinator queue; a volunteer's "too much" also counts as load when they are ranked next time."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if happened not in FollowUp.Happened.values and not (hand_to_coordinator and happened == ""):
        errors["happened"] = _("Say whether it happened.")
    if rating is not None and not 1 <= rating <= 5:
        errors["rating"] = _("Choose from 1 to 5.")
    if len(comment or "") > 2000:
        errors["comment"] = _("Please keep it shorter: at most %(n)d characters.") % {"n": 2000}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        changed = FollowUp.objects.filter(pk=follow_up.pk, answered_at__isnull=True).update(
            happened=happened,
            rating=rating,
            comment=(comment or "").strip(),
            too_much=too_much,
            hand_to_coordinator=hand_to_coordinator,
            answered_at=now,
        )
        if changed != 1:
            raise TransitionError(_("You already answered. Thank you!"))
        answered = FollowUp.objects.select_related("request__buurt", "respondent").get(pk=follow_up.pk)
        Resident.objects.filter(pk=answered.respondent_id).update(last_active_at=now)
        reasons = []
        if happened == FollowUp.Happened.NO:
            reasons.append("follow_up_not_happened")
        if too_much:
            reasons.append("follow_up_too_much")
        if hand_to_coordinator:
            reasons.append("follow_up_hand_over")
        if answered.role == FollowUp.Role.REQUESTER and rating is not None and rating <= 2:
            reasons.append("follow_up_requester_unhappy")
        if reasons:
            queue_item_open(
                buurt=answered.request.buurt,
                kind=QueueKind.FOLLOW_UP,
                level=TriageLevel.LIGHT,
                reasons=reasons,
                request=answered.request,
                resident=answered.respondent,
                follow_up=answered,
                summary=(comment or "")[:300],
            )
        return answered
