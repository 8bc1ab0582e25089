"""What `/healthz` reports: the database, the broker, the worker and beat heartbeats, and the outbox backlog.

The answer is 200 while the database answers (the web process can serve pages) and 503 when it does not, so a load
balancer or the container health check only takes a web process out when it cannot work. Everything else is reported
for monitoring: `status` is "degraded" when the broker is unreachable, no worker or beat heartbeat is fresh, or the
oldest message waiting in the outbox is older than `OUTBOX_BACKLOG_ALERT_SECONDS` (residents are waiting for mail).
No personal data: counts, ages in seconds, and error class names.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from kombu import Connection

from burenhulp.core import heartbeat
from burenhulp.notifications.models import Notification, NotificationStatus

# The sweeper hands rows on after 2 minutes; a message still waiting after 15 means the workers are not keeping up.
OUTBOX_BACKLOG_ALERT_SECONDS = 15 * 60


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # Any database error means "not healthy"; the message names the kind only.
        return f"error: {type(exc).__name__}"
    return "ok"


def _broker() -> str:
    if settings.TASKS_IN_PROCESS:
        return "not used: tasks run in-process (development)"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # Report, never crash, when the broker is down.
        return f"error: {type(exc).__name__}"
    return "ok"


def _heartbeat(component: heartbeat.Component) -> tuple[str, int | None]:
    try:
        seconds = heartbeat.age(component)
    except Exception as exc:  # The cache is down: say so, and let the broker line say why.
        return f"error: {type(exc).__name__}", None
    if seconds is None:
        return "no heartbeat", None
    return ("ok" if seconds <= heartbeat.STALE_AFTER_SECONDS else "stale"), round(seconds)


def _outbox() -> tuple[int, int | None]:
    waiting = Notification.objects.filter(
        status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]
    ).aggregate(n=Count("id"), oldest=Min("created_at"))
    oldest = waiting["oldest"]
    return waiting["n"], None if oldest is None else max(0, round((timezone.now() - oldest).total_seconds()))


def report() -> tuple[int, dict[str, Any]]:
    """The HTTP status and the body of `/healthz`."""
    body: dict[str, Any] = {"database": _database(), "broker": _broker()}
    for component in ("worker", "beat"):
        state, seconds = _heartbeat(component)
        body[component] = state
        body[f"{component}_heartbeat_age_seconds"] = seconds
    degraded = body["broker"] != "ok" and not settings.TASKS_IN_PROCESS
    if not settings.TASKS_IN_PROCESS:
        degraded = degraded or body["worker"] != "ok" or body["beat"] != "ok"
    if body["database"] == "ok":
        pending, oldest = _outbox()
        body["outbox_pending"] = pending
        body["outbox_oldest_pending_age_seconds"] = oldest
        degraded = degraded or (oldest is not None and oldest > OUTBOX_BACKLOG_ALERT_SECONDS)
        return 200, {"status": "degraded" if degraded else "ok", **body}
    return 503, {"status": "error", **body}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker, worker and beat heartbeats, outbox backlog; 503 without a database."""
    status, body = report()
    return JsonResponse(body, status=status)
