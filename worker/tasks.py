"""Thin Celery tasks: they take ids and call domain code."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task

from burenhulp.notifications import digests, sending

log = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=sending.MAX_ATTEMPTS,
)
def send_notifications(self: Task[Any, Any], notification_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox rows. The task id is the claim: if this worker dies, the redelivered task (same id)
    takes its rows back at once. Temporary SMTP failures come back here after an exponential backoff, never longer
    than 10 minutes (below the broker's visibility timeout)."""
    return _send(self, list(notification_ids))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=sending.MAX_ATTEMPTS)
def send_notification(self: Task[Any, Any], notification_id: int) -> dict[str, int]:
    """One row (messages queued by older code)."""
    return _send(self, [notification_id])


def _send(task: Task[Any, Any], ids: list[int]) -> dict[str, int]:
    result = sending.send_batch(ids, str(task.request.id or ""))
    if result.retry:
        # A new message for the rows to retry only; the same task id, so the claim rules still hold.
        raise task.retry(
            args=(result.retry,) if task.name == send_notifications.name else (result.retry[0],),
            countdown=sending.backoff_seconds(task.request.retries + 1),
            max_retries=sending.MAX_ATTEMPTS,
        )
    return result.as_dict()


@shared_task(acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue outbox rows left behind by a dead worker or an unreachable broker."""
    ids = sending.sweep()
    for start in range(0, len(ids), 50):
        send_notifications.delay(ids[start : start + 50])
    return len(ids)


@shared_task(acks_late=True)
def send_reminders() -> int:
    """Reminders for helps that happen tomorrow (found in the database, never as a long countdown)."""
    return digests.reminders_due()


@shared_task(acks_late=True)
def send_queue_digests() -> int:
    return digests.queue_digests_due()


@shared_task(acks_late=True)
def send_weekly_digests() -> int:
    return digests.weekly_digests_due()


@shared_task(acks_late=True)
def escalate_rounds() -> int:
    """Rounds whose window passed: expire their proposals and ask the next neighbours (matching.workflow)."""
    from matching.workflow import rounds_escalate_due

    return rounds_escalate_due()


@shared_task(acks_late=True)
def create_follow_ups() -> int:
    """Helps whose date passed: ask both sides how it went (matching.workflow)."""
    from matching.workflow import followups_create_due

    return followups_create_due()


@shared_task(acks_late=True)
def apply_retention() -> int:
    """Closed requests older than their neighbourhood's retention period lose their link to people
    (burenhulp.privacy.erasure). Each request is anonymised once; a second run does nothing."""
    from burenhulp.privacy.erasure import retention_run

    return retention_run()
