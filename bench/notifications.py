"""Notification delivery benchmark: `python -m bench.notifications` (or `python -m bench notifications`).

With real parts: PostgreSQL (its own benchmark database), Redis (its own database number, plus a private
redis-server for the restart run), real `celery worker` processes and an aiosmtpd server in this process.

1. Throughput: N proposal emails are written to the outbox (tasks queue up in Redis), then a worker with 1 or 2
   processes starts; we time from "worker ready" to the last message accepted by the SMTP server.
2. SIGKILL: 1,000 messages while a worker child is killed every few seconds: delivered, lost, duplicates.
3. Redis restart: a private redis-server is restarted under a running worker; the time until the next notification
   reaches the SMTP server (the worker is never restarted).
4. End-to-end delay: `matching.services.proposal_accept` → the requester's "good news" email at the SMTP server.

Environment: BENCH_NOTIFY_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bh_bench_notify),
BENCH_NOTIFY_BROKER_URL (default redis://127.0.0.1:6379/10).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bh_bench_notify"
DEFAULT_BROKER = "redis://127.0.0.1:6379/10"


def _setup() -> None:
    db = os.environ.get("BENCH_NOTIFY_DATABASE_URL", DEFAULT_DB)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="burenhulp.settings",
        DJANGO_SECRET_KEY="bench-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DATABASE_URL=db,
        CELERY_BROKER_URL=os.environ.get("BENCH_NOTIFY_BROKER_URL", DEFAULT_BROKER),
        REDIS_CACHE_URL=os.environ.get("BENCH_NOTIFY_BROKER_URL", DEFAULT_BROKER).rsplit("/", 1)[0] + "/11",
        SITE_URL="https://burenhulp.example",
        EMAIL_URL="dummymail://",
    )
    import psycopg

    parsed = urlparse(db)
    name = parsed.path.lstrip("/")
    admin = db.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class TimedSink:
    """The aiosmtpd handler: records each accepted message's key and arrival time."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[str, float]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser().parsebytes(envelope.original_content or b"", headersonly=True)
        with self.lock:
            self.arrivals.append((str(message["X-Burenhulp-Key"]), time.monotonic()))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        return len(self.arrivals)

    def reset(self) -> None:
        with self.lock:
            self.arrivals = []


def _worker_env(smtp_port: int, broker: str | None = None) -> dict[str, str]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_BROKER_URL=broker or settings.CELERY_BROKER_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        PYTHONPATH=str(ROOT),
    )
    env.pop("CI", None)
    return env


def _clean() -> None:
    from burenhulp.core.models import Neighbourhood
    from burenhulp.helprequests.models import HelpRequest, MatchProposal
    from burenhulp.notifications.models import Notification
    from burenhulp.residents.models import Resident

    Notification.objects.all().delete()
    MatchProposal.objects.all().delete()
    HelpRequest.objects.all().delete()
    Resident.objects.all().delete()
    Neighbourhood.objects.filter(slug="bench-notify").delete()


def _buurt() -> Any:
    from burenhulp.core.models import Neighbourhood

    buurt, _ = Neighbourhood.objects.get_or_create(
        slug="bench-notify", defaults={"name": "Bench", "lat": 50.93, "lon": 3.40}
    )
    return buurt


