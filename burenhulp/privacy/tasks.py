"""Thin Celery task of the privacy area (run by the beat schedule, `worker/schedule.py`)."""

from __future__ import annotations

from celery import shared_task

from burenhulp.privacy.erasure import retention_run


@shared_task(acks_late=True)
def apply_retention() -> int:
    """Closed requests older than their neighbourhood's retention period lose their link to people. Each request is
    anonymised once; a second run does nothing."""
    return retention_run()
