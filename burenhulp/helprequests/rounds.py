"""Proposal rounds (DESIGN §5 "Flow"): a light request goes to the best K neighbours at once; when nobody says yes
within the neighbourhood's window (shorter when urgent) the next K are asked; after the last round, or with nobody
left, the request goes to the coordinator queue as "no match".

`matching` decides who (it only reads); this module writes the proposals and their emails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.coordination.models import QueueKind
from burenhulp.coordination.queue import queue_item_open
from burenhulp.helprequests.models import (
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident
from matching.selection import select_candidates

# An urgent light request escalates this many times faster than the neighbourhood's round window.
URGENT_ROUND_DIVISOR = 4


@dataclass(frozen=True)
class Round:
    number: int
    proposals: list[MatchProposal]


def _queue_no_match(request: HelpRequest, *, reason: str) -> None:
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

    1. Lock the request; only a light request that is open, proposed, or (asked by hand) queued for want of a match
       can start a round.
    2. While a round still has open proposals, return it unchanged.
    3. After the last round (unless a coordinator asks by hand) or with nobody left: to the coordinator queue as
       "no match", and the round is empty.
    4. Otherwise write the proposals, one email each, and tell the requester when more neighbours are asked."""
    now = now or timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.locked(request.pk)
        if not request.is_light:
            raise TransitionError(_("This request is for the coordinator, not for neighbours."))
        if request.status == RequestStatus.QUEUED and manual:
            request.status = RequestStatus.OPEN
        if not request.is_open():
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
            _queue_no_match(request, reason="no_match")
            return Round(request.current_round, [])
        ranked = select_candidates(request, now=now, limit=buurt.proposals_per_round).ranked
        if not ranked:
            _queue_no_match(request, reason="no_match" if request.current_round else "no_candidates")
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
        volunteers = Resident.objects.select_related("user").in_bulk([p.volunteer_id for p in proposals])
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
            locked = HelpRequest.objects.locked(request.pk)
            if locked.status != RequestStatus.PROPOSED or locked.round_started_at != request.round_started_at:
                continue
            MatchProposal.objects.filter(request=locked, status=ProposalStatus.PROPOSED).update(
                status=ProposalStatus.EXPIRED, answered_at=now
            )
            round_start(request=locked, now=now)
            moved += 1
    return moved
