"""The production stack, outside Docker: every service's exact command and health check from docker-compose.yml, run
against PostgreSQL and Redis with the production settings (DEBUG off, secrets from the environment, one trusted
proxy, JSON logs).

1. `migrate` (the one-shot service) migrates a fresh database once; the database is then seeded (the demo
   neighbourhood, two photos, one email waiting on the broker's queue).
2. `backup` (the scheduled service) makes its first backup at start; its health check passes.
3. `deploy/bin/restore` puts that backup into a second, empty database and an empty media folder: every row of every
   table and every media file comes back identical.
4. web (gunicorn), worker and beat start on the restored database; their compose health checks pass; the platform
   serves the restored neighbourhood, refuses other host names, redirects plain HTTP, and the worker sends the
   waiting email through a real SMTP server.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from aiosmtpd.controller import Controller
from django.conf import settings

from tests.realparts import SMTPSink, free_port

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOMAIN = "burenhulp.example"
SERVING = ("web", "worker", "beat")

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def command(service: str) -> list[str]:
    return list(COMPOSE["services"][service]["command"])


def healthcheck(service: str) -> list[str]:
    test = COMPOSE["services"][service]["healthcheck"]["test"]
    assert test[0] == "CMD", f"{service}: health checks run a program, not a shell line"
    return list(test[1:])


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def web_port() -> int:
    """The first free port of the range this team's gunicorn tests use."""
    for port in range(8110, 8120):
        if not listening(port):
            return port
    raise RuntimeError("ports 8110-8119 are all taken")


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def fresh_database(name: str) -> str:
    url = database_url(name)
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows."""
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        result = {}
        for table in tables:
            row = conn.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, chr(10) ORDER BY t::text)), '') FROM \"{table}\" t"
            ).fetchone()
            assert row is not None
            result[table] = (int(row[0]), str(row[1]))
    return result


def file_digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class Stack:
    """The processes of one run, their logs, and a clean stop."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.procs[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=(self.work / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        return (self.work / f"{name}.log").read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(f"--- {name} ---\n{self.log(name)[-3000:]}" for name in self.procs)

    def stop(self, name: str, timeout: float = 30) -> int:
        proc = self.procs[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        return proc.returncode

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)


