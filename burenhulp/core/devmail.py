"""Development mail: every message is kept as a file under `var/mail/` and listed at `/dev/emails/`.

With `DJANGO_DEBUG=1` and no `EMAIL_URL`, this is the email backend (`EMAIL_URL=devmail://`). Web and worker processes
both write here, so the page shows the proposal a worker just sent next to the login code the web process sent, and
each message gets one short line in the terminal instead of its whole source between the worker's log lines. Only
the newest `KEEP` messages are kept. Development only: the settings refuse `devmail://` without DEBUG, and the page
answers 404 without DEBUG.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage as ParsedMessage
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

KEEP = 50


def mail_dir() -> Path:
    return Path(settings.DEV_MAIL_DIR)


class EmailBackend(BaseEmailBackend):
    """Writes each message to `DEV_MAIL_DIR/<time>-<n>.eml` and prints one line saying where to read it."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = mail_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{time.time_ns()}-{sent}.eml"
            (folder / name).write_bytes(message.message().as_bytes(linesep="\n"))
            sent += 1
            print(
                f"[email] {message.subject} — read it at {settings.SITE_URL}/dev/emails/",
                file=sys.stdout,
                flush=True,
            )
        for old in sorted(folder.glob("*.eml"))[:-KEEP]:
            old.unlink(missing_ok=True)
        return sent


@dataclass(frozen=True)
class KeptEmail:
    sent_at: datetime
    to: str
    subject: str
    text: str
    has_html: bool


def _parse(path: Path) -> KeptEmail:
    parsed = cast(ParsedMessage, message_from_bytes(path.read_bytes(), policy=policy.default))
    body = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    return KeptEmail(
        sent_at=datetime.fromtimestamp(int(path.name.split("-", 1)[0]) / 1e9).astimezone(),
        to=str(parsed.get("To", "")),
        subject=str(parsed.get("Subject", "")),
        text=body.get_content() if body is not None else "",
        has_html=html is not None,
    )


def latest(limit: int = 20) -> list[KeptEmail]:
    """The newest kept messages, newest first."""
    folder = mail_dir()
    if not folder.is_dir():
        return []
    return [_parse(path) for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]]
