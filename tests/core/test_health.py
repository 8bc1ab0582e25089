"""What /healthz reports beyond the database and the broker: worker and beat heartbeats and the outbox backlog."""

from __future__ import annotations

import time
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from burenhulp.core import heartbeat
from burenhulp.notifications.models import Notification, NotificationStatus


def healthz() -> dict[str, object]:
    response = Client().get("/healthz")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_fresh_heartbeats_and_an_empty_outbox_are_ok(db: None, redis_broker: object) -> None:
    heartbeat.record("worker", time.time() - 5)
    heartbeat.record("beat")
    body = healthz()
    assert (body["status"], body["worker"], body["beat"]) == ("ok", "ok", "ok")
    assert body["worker_heartbeat_age_seconds"] in (5, 6)
    assert (body["outbox_pending"], body["outbox_oldest_pending_age_seconds"]) == (0, None)


def test_a_stale_worker_and_an_old_backlog_make_the_platform_degraded(db: None, redis_broker: object) -> None:
    heartbeat.record("worker", time.time() - heartbeat.STALE_AFTER_SECONDS - 30)
    heartbeat.record("beat")
    Notification.objects.create(
        template="proposal",
        idempotency_key="health:1",
        to_email="v@example.org",
        status=NotificationStatus.PENDING,
        created_at=timezone.now() - timedelta(minutes=20),
    )
    Notification.objects.create(
        template="proposal", idempotency_key="health:2", to_email="w@example.org", status=NotificationStatus.SENT
    )
    body = healthz()
    assert (body["status"], body["worker"], body["beat"]) == ("degraded", "stale", "ok")
    assert body["outbox_pending"] == 1
    assert 20 * 60 <= body["outbox_oldest_pending_age_seconds"] < 21 * 60  # type: ignore[operator]
