"""The real parts a test may use besides the database: Redis, an SMTP server (aiosmtpd) that receives messages, and
a Celery worker process against Redis and the test database. The fixtures are made available by tests/conftest.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = bool(os.environ.get("CI"))


# --- Redis -----------------------------------------------------------------------------------------------------


@pytest.fixture
def redis_broker() -> Iterator[redis.Redis]:
    """The real Redis broker of the tests, emptied before and after."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if IN_CI:
            raise
        pytest.fail("Redis is not running on 127.0.0.1:6379 (make services starts it).")
    client.flushdb()
    yield client
    client.flushdb()


# --- SMTP ------------------------------------------------------------------------------------------------------


@dataclass
class SMTPSink:
    """Messages a real SMTP server received. `replies` makes it answer with given codes first (451, 550…)."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Message] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.messages.append(message_from_bytes(envelope.original_content or b""))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SMTPSink]:
    """A real SMTP server on loopback; Django's mail goes to it for the duration of the test."""
    sink = SMTPSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


def text_and_html(message: Message) -> tuple[str, str]:
    text = html = ""
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if part.get_content_type() == "text/plain":
            text = payload.decode(part.get_content_charset() or "utf-8")
        elif part.get_content_type() == "text/html":
            html = payload.decode(part.get_content_charset() or "utf-8")
    return text, html


# --- Celery worker ---------------------------------------------------------------------------------------------


class WorkerProcess:
    """A real `celery worker` process, using the test database, Redis and (optionally) the test SMTP server."""

    def __init__(self, env: dict[str, str], concurrency: int = 1) -> None:
        self.env = env
        self.concurrency = concurrency
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = ARTIFACTS / f"worker-{os.getpid()}-{time.monotonic_ns()}.log"
        self.nodename = f"test-{time.monotonic_ns()}@{socket.gethostname()}"

    def start(self) -> WorkerProcess:
        ARTIFACTS.mkdir(exist_ok=True)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "worker.celery",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--pool=prefork",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                self.nodename,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("The worker exited:\n" + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        raise RuntimeError("The worker did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def wait_idle(self, broker: redis.Redis, timeout: float = 30.0) -> None:
        """Until every task sent so far has run: the broker's queue is empty and the worker holds none (running,
        reserved, or scheduled: a retry waiting for its countdown). Asked of Redis and of the worker itself (remote
        control), so a test never waits a fixed time for something that might still happen."""
        from worker.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if broker.llen("celery") == 0:
                inspect = app.control.inspect(destination=[self.nodename], timeout=5)
                replies = [inspect.active(), inspect.reserved(), inspect.scheduled()]
                if all(r is not None and not r.get(self.nodename) for r in replies):
                    return
            time.sleep(0.05)
        raise AssertionError(f"the worker {self.nodename} still has tasks after {timeout} s")

    def child_pids(self) -> list[int]:
        assert self.proc is not None
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self, *, graceful: bool = False) -> None:
        """Stop the worker. By default at once, with its children (a graceful shutdown costs two seconds a test, and
        the next test empties the broker anyway); `graceful` waits for a warm shutdown, so its log is complete."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM if graceful else signal.SIGKILL)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def worker_env(smtp: SMTPSink | None = None) -> dict[str, str]:
    """The environment for a worker that shares this test run's database, broker and mail server."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="burenhulp.settings",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        REDIS_CACHE_URL=settings.REDIS_CACHE_URL,
        SITE_URL=settings.SITE_URL,
        EMAIL_URL=f"smtp://{smtp.host}:{smtp.port}" if smtp else "dummymail://",
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.fixture
def celery_worker_process(
    transactional_db: None, redis_broker: redis.Redis, smtp_server: SMTPSink, settings: Any
) -> Iterator[WorkerProcess]:
    """A real worker; tasks dispatched by the test go through Redis to it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from worker.celery import app

    app.conf.task_always_eager = False
    worker = WorkerProcess(worker_env(smtp_server)).start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = True
