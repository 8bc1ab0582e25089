"""Sending outbox rows: claim them, render each in its recipient's language, send over one SMTP connection, mark
each one as soon as the server accepted it.

Exactly-once as the recipient sees it rests on three things:
1. the idempotency key is unique in the database, so an event makes one row;
2. a row is claimed with a conditional UPDATE (pending → sending) before anything is sent, so two workers never send
   the same row; a task redelivered after its worker died (same task id) takes its own rows back at once;
3. a row is marked `sent` right after the SMTP server accepted it. Only a crash between those two steps can repeat a
   message; the repeat carries the same Message-ID, so mail clients fold it into one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formatdate
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from burenhulp.notifications import contexts
from burenhulp.notifications.calls import call_task_open
from burenhulp.notifications.models import Notification, NotificationStatus

log = logging.getLogger(__name__)

# A row claimed longer ago than this belongs to a worker that died; the sweeper hands it out again. Longer than the
# task's hard time limit, so a live worker never loses its claim.
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 5
BACKOFF_MAX_SECONDS = 600  # Far below the broker's visibility timeout (1 hour): no long countdown is ever lost.


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)  # Back to pending; the task tries these again after a backoff.

    def as_dict(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.__dict__.items()}


def backoff_seconds(attempts: int) -> int:
    """5 s, 10 s, 20 s … capped at 10 minutes."""
    return int(min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def claim(notification_ids: list[int], claimer: str) -> list[Notification]:
    """Take rows for sending with one conditional UPDATE; returns only the rows this call took.

    Claimable: pending rows, rows whose claim went stale (dead worker), and rows an earlier delivery of the same task
    claimed (the task was redelivered because its worker was lost)."""
    now = timezone.now()
    claimable = Q(status=NotificationStatus.PENDING) | Q(
        status=NotificationStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    if claimer:
        claimable |= Q(status=NotificationStatus.SENDING, claimed_by=claimer)
    Notification.objects.filter(claimable, pk__in=notification_ids).update(
        status=NotificationStatus.SENDING, claimed_at=now, claimed_by=claimer, attempts=F("attempts") + 1
    )
    return list(
        Notification.objects.filter(
            pk__in=notification_ids, status=NotificationStatus.SENDING, claimed_by=claimer, claimed_at=now
        )
        .select_related("recipient_resident", "recipient_user")
        .order_by("pk")
    )


def message_id(notification: Notification) -> str:
    """The same Message-ID for every attempt of one row, so a rare repeat is recognisably the same message."""
    digest = hashlib.sha256(notification.idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@{urlparse(settings.SITE_URL).hostname or 'burenhulp'}>"


def build_message(notification: Notification, connection: Any = None) -> EmailMultiAlternatives:
    """Render the row's template (subject, text, HTML) in the recipient's language. Raises `contexts.Obsolete`."""
    with translation.override(notification.language):
        ctx = contexts.build(notification)
        name = notification.template
        subject = render_to_string(f"emails/{name}-subject.txt", ctx).strip().replace("\n", " ")
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notification.to_email],
        connection=connection,
        headers={
            "Message-ID": message_id(notification),
            "Date": formatdate(localtime=True),
            "List-Unsubscribe": f"<{ctx['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "X-Burenhulp-Key": notification.idempotency_key[:150],
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _smtp_code(exc: Exception) -> int | None:
    if isinstance(exc, smtplib.SMTPResponseException):
        return int(exc.smtp_code)
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code = next(iter(exc.recipients.values()))[0]
        return int(code)
    return None


def send_batch(notification_ids: list[int], claimer: str = "") -> BatchResult:
    """Send the given rows at most once as their recipients see it, over one SMTP connection.

    1. Claim the rows (rows sent, failed, skipped or claimed by a live worker are left alone).
    2. For each row: build it (an obsolete message is skipped), send it, mark it `sent` at once.
    3. SMTP 4xx: back to pending for a retry; 5xx: `failed` for good (the coordinator sees it). A lost connection
       puts this and every remaining row back to pending.
    """
    claimer = claimer or uuid.uuid4().hex
    result = BatchResult()
    rows = claim(notification_ids, claimer)
    if not rows:
        return result
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:
            _release_or_fail(row, claimer, repr(exc), result)
        return result
    try:
        contexts.prefetch(rows)
        for index, row in enumerate(rows):
            resident = row.recipient_resident
            if resident is not None and resident.emails_paused:
                _finish(row, claimer, NotificationStatus.SKIPPED, "emails paused")
                call_task_open(notification=row, why="emails paused")
                result.skipped.append(row.pk)
                continue
            try:
                message = build_message(row, connection)
                # Headers are checked when the message is serialised: a bad one (a newline in a name) fails here,
                # for this row only.
                message.message()
            except contexts.Obsolete as exc:
                _finish(row, claimer, NotificationStatus.SKIPPED, str(exc))
                result.skipped.append(row.pk)
                continue
            except Exception as exc:  # A template error, a bad header: this row fails, the batch goes on.
                log.exception("Notification %s could not be built", row.pk)
                _fail(row, claimer, f"could not build the message: {exc!r}")
                result.failed.append(row.pk)
                continue
            try:
                message.send()
            except (OSError, smtplib.SMTPException) as exc:
                code = _smtp_code(exc)
                error = f"{code} {exc}" if code else repr(exc)
                if code is not None and code >= 500:
                    _fail(row, claimer, error)
                    result.failed.append(row.pk)
                    continue
                _release_or_fail(row, claimer, error, result)
                if code is None or isinstance(exc, smtplib.SMTPServerDisconnected) or code == 421:
                    # The connection is gone: the remaining rows wait for the retry as well.
                    for rest in rows[index + 1 :]:
                        _release_or_fail(rest, claimer, "not tried: " + error, result)
                    break
                continue
            except Exception as exc:  # Anything else the send raises belongs to this row alone.
                log.exception("Notification %s could not be sent", row.pk)
                _fail(row, claimer, f"could not send the message: {exc!r}")
                result.failed.append(row.pk)
                continue
            # Accepted by the SMTP server: mark at once, so only a crash right here can repeat this message.
            _mark_sent(row, claimer)
            result.sent.append(row.pk)
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
        _release_leftovers(rows, claimer, result)
    return result


def _release_leftovers(rows: list[Notification], claimer: str, result: BatchResult) -> None:
    """Nothing stays `sending`: rows this run claimed but did not finish (an error outside one row's handling)
    go back to pending for a retry, or fail for good after the last attempt."""
    done = set(result.sent) | set(result.failed) | set(result.skipped) | set(result.retry)
    left = [row for row in rows if row.pk not in done]
    if not left:
        return
    still_mine = set(
        Notification.objects.filter(
            pk__in=[row.pk for row in left], status=NotificationStatus.SENDING, claimed_by=claimer
        ).values_list("pk", flat=True)
    )
    for row in left:
        if row.pk in still_mine:
            _release_or_fail(row, claimer, "interrupted", result)


def _mine(row: Notification, claimer: str) -> Any:
    return Notification.objects.filter(pk=row.pk, status=NotificationStatus.SENDING, claimed_by=claimer)


def _mark_sent(row: Notification, claimer: str) -> None:
    # The hot path: one short, precompiled UPDATE right after the SMTP server's "250" (the only window in which a
    # crash can repeat a message). Same condition as `_mine`.
    table = Notification._meta.db_table
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, last_error = '' "  # noqa: S608 - table name is ours
            "WHERE id = %s AND status = %s AND claimed_by = %s",
            [NotificationStatus.SENT, timezone.now(), row.pk, NotificationStatus.SENDING, claimer],
        )


def _finish(row: Notification, claimer: str, status: str, error: str) -> None:
    now = timezone.now()
    sent_at = now if status == NotificationStatus.SENT else None
    _mine(row, claimer).update(status=status, sent_at=sent_at, last_error=error[:1000])


def _fail(row: Notification, claimer: str, error: str) -> None:
    log.warning("Notification %s failed permanently: %s", row.pk, error[:200])
    _finish(row, claimer, NotificationStatus.FAILED, error)
    row.last_error = error[:1000]
    call_task_open(notification=row, why=error)


def _release_or_fail(row: Notification, claimer: str, error: str, result: BatchResult) -> None:
    if row.attempts >= MAX_ATTEMPTS:
        _fail(row, claimer, f"gave up after {row.attempts} attempts: {error}")
        result.failed.append(row.pk)
        return
    _mine(row, claimer).update(
        status=NotificationStatus.PENDING,
        last_error=error[:1000],
        next_attempt_at=timezone.now() + timedelta(seconds=backoff_seconds(row.attempts)),
    )
    result.retry.append(row.pk)


def sweep(older_than: timedelta = timedelta(minutes=2), limit: int = 5000) -> list[int]:
    """Ids of rows a worker or the broker left behind: pending for a while and not waiting for a retry, or claimed by
    a worker that died."""
    now = timezone.now()
    due = now - older_than
    return list(
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING, created_at__lt=due)
            & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=due))
            | Q(status=NotificationStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
