"""`python -m bench.load [--minutes N] [--users 50]`: the platform under load, then its invariants.

1. A fresh PostgreSQL database (`bh_load`) and Redis databases, migrated; one neighbourhood with residents,
   volunteers and coordinators (TOTP enrolled), each with a session and an API token.
2. gunicorn on loopback with production settings (DEBUG off), a Celery worker with embedded beat, and a real SMTP
   server (aiosmtpd) that counts what it receives.
3. locust, headless: residents browsing and asking, volunteers accepting, coordinators working the queue.
4. After the run the outbox drains; then the invariants: at most one acceptance per request, every "yes" that got
   a 200 is the request's accepted proposal, every proposal and acceptance has its notification, none is left
   pending or failed, and the SMTP server received one message per sent notification.
5. A table with throughput, p50/p95 per endpoint and errors; the exit code is 1 when a target or an invariant
   fails (0 errors, p95 < 300 ms everywhere, invariants intact).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
P95_TARGET_MS = 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="how long the load runs (the target: 5)")
    parser.add_argument("--users", type=int, default=50, help="concurrent users")
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started per second")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bh_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="Redis server; databases 7 and 8 are used")
    return parser.parse_args(argv)


# --- Environment and data ---------------------------------------------------------------------------------------


def environment(args: argparse.Namespace, port: int, smtp_port: int, media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BURENHULP_", "DATABASE_", "EMAIL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="burenhulp.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=args.database,
        CELERY_BROKER_URL=f"{args.redis}/7",
        REDIS_CACHE_URL=f"{args.redis}/8",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
        BURENHULP_BROKER_FALLBACK="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(people_file: Path) -> dict[str, list[dict[str, Any]]]:
    """One neighbourhood: 30 residents who ask, 16 volunteers (limits raised, so a five-minute run does not run out
    of helpers), 2 coordinators; each with a session and a token. Returns what locust needs."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from burenhulp.core.apitokens import token_issue
    from burenhulp.core.models import Neighbourhood, Street, User
    from burenhulp.residents.models import Consent, HelpEntry, HelpKind, Resident

    buurt = Neighbourhood.objects.create(name="Bench Load", slug="bench-load", lat=50.93, lon=3.40, retention_days=730)
    streets = [Street.objects.create(buurt=buurt, name=f"Benchstraat {i}", lat=50.93, lon=3.40) for i in range(5)]

    def account(email: str) -> tuple[User, str, str]:
        user = User.objects.create_user(email=email, password=secrets.token_urlsafe(16))
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(24 * 3600)
        session.create()
        return user, session.session_key or "", token_issue(user=user)

    def resident(user: User, n: int, offers: list[str], wants: list[str], **extra: Any) -> Resident:
        r = Resident.objects.create(
            buurt=buurt,
            user=user,
            email=user.email,
            first_name=f"Bench{n}",
            street=streets[n % 5],
            house_number=str(n + 1),
            lat=50.93 + (n % 7) * 0.0004,
            lon=3.40 + (n % 5) * 0.0004,
            languages=["nl"],
            last_active_at=timezone.now(),
            **extra,
        )
        Consent.objects.create(resident=r, purpose="platform", text_version="bench")
        for category in offers:
            HelpEntry.objects.create(resident=r, buurt=buurt, category=category, kind=HelpKind.OFFER)
        for category in wants:
            HelpEntry.objects.create(resident=r, buurt=buurt, category=category, kind=HelpKind.WANT)
        return r

    light = ["boodschappen", "hond", "planten", "vuilnis", "tuin"]
    people: dict[str, list[dict[str, Any]]] = {"residents": [], "volunteers": [], "coordinators": []}
    for n in range(30):
        user, session, token = account(f"bench-resident-{n}@example.org")
        r = resident(user, n, offers=[], wants=light)
        people["residents"].append({"session": session, "token": token, "resident": r.pk})
    for n in range(16):
        user, session, token = account(f"bench-volunteer-{n}@example.org")
        r = resident(
            user, 100 + n, offers=light, wants=[], has_car=True, max_active_matches=20, max_matches_per_month=60
        )
        people["volunteers"].append({"session": session, "token": token, "resident": r.pk})
    for n in range(2):
        user, session, token = account(f"bench-coordinator-{n}@example.org")
        buurt.coordinators.add(user)
        TOTP.activate(user, generate_totp_secret())
        assert Authenticator.objects.filter(user=user).exists()
        people["coordinators"].append({"session": session, "token": token, "resident": None})
    people_file.write_text(json.dumps(people))
    return people


