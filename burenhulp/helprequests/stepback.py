"""A volunteer steps back (DESIGN §12): after saying yes (`proposal_withdraw`), or because they may no longer act
(blocked, erased, account disabled: `volunteer_stand_down`). The request goes back to matching and the requester is
told; pages, the API, the signed email link, the call list, moderation, erasure and the admin all call these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.core.models import AuditLog, audit
from burenhulp.helprequests.models import (
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TransitionError,
)
from burenhulp.helprequests.rounds import round_start
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident


def proposal_withdraw(
    *, proposal: MatchProposal, by: Any = None, reason: str = "", now: datetime | None = None
) -> MatchProposal:
    """A volunteer who said yes steps back (DESIGN §12), or a coordinator records that on their behalf (phone).

    The proposal is withdrawn with the reason (shown to coordinators only), the request goes back to matching (the
    next round; with nobody left, to the coordinator as "no match"), and the requester is told. `TransitionError`
    when the proposal is not the accepted one of a matched request."""
    now = now or timezone.now()
    reason = (reason or "").strip()[:1000]
    with transaction.atomic():
        request = HelpRequest.objects.locked(proposal.request_id)
        if request.status != RequestStatus.MATCHED:
            raise TransitionError(_("This help is no longer planned, so there is nothing to step back from."))
        changed = MatchProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.ACCEPTED).update(
            status=ProposalStatus.WITHDRAWN, stepped_back_at=now, step_back_reason=reason
        )
        if changed != 1:
            raise TransitionError(_("Only a neighbour who said yes can step back."))
        HelpRequest.objects.filter(pk=request.pk).update(status=RequestStatus.OPEN, matched_at=None, updated_at=now)
        audit(
            actor=by,
            action=AuditLog.Action.CHANGE,
            target=request,
            reason=f"volunteer {proposal.volunteer_id} stepped back",
        )
        notify(
            template="stepped_back",
            key=f"stepped_back:{proposal.pk}:{request.requester_id}",
            resident=request.requester,
            context={"proposal_id": proposal.pk},
        )
        request = HelpRequest.objects.locked(request.pk)
        if request.is_light:
            round_start(request=request, now=now, manual=True)
        return MatchProposal.objects.get(pk=proposal.pk)


def volunteer_stand_down(
    *, volunteer: Resident, by: Any, reason: str, now: datetime | None = None, accepted_too: bool = True
) -> int:
    """A volunteer who may no longer act (blocked, erased, deactivated; DESIGN §12): withdraw their open proposals.
    With `accepted_too`, also step them back from help they accepted that still lies ahead (no date, or a date not
    yet past), so each such request goes back to matching and its requester is told. Returns how many changed."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = MatchProposal.objects.filter(volunteer=volunteer, status=ProposalStatus.PROPOSED).update(
            status=ProposalStatus.WITHDRAWN, answered_at=now
        )
        if not accepted_too:
            return changed
        ahead = MatchProposal.objects.filter(
            volunteer=volunteer, status=ProposalStatus.ACCEPTED, request__status=RequestStatus.MATCHED
        ).filter(Q(request__window_start__isnull=True) | Q(request__window_start__gte=now))
        for proposal in list(ahead):
            proposal_withdraw(proposal=proposal, by=by, reason=reason, now=now)
            changed += 1
    return changed
