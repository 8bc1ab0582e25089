"""The Celery application. Settings come from Django settings with the CELERY_ prefix."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "burenhulp.settings")

app = Celery("burenhulp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker"], related_name="tasks")
# Every worker leaves a heartbeat in the cache for /healthz (burenhulp/core/heartbeat.py).
app.steps["worker"].add("burenhulp.core.heartbeat:WorkerHeartbeat")


def _beat_schedule() -> dict[str, dict[str, object]]:
    from worker.schedule import BEAT_SCHEDULE

    return BEAT_SCHEDULE


app.conf.beat_schedule = _beat_schedule()
