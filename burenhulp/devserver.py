"""`make run`: migrate, seed the demo, then start the web server and, when the broker is reachable, a Celery worker
with beat.

- It listens on 127.0.0.1 unless `BIND` says otherwise (`BIND=0.0.0.0 make run` to try it from a phone on the LAN),
  on `PORT` (default 8000); `SITE_URL`, the base of the links in emails and on posters, follows them unless it is set.
- Emails are kept under var/mail/ and listed at /dev/emails/ (one line per message in the terminal), unless
  `EMAIL_URL` sends them elsewhere (e.g. `smtp://127.0.0.1:1025` for mailpit; set `MAILPIT_URL` to link its inbox).
- Without Redis the platform still runs: tasks then run in-process after each commit, and this says so. The check is
  made here, once, and handed to the processes as `BURENHULP_TASKS_IN_PROCESS`; the settings never probe anything.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

from burenhulp.demo.logins import COORDINATOR_EMAIL, PASSWORD, RESIDENT_EMAIL, VOLUNTEER_EMAIL

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"


def reachable(url: str, timeout: float = 0.5) -> bool:
    """Whether something accepts connections at the broker URL's host and port."""
    parsed = urlparse(url)
    default_port = 6379 if parsed.scheme.startswith("redis") else 5672
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout):
            return True
    except OSError:
        return False


def dev_environment(environ: Mapping[str, str], *, broker_reachable: bool) -> dict[str, str]:
    """The environment for the development processes: DEBUG on, the address to listen on, SITE_URL following
    BIND and PORT unless set, and tasks in-process when the broker is not reachable."""
    env = dict(environ)
    env.setdefault("DJANGO_DEBUG", "1")
    env.setdefault("BIND", "127.0.0.1")
    env.setdefault("PORT", "8000")
    link_host = "127.0.0.1" if env["BIND"] in {"0.0.0.0", "::", ""} else env["BIND"]  # noqa: S104 — a comparison
    if ":" in link_host:
        link_host = f"[{link_host}]"
    env.setdefault("SITE_URL", f"http://{link_host}:{env['PORT']}")
    if not broker_reachable:
        env["BURENHULP_TASKS_IN_PROCESS"] = "1"
    return env


def main() -> int:
    broker = os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER)
    has_broker = reachable(broker)
    env = dev_environment(os.environ, broker_reachable=has_broker)
    for folder in ("static", "media", "mail"):
        (ROOT / "var" / folder).mkdir(parents=True, exist_ok=True)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
    worker: subprocess.Popen[bytes] | None = None
    if has_broker:
        print(f"Broker reachable at {broker}: starting a Celery worker with beat.", flush=True)
        worker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "worker.celery",
                "worker",
                "-B",
                "--loglevel=INFO",
                "--concurrency=2",
                "-s",
                str(ROOT / "var" / "celerybeat-schedule"),
            ],
            cwd=ROOT,
            env=env,
        )
    else:
        print(
            f"Broker NOT reachable at {broker}: no worker started; tasks run in-process after each commit. "
            "Start Redis to use the worker.",
            flush=True,
        )
    mail = env.get("EMAIL_URL", "")
    where_mail = (
        f"Emails: {env['SITE_URL']}/dev/emails/ (one line each in this terminal)"
        if mail in {"", "devmail://"}
        else f"Emails go to {mail.split('@')[-1]}"
    )
    print(
        f"\nBurenhulp runs at {env['SITE_URL']}/ (listening on {env['BIND']}:{env['PORT']})\n"
        f"Demo logins (password '{PASSWORD}'):\n"
        f"  coordinator {COORDINATOR_EMAIL}\n  resident    {RESIDENT_EMAIL}\n  volunteer   {VOLUNTEER_EMAIL}\n"
        f"{where_mail}\n",
        flush=True,
    )
    address = f"[{env['BIND']}]:{env['PORT']}" if ":" in env["BIND"] else f"{env['BIND']}:{env['PORT']}"
    web = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", address, "--noreload"], cwd=ROOT, env=env
    )

    def stop(*_: object) -> None:
        for proc in (web, worker):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop()
        if worker:
            worker.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
