"""Follow-up after the help (DESIGN §6): did it happen, how did it go, was it too much? Answers that raise a flag
reach the coordinator queue."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.coordination.models import QueueKind
from burenhulp.coordination.queue import queue_item_open
from burenhulp.helprequests.models import (
    FollowUp,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident

# A flexible request (no window) is followed up this long after it was matched.
FLEXIBLE_FOLLOW_UP_AFTER = timedelta(days=7)
COMMENT_MAX = 2000


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
            locked = HelpRequest.objects.locked(request.pk)
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
    if len(comment or "") > COMMENT_MAX:
        errors["comment"] = _("Please keep it shorter: at most %(n)d characters.") % {"n": COMMENT_MAX}
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
