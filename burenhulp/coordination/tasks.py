"""Thin Celery tasks of the coordinator queue (run by the beat schedule, `worker/schedule.py`)."""

from __future__ import annotations

from celery import shared_task

from burenhulp.coordination.queue import queue_digests_due


@shared_task(acks_late=True)
def send_queue_digests() -> int:
    """Each coordinator's daily digest of their neighbourhood's open queue (only when it is not empty)."""
    return queue_digests_due()
