"""`make run`: start the web server and, when the broker is reachable, a Celery worker with beat.

Without Redis the platform still runs: tasks then run in-process after each commit, and this says so.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from burenhulp.demo.logins import COORDINATOR_EMAIL, PASSWORD, RESIDENT_EMAIL, VOLUNTEER_EMAIL

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "burenhulp.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings

    port = os.environ.get("PORT", "8000")
    worker: subprocess.Popen[bytes] | None = None
    if settings.BROKER_AVAILABLE:
        print(f"Broker reachable at {settings.CELERY_BROKER_URL}: starting a Celery worker with beat.", flush=True)
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
        )
    else:
        print(
            f"Broker NOT reachable at {settings.CELERY_BROKER_URL}: no worker started; tasks run in-process "
            "after each commit. Start Redis to use the worker.",
            flush=True,
        )
    print(
        f"\nBurenhulp runs at http://127.0.0.1:{port}/\n"
        f"Demo logins (password '{PASSWORD}'):\n"
        f"  coordinator {COORDINATOR_EMAIL}\n  resident    {RESIDENT_EMAIL}\n  volunteer   {VOLUNTEER_EMAIL}\n"
        f"Emails are printed in this terminal (EMAIL_URL={os.environ.get('EMAIL_URL', 'consolemail://')}).\n",
        flush=True,
    )
    web = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"0.0.0.0:{port}", "--noreload"], cwd=ROOT
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
