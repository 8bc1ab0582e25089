"""The one beat schedule of the platform. Each entry says in words what it does and why."""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Every minute: hand outbox rows that a dead worker or a broker outage left behind to the workers again.
    "sweep-outbox": {"task": "burenhulp.notifications.tasks.sweep_outbox", "schedule": 60.0},
    # Every day at 17:00: remind volunteers and requesters of a help that happens tomorrow. Found in the database, so
    # no task ever waits with a countdown longer than the broker's visibility timeout. Safe to run twice a day.
    "send-reminders": {"task": "burenhulp.helprequests.tasks.send_reminders", "schedule": crontab(hour=17, minute=0)},
    # Every day at 8:00: each coordinator gets a digest of their neighbourhood's open queue (if it is not empty).
    "send-queue-digests": {
        "task": "burenhulp.coordination.tasks.send_queue_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    # Every Monday at 9:00: residents who asked for it get the open requests near them (only when there are some).
    "send-weekly-digests": {
        "task": "burenhulp.helprequests.tasks.send_weekly_digests",
        "schedule": crontab(hour=9, minute=0, day_of_week="mon"),
    },
    # Every 5 minutes: a proposal round older than its neighbourhood's window (shorter when urgent) expires and the
    # next neighbours are asked; after the last round the request goes to the coordinator. Safe to run twice.
    "escalate-rounds": {"task": "burenhulp.helprequests.tasks.escalate_rounds", "schedule": 300.0},
    # Every hour: helps whose date has passed get a follow-up for both sides. Creates each follow-up once.
    "create-follow-ups": {"task": "burenhulp.helprequests.tasks.create_follow_ups", "schedule": crontab(minute=20)},
    # Every night at 3:30: closed requests older than their neighbourhood's retention period (retention_days) are
    # anonymised for statistics, and old finished outbox rows deleted (GDPR storage limitation). Safe to run twice.
    "apply-retention": {"task": "burenhulp.privacy.tasks.apply_retention", "schedule": crontab(hour=3, minute=30)},
}