# --- Processes --------------------------------------------------------------------------------------------------


class Processes:
    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.running.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.running):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.running:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def wait_for_log(path: Path, marker: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker in path.read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise RuntimeError(f"{path.name} did not say {marker!r}:\n" + path.read_text(errors="replace")[-2000:])


# --- Results ----------------------------------------------------------------------------------------------------


def read_stats(prefix: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return [r for r in rows if r["Name"] != "Aggregated"], total


def drain_outbox(timeout: float = 120.0) -> int:
    from burenhulp.notifications.models import Notification

    deadline = time.monotonic() + timeout
    waiting = -1
    while time.monotonic() < deadline:
        waiting = Notification.objects.filter(status__in=["pending", "sending"]).count()
        if waiting == 0:
            return 0
        time.sleep(1)
    return waiting


def invariants(outcomes: dict[str, Any], smtp_count: int) -> list[tuple[str, bool, str]]:
    from django.db.models import Count, Q

    from burenhulp.helprequests.models import HelpRequest, MatchProposal
    from burenhulp.notifications.models import Notification

    checks: list[tuple[str, bool, str]] = []
    doubles = (
        MatchProposal.objects.filter(status="accepted")
        .values("request")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    checks.append(("at most one acceptance per request", doubles == 0, f"{doubles} requests with two"))
    matched = HelpRequest.objects.filter(status="matched").annotate(
        n=Count("proposals", filter=Q(proposals__status="accepted"))
    )
    wrong = matched.exclude(n=1).count()
    checks.append(("every matched request has exactly one accepted proposal", wrong == 0, f"{wrong} without"))
    won = set(outcomes["won_proposals"])
    accepted = set(MatchProposal.objects.filter(status="accepted").values_list("pk", flat=True))
    checks.append(
        (
            "every 200 'yes' is an accepted proposal, and only those",
            won == accepted,
            f"{len(won)} answered 200, {len(accepted)} accepted in the database",
        )
    )
    keys = set(Notification.objects.values_list("idempotency_key", flat=True))
    proposals = list(MatchProposal.objects.values_list("pk", "volunteer_id"))
    missing = [pk for pk, vol in proposals if f"proposal:{pk}:{vol}" not in keys]
    checks.append(("every proposal has its email", not missing, f"{len(missing)} of {len(proposals)} missing"))
    missing_acc = [
        pk
        for pk, vol, req in MatchProposal.objects.filter(status="accepted").values_list(
            "pk", "volunteer_id", "request__requester_id"
        )
        if f"accepted_volunteer:{pk}:{vol}" not in keys or f"accepted_requester:{pk}:{req}" not in keys
    ]
    checks.append(("every acceptance has both emails", not missing_acc, f"{len(missing_acc)} missing"))
    stuck = Notification.objects.exclude(status__in=["sent", "skipped"]).count()
    checks.append(("no notification pending, sending or failed", stuck == 0, f"{stuck} left"))
    sent = Notification.objects.filter(status="sent").count()
    checks.append(
        ("the SMTP server received every sent message", smtp_count == sent, f"{smtp_count} received, {sent} sent")
    )
    return checks


def print_report(
    rows: list[dict[str, str]],
    total: dict[str, str],
    seconds: float,
    checks: list[tuple[str, bool, str]],
    outcomes: dict[str, Any],
    users: int,
) -> bool:
    ok = True
    print()
    print(f"Load: {users} concurrent users for {seconds / 60:.1f} min against gunicorn + PostgreSQL + Redis + worker")
    print()
    header = f"{'endpoint':<44} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    print(header)
    print("-" * len(header))
    for r in sorted(rows, key=lambda r: r["Name"]):
        p95 = float(r["95%"] or 0)
        flag = "" if p95 < P95_TARGET_MS else "  > target"
        print(
            f"{(r['Type'] + ' ' + r['Name'])[:44]:<44} {r['Request Count']:>9} {r['Failure Count']:>7} "
            f"{float(r['50%'] or 0):>8.0f} {p95:>8.0f} {float(r['Max Response Time'] or 0):>8.0f}{flag}"
        )
    print("-" * len(header))
    print(
        f"{'all':<44} {total['Request Count']:>9} {total['Failure Count']:>7} {float(total['50%'] or 0):>8.0f} "
        f"{float(total['95%'] or 0):>8.0f} {float(total['Max Response Time'] or 0):>8.0f}"
    )
    print(
        f"\nthroughput: {float(total['Requests/s']):.1f} requests/s; "
        f"accepts: {outcomes['accept_won']} won, {outcomes['accept_taken']} taken (409)"
    )
    errors = int(total["Failure Count"])
    worst = max((float(r["95%"] or 0) for r in rows), default=0.0)
    targets = [
        ("0 errors", errors == 0, f"{errors} errors"),
        (f"p95 < {P95_TARGET_MS:.0f} ms on every endpoint", worst < P95_TARGET_MS, f"worst p95 {worst:.0f} ms"),
    ]
    print()
    for name, passed, detail in [*targets, *checks]:
        ok = ok and passed
        print(f"  {'PASS' if passed else 'FAIL'}  {name} ({detail})")
    return ok


# --- Main -------------------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    args = parse(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    port, smtp_port = free_port(), free_port()
    env = environment(args, port, smtp_port, work / "media")
    os.environ.update(env)

    from aiosmtpd.controller import Controller

    class Sink:
        count = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            Sink.count += 1
            return "250 OK"

    print(f"Preparing {args.database} and Redis {args.redis}/7,8; logs in {work}")
    fresh_database(args.database)
    import redis

    for db in (7, 8):
        redis.Redis.from_url(f"{args.redis}/{db}").flushdb()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    people_file = work / "people.json"
    seed(people_file)
    from django.db import connections

    connections.close_all()

    smtp = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    procs = Processes(work)
    py = sys.executable
    try:
        procs.start(
            "gunicorn",
            [
                py,
                "-m",
                "gunicorn",
                "burenhulp.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(args.web_workers),
                "-k",
                "gthread",
                "--threads",
                str(args.threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                # Longer than any pause between a user's requests: otherwise gunicorn may close a kept-alive
                # connection just as the client reuses it (a reset that a proxy in front would hide).
                "--keep-alive",
                "30",
            ],
            env,
        )
        procs.start(
            "worker",
            [
                py,
                "-m",
                "celery",
                "-A",
                "worker.celery",
                "worker",
                "-B",
                "--loglevel=INFO",
                f"--concurrency={args.celery_concurrency}",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "--schedule",
                str(work / "beat-schedule"),
                "-n",
                f"bench-load-{os.getpid()}@%h",
            ],
            env,
        )
        wait_http(f"http://127.0.0.1:{port}/healthz")
        wait_for_log(work / "worker.log", "ready.")
        seconds = args.minutes * 60
        print(f"Running {args.users} users for {seconds:.0f} s on http://127.0.0.1:{port} ...")
        outcomes_file = work / "outcomes.json"
        locust_env = dict(env, BENCH_LOAD_PEOPLE=str(people_file), BENCH_LOAD_OUTCOMES=str(outcomes_file))
        subprocess.run(
            [
                py,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{int(seconds)}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            check=False,
            stdout=(work / "locust.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        left = drain_outbox()
        if left:
            print(f"{left} notifications still waiting after two minutes")
        time.sleep(1)
        outcomes = json.loads(outcomes_file.read_text())
        rows, total = read_stats(work / "load")
        checks = invariants(outcomes, Sink.count)
        ok = print_report(rows, total, seconds, checks, outcomes, args.users)
    finally:
        procs.stop()
        smtp.stop()
    print(f"\nLogs and CSV: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
