"""Delivery under faults, with real parts: a Celery worker process over Redis, PostgreSQL, an aiosmtpd server.

At-least-once underneath, exactly-once as the recipient sees it: SMTP 451 is retried after a backoff, 550 is not;
a worker child killed with SIGKILL in the middle of a batch loses nothing; a Redis restart does not need a worker
restart; a task run twice has its effect once.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
import redis

from burenhulp.core.models import Neighbourhood
from burenhulp.notifications.models import Notification, NotificationStatus
from burenhulp.notifications.tasks import send_notifications
from tests.realparts import SMTPSink, WorkerProcess, worker_env
from tests.worker.helpers import (
    keys_received,
    make_proposals,
    notify_proposals,
    wait_until_sent,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _row(pk: int) -> Notification:
    return Notification.objects.get(pk=pk)


def _wait_status(pk: int, status: str, timeout: float) -> Notification:
    deadline = time.monotonic() + timeout
    row = _row(pk)
    while row.status != status and time.monotonic() < deadline:
        time.sleep(0.1)
        row = _row(pk)
    return row


def test_smtp_451_then_250_is_delivered_once_after_a_retry(
    celery_worker_process: WorkerProcess, smtp_server: SMTPSink, buurt: Neighbourhood, redis_broker: redis.Redis
) -> None:
    smtp_server.replies = ["451 4.3.0 Mailbox busy, try again later"]
    [row_id] = notify_proposals(make_proposals(buurt, 1, "t451"))
    row = _wait_status(row_id, NotificationStatus.SENT, timeout=30)
    assert row.status == NotificationStatus.SENT and row.attempts == 2
    celery_worker_process.wait_idle(redis_broker)  # no further retry is queued or scheduled
    assert len(smtp_server.messages) == 1 and smtp_server.replies == []


def test_smtp_550_fails_for_good_and_is_not_retried(
    celery_worker_process: WorkerProcess, smtp_server: SMTPSink, buurt: Neighbourhood, redis_broker: redis.Redis
) -> None:
    smtp_server.replies = ["550 5.1.1 No such mailbox"]
    [row_id] = notify_proposals(make_proposals(buurt, 1, "t550"))
    row = _wait_status(row_id, NotificationStatus.FAILED, timeout=20)
    assert row.status == NotificationStatus.FAILED and row.attempts == 1 and row.last_error.startswith("550")
    # A retry would be a task scheduled for its countdown: the worker holds none, and nothing more arrives.
    celery_worker_process.wait_idle(redis_broker)
    assert smtp_server.messages == [] and _row(row_id).attempts == 1


def test_a_task_run_twice_has_its_effect_once(
    celery_worker_process: WorkerProcess, smtp_server: SMTPSink, buurt: Neighbourhood, redis_broker: redis.Redis
) -> None:
    ids = notify_proposals(make_proposals(buurt, 5, "twice"))
    assert wait_until_sent(ids, timeout=30) == 5
    send_notifications.delay(ids)
    send_notifications.delay(ids)
    celery_worker_process.wait_idle(redis_broker)  # both ran
    assert len(smtp_server.messages) == 5
    assert set(keys_received(smtp_server.messages).values()) == {1}


def test_sigkill_in_the_middle_of_a_batch_loses_nothing(
    transactional_db: None, redis_broker: redis.Redis, smtp_server: SMTPSink, settings: object, buurt: Neighbourhood
) -> None:
    from worker.celery import app

    app.conf.task_always_eager = False
    worker = WorkerProcess(worker_env(smtp_server), concurrency=2).start()
    kills = 0
    try:
        total = 400
        ids = notify_proposals(make_proposals(buurt, total, "kill"), per_transaction=400)
        deadline = time.monotonic() + 90
        # Kill a child every time another ~60 messages arrived, while the batches are being sent.
        next_kill_at = 40
        while len(smtp_server.messages) < total and time.monotonic() < deadline and kills < 4:
            if len(smtp_server.messages) >= next_kill_at:
                children = worker.child_pids()
                if children:
                    os.kill(children[0], signal.SIGKILL)
                    kills += 1
                    next_kill_at += 60
            time.sleep(0.01)
        sent = wait_until_sent(ids, timeout=90)
        worker.wait_idle(redis_broker, timeout=60)  # redelivered tasks have run too
    finally:
        worker.stop()
        app.conf.task_always_eager = True
    counts = keys_received(smtp_server.messages)
    duplicates = sum(n - 1 for n in counts.values())
    print(f"\nSIGKILL run: {kills} kills, {len(counts)} distinct delivered of {total}, {duplicates} duplicates")
    assert kills >= 2, "the batch finished before the kills: make it larger"
    assert sent == total and len(counts) == total  # Nothing lost.
    # A repeat is possible only when a kill fell between the SMTP server's acceptance and the row's update: at most
    # one message per kill (each child sends one message at a time).
    assert duplicates <= kills
