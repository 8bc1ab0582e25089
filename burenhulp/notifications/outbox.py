"""Writing to the outbox. Call `notify()` inside the transaction of the event; the message is dispatched to the
worker only after that transaction commits, and the periodic sweeper picks up anything left behind."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction

from burenhulp.core.models import Neighbourhood, User
from burenhulp.notifications.models import Notification, NotificationStatus
from burenhulp.residents.models import Resident

log = logging.getLogger(__name__)


def notify(
    *,
    template: str,
    key: str,
    context: dict[str, Any] | None = None,
    buurt: Neighbourhood | None = None,
    resident: Resident | None = None,
    user: User | None = None,
) -> Notification:
    """Queue one message for `resident` or `user`, at most once per idempotency `key`.

    1. The row is written in the caller's transaction (a savepoint keeps a duplicate key from breaking it).
    2. A recipient without an email address gets a `skipped` row, so a coordinator sees who to call instead.
    3. After commit the row's id is handed to the worker.
    """
    email = ""
    language = "nl-be"
    if resident is not None:
        email = resident.email or (resident.user.email if resident.user_id and resident.user else "")
        language = resident.language
        buurt = buurt or resident.buurt
    elif user is not None:
        email = user.email
        language = user.language
    status = NotificationStatus.PENDING if email else NotificationStatus.SKIPPED
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                template=template,
                idempotency_key=key,
                context=context or {},
                buurt=buurt,
                recipient_resident=resident,
                recipient_user=user,
                to_email=email,
                language=language,
                status=status,
                last_error="" if email else "no email address",
            )
    except IntegrityError:
        return Notification.objects.get(idempotency_key=key)
    if status == NotificationStatus.PENDING:
        transaction.on_commit(lambda: dispatch(notification.pk))
    return notification


def dispatch(notification_id: int) -> None:
    """Hand one outbox row to the worker. If the broker is down the row stays pending for the sweeper."""
    from worker.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:  # The broker is down: the sweeper will enqueue it again.
        log.warning("Could not enqueue notification %s; the sweeper will retry.", notification_id, exc_info=True)
