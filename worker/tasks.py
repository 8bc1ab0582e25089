"""Thin Celery tasks: they take ids and call domain code."""

from __future__ import annotations

from celery import shared_task

from burenhulp.notifications import sending


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(sending.TemporaryError,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=sending.MAX_ATTEMPTS,
)
def send_notification(self: object, notification_id: int) -> str:
    return sending.send(notification_id)


@shared_task(acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue outbox rows left behind by a dead worker or an unreachable broker."""
    ids = sending.sweep()
    for notification_id in ids:
        send_notification.delay(notification_id)
    return len(ids)
