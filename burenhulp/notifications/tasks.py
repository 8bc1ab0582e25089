"""Thin Celery tasks that deliver the outbox: they take ids and call `sending`.

`outbox.dispatch` hands ids to `send_notifications` by its registered name (`outbox.SEND_TASK`), so the outbox
never imports a task: tasks sit on top, like views."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from burenhulp.notifications import sending
from burenhulp.notifications.outbox import BATCH_SIZE, SEND_TASK


@shared_task(
    name=SEND_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=sending.MAX_ATTEMPTS,
)
def send_notifications(self: Task[Any, Any], notification_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox rows. The task id is the claim: if this worker dies, the redelivered task (same id)
    takes its rows back at once. Temporary SMTP failures come back here after an exponential backoff, never longer
    than 10 minutes (below the broker's visibility timeout)."""
    result = sending.send_batch(list(notification_ids), str(self.request.id or ""))
    if result.retry:
        # A new message for the rows to retry only; the same task id, so the claim rules still hold.
        raise self.retry(
            args=(result.retry,),
            countdown=sending.backoff_seconds(self.request.retries + 1),
            max_retries=sending.MAX_ATTEMPTS,
        )
    return result.as_dict()


@shared_task(acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue outbox rows left behind by a dead worker or an unreachable broker."""
    ids = sending.sweep()
    for start in range(0, len(ids), BATCH_SIZE):
        send_notifications.delay(ids[start : start + BATCH_SIZE])
    return len(ids)
