"""Sending one outbox row: claim it, render it in the recipient's language, send it, mark it."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from burenhulp.notifications.models import Notification, NotificationStatus

log = logging.getLogger(__name__)

# A row claimed longer ago than this belongs to a worker that died; the sweeper hands it out again.
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 8


class TemporaryError(Exception):
    """Try again later (SMTP 4xx, connection refused, timeout)."""


def claim(notification_id: int) -> Notification | None:
    """Take the row for sending with a conditional update; `None` if it is sent, failed or claimed by a live worker."""
    now = timezone.now()
    stale = now - CLAIM_TIMEOUT
    claimed = Notification.objects.filter(
        Q(status=NotificationStatus.PENDING) | Q(status=NotificationStatus.SENDING, claimed_at__lt=stale),
        pk=notification_id,
    ).update(status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    return Notification.objects.get(pk=notification_id)


def unsubscribe_token(notification: Notification) -> str:
    return signing.dumps({"n": notification.pk}, salt="burenhulp.unsubscribe")


def build_message(notification: Notification) -> EmailMultiAlternatives:
    ctx = dict(notification.context)
    ctx["site_url"] = settings.SITE_URL
    unsubscribe_url = settings.SITE_URL + reverse("notifications:unsubscribe", args=[unsubscribe_token(notification)])
    ctx["unsubscribe_url"] = unsubscribe_url
    with translation.override(notification.language):
        name = notification.template
        subject = render_to_string(f"emails/{name}-subject.txt", ctx).strip().replace("\n", " ")
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notification.to_email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Burenhulp-Key": notification.idempotency_key[:150],
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send(notification_id: int) -> str:
    """Send one notification at most once as the recipient sees it. Returns what happened, for logs and tests.

    Raises `TemporaryError` for failures worth retrying; the row is then back to `pending`.
    """
    notification = claim(notification_id)
    if notification is None:
        return "not-claimed"
    try:
        build_message(notification).send()
    except smtplib.SMTPResponseException as exc:
        code = exc.smtp_code
        if 400 <= code < 500 and notification.attempts < MAX_ATTEMPTS:
            _release(notification, f"{code} {exc.smtp_error!r}")
            raise TemporaryError(str(code)) from exc
        _fail(notification, f"{code} {exc.smtp_error!r}")
        return "failed"
    except (OSError, smtplib.SMTPException) as exc:
        if notification.attempts < MAX_ATTEMPTS:
            _release(notification, repr(exc))
            raise TemporaryError(repr(exc)) from exc
        _fail(notification, repr(exc))
        return "failed"
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _release(notification: Notification, error: str) -> None:
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.PENDING, last_error=error[:1000]
    )


def _fail(notification: Notification, error: str) -> None:
    log.warning("Notification %s failed permanently: %s", notification.pk, error[:200])
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.FAILED, last_error=error[:1000]
    )


def sweep(older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Ids of rows a worker or the broker left behind: pending for a while, or claimed by a worker that died."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING, created_at__lt=now - older_than)
            | Q(status=NotificationStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
