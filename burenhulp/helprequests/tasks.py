"""Thin Celery tasks for requests: each calls one workflow and returns what it did. The beat schedule
(`worker/schedule.py`) runs them; every one is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from burenhulp.helprequests import digests
from burenhulp.helprequests.followups import followups_create_due
from burenhulp.helprequests.rounds import rounds_escalate_due


@shared_task(acks_late=True)
def escalate_rounds() -> int:
    """Rounds whose window passed: expire their proposals and ask the next neighbours."""
    return rounds_escalate_due()


@shared_task(acks_late=True)
def create_follow_ups() -> int:
    """Helps whose date passed: ask both sides how it went."""
    return followups_create_due()


@shared_task(acks_late=True)
def send_reminders() -> int:
    """Reminders for helps that happen tomorrow (found in the database, never as a long countdown)."""
    return digests.reminders_due()


@shared_task(acks_late=True)
def send_weekly_digests() -> int:
    return digests.weekly_digests_due()
