"""The coordinator queue's one door in and one door out.

- `queue_item_open` is the only way something is put in front of a coordinator (triage, matching rounds, follow-ups,
  referral cards, history signals), so the queue has one shape and one ordering. The crisis alert is sent here and
  only here: one alert per crisis request, to each active coordinator of the neighbourhood.
- `queue_items_close` is the only way an item leaves the open queue (referred, released to neighbours, closed with
  an outcome): one conditional UPDATE, so an item is closed once, whoever tries at the same time.
- `queue_digests_due` writes the coordinators' daily digest of their open queue.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from burenhulp.coordination.models import LEVEL_PRIORITY, QueueItem, QueueKind, QueueStatus
from burenhulp.core.models import Neighbourhood, acting_account
from burenhulp.helprequests.models import FollowUp, HelpRequest, TriageLevel
from burenhulp.notifications.outbox import notify
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

    Crisis sorts before heavy before the rest; `urgent` raises an item within its level. The item that brings a
    crisis request to the queue (kind "triage") emails the neighbourhood's coordinators (outbox, in this
    transaction); other items about the same request never alert again."""
    if kind == QueueKind.CHECK_IN and level == TriageLevel.CRISIS:
        # A check-in is about a person's history, never a crisis of its own (DESIGN §12): the crisis is on the
        # request's own triage item.
        level = TriageLevel.HEAVY
    with transaction.atomic():
        if request is not None:
            existing = (
                QueueItem.objects.select_for_update()
                .filter(request=request, kind=kind, status=QueueStatus.OPEN)
                .first()
            )
            if existing is not None:
                return existing
        who = resident if resident is not None else (request.requester if request else None)
        if kind == QueueKind.CHECK_IN and who is not None:
            # At most one open check-in per resident: a new signal attaches to the open one.
            existing = (
                QueueItem.objects.select_for_update()
                .filter(resident=who, kind=QueueKind.CHECK_IN, status=QueueStatus.OPEN)
                .order_by("created_at")
                .first()
            )
            if existing is not None:
                merged = list(existing.reasons or []) + [r for r in reasons if r not in (existing.reasons or [])]
                QueueItem.objects.filter(pk=existing.pk).update(
                    reasons=merged, summary=summary[:300] or existing.summary
                )
                existing.refresh_from_db()
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
            priority=LEVEL_PRIORITY.get(TriageLevel(level), LEVEL_PRIORITY[TriageLevel.LIGHT]),
            summary=summary[:300],
        )
        if kind == QueueKind.TRIAGE and level == TriageLevel.CRISIS:
            _alert_coordinators(item)
        return item


def _alert_coordinators(item: QueueItem) -> None:
    """A crisis alerts every coordinator of the neighbourhood by email at once (sent after commit by the worker)."""
    # The key names the request, not the item: a crisis request alerts each coordinator once, however many items
    # it opens over time.
    about = item.request_id if item.request_id else f"q{item.pk}"
    for user in item.buurt.coordinators.filter(is_active=True).distinct():
        notify(
            template="crisis_alert",
            key=f"crisis_alert:{about}:{user.pk}",
            user=user,
            buurt=item.buurt,
            context={"queue_item_id": item.pk, "request_id": item.request_id},
        )


def queue_items_close(
    *,
    items: QuerySet[QueueItem],
    status: str = QueueStatus.CLOSED,
    outcome: str = "",
    by: Any = None,
    now: datetime | None = None,
) -> int:
    """Close the open items among `items`: referred, released or closed. Returns how many this call closed (an item
    someone else closed first is not counted), so "is it still open?" is the caller's check of the count.

    `outcome` is a coordinator's own words, or a `QueueOutcome` code that `QueueItem.outcome_text` renders in the
    reader's language."""
    if status not in {QueueStatus.REFERRED, QueueStatus.RELEASED, QueueStatus.CLOSED}:
        raise ValueError(f"not a closing status: {status!r}")
    return items.filter(status=QueueStatus.OPEN).update(
        status=status,
        closed_at=now or timezone.now(),
        closed_by=acting_account(by),
        outcome=outcome[:2000],
    )


def queue_digests_due(today: date | None = None) -> int:
    """One digest a day to each coordinator of each neighbourhood with open queue items; the key holds the day, so
    running it twice the same day sends nothing twice. Returns the outbox rows written."""
    today = today or timezone.localdate()
    buurt_ids = QueueItem.objects.open().values_list("buurt_id", flat=True).distinct()
    written = 0
    for buurt in Neighbourhood.objects.filter(pk__in=buurt_ids).prefetch_related("coordinators"):
        with transaction.atomic():
            for user in buurt.coordinators.all():
                if not user.is_active:
                    continue
                notify(
                    template="queue_digest",
                    key=f"queue_digest:{buurt.pk}-{today.isoformat()}:{user.pk}",
                    user=user,
                    buurt=buurt,
                    context={"buurt_id": buurt.pk},
                )
                written += 1
    return written
