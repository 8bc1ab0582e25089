"""The call list (belronde, DESIGN §12): a coordinator phones a resident a message could not reach and records the
answer on their behalf, through the same workflow functions as the email links. Every answer is audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.core.models import AuditLog, acting_account, audit
from burenhulp.helprequests import services as requests
from burenhulp.helprequests.followups import followup_answer
from burenhulp.helprequests.models import FollowUp, TransitionError
from burenhulp.notifications.models import CallOutcome, CallTask

#: What a coordinator can record; the API takes the first two.
CALL_ANSWERS = (
    CallOutcome.REACHED,
    CallOutcome.NOT_REACHED,
    CallOutcome.ACCEPTED,
    CallOutcome.DECLINED,
    CallOutcome.ANSWERED,
)


def call_record(
    *,
    task: CallTask,
    outcome: str,
    by: Any,
    happened: str = "",
    rating: int | None = None,
    comment: str = "",
    too_much: bool = False,
    hand_to_coordinator: bool = False,
    now: datetime | None = None,
) -> CallTask:
    """Record one call. `reached`: the message was told; `not_reached`: the try is counted and the call stays on the
    list; `accepted` / `declined`: the volunteer's answer to a proposal (`proposal_accept`, `proposal_decline`);
    `answered`: their follow-up answer (`followup_answer`). A workflow that refuses (the proposal was already taken)
    raises `TransitionError` and nothing changes."""
    now = now or timezone.now()
    if outcome not in CALL_ANSWERS:
        raise ValidationError({"outcome": _("Choose what the call gave.")})
    with transaction.atomic():
        locked = (
            CallTask.objects.select_for_update(of=("self",)).select_related("proposal", "follow_up").get(pk=task.pk)
        )
        if not locked.is_open():
            raise TransitionError(_("This call was already written down."))
        if outcome == CallOutcome.NOT_REACHED:
            CallTask.objects.filter(pk=locked.pk).update(attempts=locked.attempts + 1, last_attempt_at=now)
        else:
            _answer(locked, outcome, by, happened, rating, comment, too_much, hand_to_coordinator, now)
            CallTask.objects.filter(pk=locked.pk).update(
                done_at=now, done_by=acting_account(by), outcome=outcome, last_attempt_at=now
            )
        audit(
            actor=by, action=AuditLog.Action.CHANGE, target=locked, reason=f"call list: {outcome} ({locked.template})"
        )
        return CallTask.objects.get(pk=locked.pk)


def _answer(
    task: CallTask,
    outcome: str,
    by: Any,
    happened: str,
    rating: int | None,
    comment: str,
    too_much: bool,
    hand_to_coordinator: bool,
    now: datetime,
) -> None:
    if outcome in (CallOutcome.ACCEPTED, CallOutcome.DECLINED):
        proposal = task.proposal
        if task.template != "proposal" or proposal is None or proposal.volunteer_id != task.resident_id:
            raise ValidationError({"outcome": _("This call is not a question to help.")})
        if outcome == CallOutcome.ACCEPTED:
            requests.proposal_accept(proposal=proposal, by=by, now=now)
        else:
            requests.proposal_decline(proposal=proposal, by=by, now=now)
    elif outcome == CallOutcome.ANSWERED:
        follow_up: FollowUp | None = task.follow_up
        if task.template != "follow_up" or follow_up is None:
            raise ValidationError({"outcome": _("This call is not a follow-up.")})
        followup_answer(
            follow_up=follow_up,
            happened=happened,
            rating=rating,
            comment=comment,
            too_much=too_much,
            hand_to_coordinator=hand_to_coordinator,
            now=now,
        )
