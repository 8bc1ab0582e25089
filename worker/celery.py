"""The Celery application. Settings come from Django settings with the CELERY_ prefix; every installed app's
`tasks.py` is found by autodiscovery, so this package imports none of our code."""

from __future__ import annotations

import os

from celery import Celery

from worker.schedule import BEAT_SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "burenhulp.settings")

app = Celery("burenhulp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Every worker leaves a heartbeat in the cache for /healthz (burenhulp/core/heartbeat.py), named by its dotted path
# so this package still imports none of our code.
app.steps["worker"].add("burenhulp.core.heartbeat:WorkerHeartbeat")
app.conf.beat_schedule = BEAT_SCHEDULE
