"""`manage.py healthcheck web|worker|beat`: the container health checks (docker-compose.yml runs exactly these).

- web: GET /healthz from this container's gunicorn (port `PORT`, default 8000) with the site's own host name, as the
  reverse proxy would send it; healthy on 200. /healthz is exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT),
  and the host name is checked like any other request's.
- worker: a Celery ping to this container's worker (`celery@<hostname>`); healthy when it answers.
- beat: beat's heartbeat in the cache is younger than two minutes.

Exit status 0 when healthy, 1 otherwise, with one line saying why.
"""

from __future__ import annotations

import http.client
import os
import socket
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from burenhulp.core import heartbeat
from worker.celery import app


def site_host() -> str:
    """The first host name this site answers to (a leading dot for subdomains dropped; "*" means any)."""
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


class Command(BaseCommand):
    help = "Container health check of the web, worker or beat process; exit status 0 when healthy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("process", choices=["web", "worker", "beat"])
        parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for an answer")

    def handle(self, *args: Any, **options: Any) -> None:
        check = {"web": self.web, "worker": self.worker, "beat": self.beat}[options["process"]]
        self.stdout.write(check(options["timeout"]))

    def web(self, timeout: float) -> str:
        port = int(os.environ.get("PORT", "8000"))
        # http.client, not urllib: a redirect (to HTTPS, or away from a refused host) must count as unhealthy.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request("GET", "/healthz", headers={"Host": site_host()})
            response = conn.getresponse()
            body = response.read(400).decode(errors="replace")
        except OSError as exc:
            raise CommandError(f"web: no answer on 127.0.0.1:{port}: {exc}") from exc
        finally:
            conn.close()
        if response.status != 200:
            raise CommandError(f"web: /healthz answered {response.status}: {body}")
        return f"web: {body}"

    def worker(self, timeout: float) -> str:
        node = f"celery@{socket.gethostname()}"
        replies = app.control.ping(destination=[node], timeout=timeout) or []
        if not any(node in reply for reply in replies):
            raise CommandError(f"worker: {node} did not answer a ping within {timeout:g} s.")
        return f"worker: {node} answered."

    def beat(self, timeout: float) -> str:
        seconds = heartbeat.age("beat")
        if seconds is None or seconds > heartbeat.STALE_AFTER_SECONDS:
            said = "no heartbeat" if seconds is None else f"last heartbeat {seconds:.0f} s ago"
            raise CommandError(f"beat: {said} (stale after {heartbeat.STALE_AFTER_SECONDS} s).")
        return f"beat: last heartbeat {seconds:.0f} s ago."
