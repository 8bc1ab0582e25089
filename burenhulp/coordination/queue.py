"""Putting things in front of a coordinator. Every producer (triage, matching rounds, follow-ups, referral cards,
reports) calls `queue_item_open`, so the queue has one shape and one ordering."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from burenhulp.coordination.models import LEVEL_PRIORITY, QueueItem, QueueStatus
from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import FollowUp, HelpRequest, TriageLevel
from burenhulp.residents.models import Resident


def queue_item_open(
    *,
    buurt: Neighbourhood,
    kind: str,
    level: str,
    reasons: list[Any],
    request: HelpRequest | None = None,
    resident: Resident | None = None,
    follow_up: FollowUp | None = None,
    urgent: bool = False,
    summary: str = "",
) -> QueueItem:
    """Open a queue item, or return the open one of the same kind for the same request (no duplicates).

    Crisis sorts before heavy before the rest; `urgent` raises an item within its level. A new crisis item emails
    the neighbourhood's coordinators (outbox, in this transaction)."""
    with transaction.atomic():
        if request is not None:
            existing = (
                QueueItem.objects.select_for_update()
                .filter(request=request, kind=kind, status=QueueStatus.OPEN)
                .first()
            )
            if existing is not None:
                return existing
        item = QueueItem.objects.create(
            buurt=buurt,
            kind=kind,
            level=level,
            reasons=reasons,
            request=request,
            resident=resident if resident is not None else (request.requester if request else None),
            follow_up=follow_up,
            urgent=urgent,
            priority=LEVEL_PRIORITY.get(level, 2),  # type: ignore[call-overload]
            summary=summary[:300],
        )
        if level == TriageLevel.CRISIS:
            _alert_coordinators(item)
        return item


def _alert_coordinators(item: QueueItem) -> None:
    """A crisis alerts every coordinator of the neighbourhood by email at once (sent after commit by the worker)."""
    from burenhulp.notifications.outbox import notify

    for user in item.buurt.coordinators.filter(is_active=True):
        notify(
            template="crisis_alert",
            key=f"crisis_alert:{item.pk}:{user.pk}",
            user=user,
            buurt=item.buurt,
            context={"queue_item_id": item.pk, "request_id": item.request_id},
        )