def run(argv: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def passes(argv: list[str], env: dict[str, str]) -> bool:
    return run(argv, env).returncode == 0


def wait_until(check: Any, what: str, stack: Stack, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        for name, proc in stack.procs.items():
            if proc.poll() is not None and name not in {"backup", "collectstatic"}:
                raise AssertionError(f"{name} exited with {proc.returncode} while waiting for {what}\n{stack.logs()}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{stack.logs()}")


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": DOMAIN, **headers})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode(errors="replace")
    finally:
        conn.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[str]:
    """A private Redis for the stack's broker and cache: the suite's own Redis databases are emptied between tests."""
    port = free_port()
    proc = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while not listening(port):
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def smtp_sink() -> Iterator[SMTPSink]:
    sink = SMTPSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def production_env(*, database: str, redis: str, media: Path, work: Path, smtp: SMTPSink, port: int) -> dict[str, str]:
    """The compose file's environment with this machine's addresses: every variable compose sets is set here."""
    ours = ("DJANGO_", "BURENHULP_", "DATABASE_", "EMAIL_", "SITE_URL", "CELERY_", "REDIS_", "SENTRY_", "LOG_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONPATH=str(ROOT),
        BURENHULP_ENV_FILE=os.devnull,
        DJANGO_SETTINGS_MODULE="burenhulp.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=DOMAIN,
        SITE_URL=f"https://{DOMAIN}",
        DATABASE_URL=database,
        CELERY_BROKER_URL=f"{redis}/0",
        REDIS_CACHE_URL=f"{redis}/1",
        EMAIL_URL=f"smtp://{smtp.host}:{smtp.port}",
        DEFAULT_FROM_EMAIL=f"Burenhulp <noreply@{DOMAIN}>",
        BURENHULP_TRUSTED_PROXY_COUNT="1",
        MEDIA_ROOT=str(media),
        SENTRY_DSN="",
        SENTRY_ENVIRONMENT="test",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        WEB_CONCURRENCY="2",
        WORKER_CONCURRENCY="1",
        PORT=str(port),
        BEAT_SCHEDULE_FILE=str(work / "celerybeat-schedule"),
        BACKUP_DIR=str(work / "backups"),
        STATIC_ROOT=str(work / "static"),
        BACKUP_INTERVAL_HOURS="24",
        BACKUP_KEEP_DAYS="14",
    )
    app_env = set(COMPOSE["x-app"]["environment"]) | set(COMPOSE["services"]["backup"]["environment"])
    assert app_env <= set(env), f"compose sets variables this test does not: {sorted(app_env - set(env))}"
    return env


def test_the_production_commands_migrate_back_up_restore_and_serve(
    tmp_path: Path, redis_server: str, smtp_sink: SMTPSink
) -> None:
    source, restored = "bh_deploy_prod", "bh_deploy_restored"
    port = web_port()
    media, restored_media = tmp_path / "media", tmp_path / "media-restored"
    env = production_env(
        database=fresh_database(source), redis=redis_server, media=media, work=tmp_path, smtp=smtp_sink, port=port
    )
    stack = Stack(tmp_path)
    try:
        # 0. The image's build step, meanwhile: static files with hashed names (as the Dockerfile collects them).
        stack.start("collectstatic", ["python", "manage.py", "collectstatic", "--noinput", "-v0"], env)

        # 1. Migrate once (the one-shot service), then seed.
        migrated = run(command("migrate"), env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        assert "Applying core.0001_initial... OK" in migrated.stdout
        seeded = run(
            [
                "python",
                "manage.py",
                "shell",
                "-c",
                "from tests.deploy import seed_for_backup; seed_for_backup.main()",
            ],
            env,
        )
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
        assert len(file_digests(media)) == 2

        # 2. The backup service backs up at start; then its health check passes.
        stack.start("backup", command("backup"), env)
        backups = tmp_path / "backups"
        done = wait_until(lambda: sorted(backups.glob("burenhulp-*")), "the first backup", stack)
        assert stack.stop("backup") == 0, stack.log("backup")
        checked = run(healthcheck("backup"), env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        backup = done[0]
        assert sorted(p.name for p in backup.iterdir()) == ["SHA256SUMS", "database.dump", "media.tar.gz"]

        # 3. Restore into a fresh database and an empty media folder: 100 % of the rows and files.
        restore_env = dict(env, DATABASE_URL=fresh_database(restored), MEDIA_ROOT=str(restored_media))
        put_back = run([str(ROOT / "deploy" / "bin" / "restore"), str(backup)], restore_env)
        assert put_back.returncode == 0, put_back.stdout + put_back.stderr
        before, after = table_fingerprints(env["DATABASE_URL"]), table_fingerprints(restore_env["DATABASE_URL"])
        assert sum(count for count, _ in before.values()) > 100
        assert after == before
        assert file_digests(restored_media) == file_digests(media)

        # 4. The platform on the restored database: web, worker and beat with their compose commands; each health
        #    check is run once its process says it is up (gunicorn listens, the worker is ready, beat has ticked).
        assert stack.procs["collectstatic"].wait(timeout=120) == 0, stack.log("collectstatic")
        for service in ("web", "worker", "beat"):
            stack.start(service, command(service), restore_env)
        wait_until(lambda: listening(port), "gunicorn to listen", stack)
        wait_until(lambda: " ready." in stack.log("worker"), "the worker to be ready", stack)
        wait_until(lambda: "beat: Starting..." in stack.log("beat"), "beat to start", stack)
        with ThreadPoolExecutor(max_workers=3) as pool:
            list(
                pool.map(
                    lambda s: wait_until(lambda: passes(healthcheck(s), restore_env), f"{s} healthy", stack), SERVING
                )
            )

        status, _, page = get(port, "/", **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        assert status == 200
        assert "Wakken" in page
        status, headers, _ = get(port, "/")  # plain HTTP straight to gunicorn: sent to HTTPS
        assert (status, headers["Location"]) == (301, f"https://{DOMAIN}/")
        assert get(port, "/", Host="evil.example", **{"X-Forwarded-Proto": "https"})[0] == 400

        # The worker sends the email that waited on the queue through the restore.
        messages = smtp_sink.wait_for(1, timeout=60)
        assert len(messages) == 1, stack.logs()
        assert messages[0]["To"] and DOMAIN in messages[0]["From"]
        health = wait_until(
            lambda: (body := json.loads(get(port, "/healthz")[2]))["outbox_pending"] == 0 and body,
            "the outbox to drain",
            stack,
        )
        assert health["status"] == "ok", health
        assert (health["database"], health["broker"], health["worker"], health["beat"]) == ("ok",) * 4

        # Logs are JSON lines, and gunicorn's access log passes the same redaction.
        access = [json.loads(line) for line in stack.log("web").splitlines() if '"gunicorn.access"' in line]
        assert any('"GET / HTTP/1.1" status=200' in entry["message"] for entry in access), stack.log("web")[-2000:]
        for service in ("web", "worker", "beat"):
            assert stack.stop(service) == 0, stack.log(service)[-3000:]
    finally:
        stack.stop_all()
        drop_database(source)
        drop_database(restored)
