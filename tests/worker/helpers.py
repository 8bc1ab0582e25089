"""Shared by the worker tests and the benchmark: many volunteers with proposals, fast; broker switching."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from burenhulp.core.models import Neighbourhood, Street
from burenhulp.helprequests.models import HelpRequest, MatchProposal, RequestStatus
from burenhulp.notifications.models import Notification, NotificationStatus
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident


def make_proposals(buurt: Neighbourhood, count: int, tag: str) -> list[MatchProposal]:
    """`count` volunteers, each with an email and a proposal for one shared open request (bulk inserts)."""
    street, _ = Street.objects.get_or_create(buurt=buurt, name="Molenstraat")
    requester = Resident.objects.create(
        buurt=buurt, first_name="Rita", street=street, house_number="4", email=f"req-{tag}@example.org"
    )
    request = HelpRequest.objects.create(
        buurt=buurt,
        requester=requester,
        category="boodschappen",
        description="Boodschappen.",
        window_start=timezone.now() + timezone.timedelta(days=2),
        status=RequestStatus.PROPOSED,
    )
    volunteers = Resident.objects.bulk_create(
        [
            Resident(
                buurt=buurt, first_name=f"V{i}", email=f"v{i}-{tag}@example.org", language=("nl-be", "fr", "en")[i % 3]
            )
            for i in range(count)
        ]
    )
    return MatchProposal.objects.bulk_create(
        [
            MatchProposal(
                request=request,
                volunteer=v,
                score=0.5,
                distance_m=300 + i % 500,
                reasons=[{"code": "distance", "m": 300 + i % 500}],
            )
            for i, v in enumerate(volunteers)
        ]
    )


def notify_proposals(proposals: list[MatchProposal], per_transaction: int = 200) -> list[int]:
    """Outbox rows for the proposals, written in transactions of `per_transaction` (as a matching round would)."""
    ids: list[int] = []
    for start in range(0, len(proposals), per_transaction):
        with transaction.atomic():
            for p in proposals[start : start + per_transaction]:
                row = notify(
                    template="proposal",
                    key=f"proposal:{p.pk}:{p.volunteer_id}",
                    resident=p.volunteer,
                    context={"proposal_id": p.pk},
                )
                ids.append(row.pk)
    return ids


def wait_until_sent(ids: list[int], timeout: float) -> int:
    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        done = Notification.objects.filter(pk__in=ids, status=NotificationStatus.SENT).count()
        if done == len(ids):
            break
        time.sleep(0.2)
    return done


def keys_received(messages: list[Message]) -> Counter[str]:
    return Counter(str(m["X-Burenhulp-Key"]) for m in messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A private redis-server on its own port, which a test may stop and start (never the shared one)."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        self.proc = None


@contextmanager
def producer_broker(url: str) -> Iterator[None]:
    """Make this process publish tasks to `url` (the worker under test listens there)."""
    from worker.celery import app

    names = ("broker_url", "broker_write_url", "broker_read_url")
    old = {name: app.conf.get(name) for name in names}

    def reset() -> None:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(dict.fromkeys(names, url))
    reset()
    try:
        yield
    finally:
        app.conf.update(old)
        reset()