def _flush_broker(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def throughput(sink: TimedSink, port: int, count: int, processes: int) -> dict[str, float]:
    from django.conf import settings

    from tests.realparts import WorkerProcess
    from tests.worker.helpers import make_proposals, notify_proposals, wait_until_sent

    _clean()
    _flush_broker(settings.CELERY_BROKER_URL)
    sink.reset()
    proposals = make_proposals(_buurt(), count, f"tp{processes}")
    started = time.monotonic()
    ids = notify_proposals(proposals, per_transaction=500)
    write_s = time.monotonic() - started
    worker = WorkerProcess(_worker_env(port), concurrency=processes).start()
    ready = time.monotonic()
    try:
        deadline = ready + 600
        while sink.count() < count and time.monotonic() < deadline:
            time.sleep(0.05)
        last = max(t for _, t in sink.arrivals) if sink.arrivals else time.monotonic()
        sent = wait_until_sent(ids, timeout=30)
    finally:
        worker.stop()
    seconds = last - ready
    keys = Counter(k for k, _ in sink.arrivals)
    return {
        "processes": processes,
        "messages": count,
        "delivered": len(keys),
        "duplicates": sum(n - 1 for n in keys.values()),
        "rows_sent": sent,
        "seconds": seconds,
        "per_second": len(keys) / seconds if seconds > 0 else 0.0,
        "outbox_write_s": write_s,
    }


def sigkill_run(sink: TimedSink, port: int, count: int, every_s: float) -> dict[str, float]:
    from django.conf import settings

    from tests.realparts import WorkerProcess
    from tests.worker.helpers import make_proposals, notify_proposals, wait_until_sent

    _clean()
    _flush_broker(settings.CELERY_BROKER_URL)
    sink.reset()
    proposals = make_proposals(_buurt(), count, "kill")
    worker = WorkerProcess(_worker_env(port), concurrency=2).start()
    kills = 0
    try:
        ids = notify_proposals(proposals, per_transaction=1000)
        next_kill = time.monotonic() + every_s / 3
        deadline = time.monotonic() + 300
        while sink.count() < count and time.monotonic() < deadline:
            if time.monotonic() >= next_kill:
                children = worker.child_pids()
                if children:
                    os.kill(children[kills % len(children)], signal.SIGKILL)
                    kills += 1
                next_kill = time.monotonic() + every_s
            time.sleep(0.01)
        sent = wait_until_sent(ids, timeout=120)
        time.sleep(1)
    finally:
        worker.stop()
    keys = Counter(k for k, _ in sink.arrivals)
    return {
        "messages": count,
        "kills": kills,
        "delivered": len(keys),
        "lost": count - len(keys),
        "duplicates": sum(n - 1 for n in keys.values()),
        "rows_sent": sent,
    }


def redis_restart(sink: TimedSink, port: int) -> dict[str, float]:
    from tests.realparts import WorkerProcess
    from tests.worker.helpers import RedisServer, free_port, make_proposals, notify_proposals, producer_broker

    _clean()
    sink.reset()
    server = RedisServer(free_port(), Path(tempfile.mkdtemp(prefix="bench-redis-")))
    server.start()
    worker = WorkerProcess(_worker_env(port, broker=server.url)).start()
    try:
        with producer_broker(server.url):
            proposals = make_proposals(_buurt(), 2, "restart")
            notify_proposals(proposals[:1])
            deadline = time.monotonic() + 30
            while sink.count() < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            server.stop()
            time.sleep(2)
            server.start()
            back = time.monotonic()
            notify_proposals(proposals[1:])
            deadline = back + 120
            while sink.count() < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            recovered = sink.arrivals[-1][1] - back if sink.count() >= 2 else float("nan")
        alive = worker.proc is not None and worker.proc.poll() is None
    finally:
        worker.stop()
        server.stop()
    return {"recovery_s": recovered, "worker_restarted": 0.0 if alive else 1.0}


def accept_delay(sink: TimedSink, port: int, samples: int) -> dict[str, float]:
    from django.conf import settings

    from burenhulp.helprequests.models import HelpRequest, MatchProposal, RequestStatus
    from burenhulp.helprequests.services import proposal_accept
    from burenhulp.residents.models import Resident
    from tests.realparts import WorkerProcess

    _clean()
    _flush_broker(settings.CELERY_BROKER_URL)
    sink.reset()
    buurt = _buurt()
    pairs = []
    for i in range(samples):
        requester = Resident.objects.create(buurt=buurt, first_name="R", email=f"r{i}@example.org")
        volunteer = Resident.objects.create(buurt=buurt, first_name="V", email=f"v{i}@example.org", phone="0470")
        request = HelpRequest.objects.create(
            buurt=buurt, requester=requester, category="hond", description="Hond", status=RequestStatus.PROPOSED
        )
        pairs.append(MatchProposal.objects.create(request=request, volunteer=volunteer, score=1, reasons=[]))
    worker = WorkerProcess(_worker_env(port), concurrency=2).start()
    delays: list[float] = []
    try:
        for p in pairs:
            key = f"accepted_requester:{p.pk}:{p.request.requester_id}"
            t0 = time.monotonic()
            proposal_accept(proposal=p, by=None)
            deadline = t0 + 30
            arrived = None
            while arrived is None and time.monotonic() < deadline:
                with sink.lock:
                    arrived = next((t for k, t in sink.arrivals if k == key), None)
                time.sleep(0.002)
            if arrived is not None:
                delays.append((arrived - t0) * 1000)
            time.sleep(0.05)
    finally:
        worker.stop()
    delays.sort()
    return {
        "samples": len(delays),
        "p50_ms": statistics.median(delays) if delays else float("nan"),
        "p95_ms": delays[max(0, int(len(delays) * 0.95) - 1)] if delays else float("nan"),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.notifications", description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000, help="proposal emails per throughput run")
    parser.add_argument("--kill-messages", type=int, default=1_000)
    parser.add_argument("--kill-every", type=float, default=3.0, help="seconds between SIGKILLs")
    parser.add_argument("--samples", type=int, default=40, help="accept → email samples")
    args = parser.parse_args(argv)
    _setup()
    import logging

    from aiosmtpd.controller import Controller

    from tests.worker.helpers import free_port

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    sink = TimedSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        runs = [throughput(sink, port, args.messages, n) for n in (1, 2)]
        kill = sigkill_run(sink, port, args.kill_messages, args.kill_every)
        delay = accept_delay(sink, port, args.samples)
        # Last: after the private broker was switched in and out, this process's broker pool is not reused.
        restart = redis_restart(sink, port)
    finally:
        controller.stop()
        _clean()

    print("\nProposal emails to a local SMTP server (aiosmtpd), PostgreSQL + Redis, real celery workers")
    print(
        f"{'worker processes':>17} | {'messages':>8} | {'delivered':>9} | {'dupl.':>5} | {'seconds':>7} | {'per s':>6}"
    )
    for r in runs:
        print(
            f"{r['processes']:>17} | {r['messages']:>8} | {r['delivered']:>9} | {r['duplicates']:>5} | "
            f"{r['seconds']:>7.1f} | {r['per_second']:>6.0f}"
        )
    print(f"(writing the outbox rows took {runs[0]['outbox_write_s']:.1f} s before each run; not counted)")
    print(
        f"\nSIGKILL of a worker child every {args.kill_every:g} s, {kill['messages']} messages: {kill['kills']} kills, "
        f"{kill['delivered']} delivered, {kill['lost']} lost, {kill['duplicates']} duplicates"
    )
    print(
        f"Redis restart: next notification delivered {restart['recovery_s']:.1f} s after Redis was back "
        f"(worker restarted: {'yes' if restart['worker_restarted'] else 'no'})"
    )
    print(
        f"Accept → requester's email at the SMTP server: p50 {delay['p50_ms']:.0f} ms, p95 {delay['p95_ms']:.0f} ms "
        f"({delay['samples']} samples)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
