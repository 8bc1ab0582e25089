"""The outbox addresses its delivery task by name. In a process that is not a worker (the web server, a command,
`make run` without Redis, where tasks run in-process) the name must resolve as soon as Django is set up; otherwise
every message waits for the sweeper, which only a worker's beat runs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django
django.setup()
from burenhulp.notifications.outbox import SEND_TASK
from worker.celery import app
print(SEND_TASK in app.tasks)
"""


def test_a_fresh_process_knows_the_delivery_task_by_name() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
