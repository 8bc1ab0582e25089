"""After a Redis restart, new notifications flow again without restarting the worker.

A private redis-server on a free port is stopped and started under a running worker (the shared Redis is never
touched). This module runs last on purpose: switching this process's broker to the private server and back leaves
kombu's cached producer pool for the shared broker closed, so a later test in the same process could not publish.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from burenhulp.core.models import Neighbourhood
from burenhulp.notifications.models import Notification, NotificationStatus
from tests.realparts import ARTIFACTS, SMTPSink, WorkerProcess, worker_env
from tests.worker.helpers import (
    RedisServer,
    free_port,
    make_proposals,
    notify_proposals,
    producer_broker,
    wait_until_sent,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _row(pk: int) -> Notification:
    return Notification.objects.get(pk=pk)


def test_new_notifications_flow_again_after_a_redis_restart_without_restarting_the_worker(
    transactional_db: None, smtp_server: SMTPSink, buurt: Neighbourhood
) -> None:
    from worker.celery import app

    server = RedisServer(free_port(), ARTIFACTS / "redis-restart")
    server.start()
    env = worker_env(smtp_server) | {"CELERY_BROKER_URL": server.url}
    app.conf.task_always_eager = False
    worker = WorkerProcess(env).start()
    try:
        with producer_broker(server.url):
            proposals = make_proposals(buurt, 2, "restart")
            first = notify_proposals(proposals[:1])
            assert wait_until_sent(first, timeout=20) == 1
            server.stop()
            time.sleep(1)
            server.start()
            restarted = time.monotonic()
            second = notify_proposals(proposals[1:])
            assert _row(second[0]).status == NotificationStatus.PENDING
            assert wait_until_sent(second, timeout=60) == 1
            recovery = time.monotonic() - restarted
        print(f"\nRedis restart: the next notification arrived {recovery:.1f} s after Redis was back")
        assert worker.proc is not None and worker.proc.poll() is None  # Same worker, never restarted.
        assert len(smtp_server.messages) == 2
    finally:
        worker.stop()
        server.stop()
        app.conf.task_always_eager = True
        Path(ARTIFACTS / "redis-restart").mkdir(exist_ok=True)
