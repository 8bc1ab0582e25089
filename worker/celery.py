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
app.conf.beat_schedule = BEAT_SCHEDULE
