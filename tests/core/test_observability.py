"""Logs as JSON lines when asked, and error reports through sentry-sdk, both without personal data."""

from __future__ import annotations

import gzip
import http.server
import json
import logging
import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from burenhulp.observability import JsonFormatter
from burenhulp.privacy.log_filters import RedactFilter
from tests.core.test_settings import OURS, production
from tests.realparts import free_port

ROOT = Path(__file__).resolve().parents[2]
EMAIL, PHONE, TOKEN = "jan.peeters@example.org", "+32 470 12 34 56", "Zq8x3Lk0pW7mN2vB9cR4tY6uI1oA5sD"


def test_json_log_lines_carry_the_redacted_message_and_context() -> None:
    record = logging.makeLogRecord(
        {"name": "burenhulp.test", "levelname": "WARNING", "msg": "mail to %s failed", "args": (EMAIL,)}
    )
    record.notification_id = 7
    assert RedactFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "mail to [email] failed"
    assert (line["level"], line["logger"], line["notification_id"]) == ("WARNING", "burenhulp.test", 7)
    assert line["time"].endswith("+00:00")


class Collector(http.server.BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli  # type: ignore[import-not-found]  # only where sentry-sdk found it installed

            body = brotli.decompress(body)
        Collector.bodies.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sentry_server() -> Iterator[str]:
    Collector.bodies = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/1"
    server.shutdown()


REPORT = f"""
import logging, sentry_sdk
logging.getLogger("burenhulp.test").error("sending to {EMAIL} at {PHONE} failed")
try:
    raise ValueError("link /p/{TOKEN}/accept/ of {EMAIL}")
except ValueError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(10)
"""


def test_error_reports_reach_sentry_without_personal_data(sentry_server: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    env.update(production(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", SENTRY_DSN=sentry_server))
    env.update(BURENHULP_ENV_FILE=os.devnull, DJANGO_SETTINGS_MODULE="burenhulp.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", REPORT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    sent = b"\n".join(Collector.bodies).decode(errors="replace")
    assert "ValueError" in sent and "sending to [email] at [number] failed" in sent, sent[:2000]
    for secret in (EMAIL, PHONE, TOKEN):
        assert secret not in sent
