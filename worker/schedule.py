"""The one beat schedule of the platform. Each entry says in words what it does and why."""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Every minute: hand outbox rows that a dead worker or a broker outage left behind to the workers again.
    "sweep-outbox": {"task": "worker.tasks.sweep_outbox", "schedule": 60.0},
}

__all__ = ["BEAT_SCHEDULE", "crontab"]
