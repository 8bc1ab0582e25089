"""Heartbeats of the Celery worker and beat, kept in the shared cache.

Every worker writes one every 30 seconds (a worker bootstep on its timer, so a busy pool does not delay it) and beat
writes one at every tick of its scheduler (at least every `CELERY_BEAT_MAX_LOOP_INTERVAL` seconds). `/healthz`
reports their age (`burenhulp/core/health.py`) and beat's container health check fails when its own is stale.

This module is imported by the Celery app before Django is set up: no models here.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Literal

from celery import bootsteps
from celery.beat import PersistentScheduler
from django.core.cache import cache

log = logging.getLogger(__name__)

Component = Literal["worker", "beat"]
WORKER_INTERVAL_SECONDS = 30
# A heartbeat older than this means the process is gone or stuck (four missed beats).
STALE_AFTER_SECONDS = 120


def _key(component: Component) -> str:
    return f"health:heartbeat:{component}"


def record(component: Component, now: float | None = None) -> None:
    """Note that `component` is alive now. Never raises: a cache outage must not stop a worker or beat."""
    try:
        cache.set(_key(component), now if now is not None else time.time(), timeout=24 * 3600)
    except Exception:  # The cache (Redis) is down; /healthz shows the stale heartbeat and the broker error.
        log.warning("Could not record the %s heartbeat in the cache.", component, exc_info=True)


def age(component: Component, now: float | None = None) -> float | None:
    """Seconds since the newest heartbeat of `component` (any of its processes), or None when there is none."""
    value = cache.get(_key(component))
    if value is None:
        return None
    return max(0.0, (now if now is not None else time.time()) - float(value))


class WorkerHeartbeat(bootsteps.StartStopStep):
    """A worker bootstep: a heartbeat at start and then every 30 seconds, from the worker's own timer."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.tref: Any = None

    def start(self, parent: Any) -> None:
        record("worker")
        self.tref = parent.timer.call_repeatedly(WORKER_INTERVAL_SECONDS, record, ("worker",), priority=10)

    def stop(self, parent: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


class HeartbeatScheduler(PersistentScheduler):
    """Celery beat's default scheduler, plus a heartbeat at every tick (at most one write every 10 seconds)."""

    _last_beat = 0.0

    def tick(self, *args: Any, **kwargs: Any) -> float:
        now = time.time()
        if now - self._last_beat >= 10:
            record("beat", now)
            self._last_beat = now
        return float(super().tick(*args, **kwargs))  # type: ignore[misc]  # celery-types lacks Scheduler.tick
