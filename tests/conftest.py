"""The fixed cast and the real parts every test may use.

Cast: `buurt` with a `requester`, a `volunteer` and a `coordinator`; `other_buurt` with an `outsider` resident and an
`outsider_coordinator`. Real parts: an SMTP server (aiosmtpd) that receives messages, a Celery worker process against
Redis and the test database, and headless Chromium driven by Playwright with axe-core for accessibility.
"""

from __future__ import annotations

import json
import os
import shutil
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
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.factories import NeighbourhoodFactory, ResidentFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and cached lookups live in Redis; every test starts with none from earlier tests."""
    from django.core.cache import cache

    cache.clear()
    yield


# --- The cast --------------------------------------------------------------------------------------------------


@pytest.fixture
def buurt(db: None) -> Neighbourhood:
    return NeighbourhoodFactory(slug="wakken-test", name="Wakken (test)", lat=50.9325, lon=3.3990)


@pytest.fixture
def other_buurt(db: None) -> Neighbourhood:
    return NeighbourhoodFactory(slug="elders", name="Elders", lat=51.2194, lon=4.4025)


def _resident_with_account(buurt: Neighbourhood, email: str, **kw: Any) -> Resident:
    user = UserFactory(email=email)
    return ResidentFactory(buurt=buurt, user=user, email=email, **kw)


@pytest.fixture
def requester(buurt: Neighbourhood) -> Resident:
    return _resident_with_account(buurt, "requester@example.org", first_name="Rita", wants=["boodschappen"])


@pytest.fixture
def volunteer(buurt: Neighbourhood) -> Resident:
    return _resident_with_account(
        buurt,
        "volunteer@example.org",
        first_name="Victor",
        offers=["boodschappen", "hond", "planten", "chauffeur"],
        has_car=True,
        lat=buurt.lat + 0.002,
        lon=buurt.lon,
    )


def enrol_totp(user: User) -> str:
    """Give a user a TOTP second factor; returns the secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def coordinator(buurt: Neighbourhood) -> User:
    user = UserFactory(email="coordinator@example.org", first_name="Griet")
    buurt.coordinators.add(user)
    enrol_totp(user)
    return user


@pytest.fixture
def outsider(other_buurt: Neighbourhood) -> Resident:
    return _resident_with_account(other_buurt, "outsider@example.org", first_name="Otto", offers=["boodschappen"])


@pytest.fixture
def outsider_coordinator(other_buurt: Neighbourhood) -> User:
    user = UserFactory(email="other-coordinator@example.org")
    other_buurt.coordinators.add(user)
    enrol_totp(user)
    return user


# --- Clients ---------------------------------------------------------------------------------------------------


def web_client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def coordinator_api(coordinator: User) -> APIClient:
    return api_client(coordinator)


@pytest.fixture
def coordinator_web(coordinator: User) -> Client:
    return web_client(coordinator)


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
                f"test-{time.monotonic_ns()}@%h",
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

    def child_pids(self) -> list[int]:
        assert self.proc is not None
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
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


# --- Browser ---------------------------------------------------------------------------------------------------

PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright; never a browser Playwright downloaded itself."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        if IN_CI:
            raise RuntimeError(f"Chromium is missing at {CHROMIUM}; .ci/run installs it.")
        pytest.fail(f"Chromium is missing at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page (375×812). `bypass_csp` only lets the test inject axe-core; the pages keep their CSP."""
    context = chromium.new_context(viewport=PHONE, bypass_csp=True, locale="nl-BE", base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def page_nojs(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False, locale="nl-BE", base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and return its violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot under test-artifacts/screenshots/ for people to look at."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def browser_login(page: Any, live_server_url: str, user: User) -> None:
    """Sign a user in by copying a Django test-client session cookie into the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server_url}])
