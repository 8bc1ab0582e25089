"""Writing to the outbox. Call `notify()` inside the transaction of the event; the message is dispatched to the
worker only after that transaction commits, and the periodic sweeper picks up anything left behind."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import IntegrityError, transaction

from burenhulp.core.models import Neighbourhood, User
from burenhulp.notifications.calls import call_task_open
from burenhulp.notifications.models import Notification, NotificationStatus
from burenhulp.residents.models import Resident
from burenhulp.residents.selectors import mail_address_of
from worker.celery import app

log = logging.getLogger(__name__)

# Ids written in the current thread's transactions and not yet handed to the worker. One commit hands them all over
# in batches, so a round of many proposals costs a few tasks, not one per message.
_pending = threading.local()
BATCH_SIZE = 50
#: The registered name of the delivery task (`burenhulp/notifications/tasks.py`).
SEND_TASK = "burenhulp.notifications.tasks.send_notifications"
#: Messages that ask a volunteer to act or hand them someone's details: never to a volunteer who may not act
#: (blocked, paused, erased, account disabled; DESIGN §12).
VOLUNTEER_TEMPLATES = frozenset({"proposal", "accepted_volunteer", "weekly_digest"})


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
    2. A recipient without an email address (or with emails paused) gets a `skipped` row and a call task, so a
       coordinator calls instead.
    3. After commit the row's id is handed to the worker.
    """
    email = ""
    language = "nl-be"
    why_skipped = "no email address"
    if resident is not None:
        email = mail_address_of(resident)
        language = resident.language
        buurt = buurt or resident.buurt
        if email and resident.emails_paused:
            why_skipped, email = "emails paused", ""
        if template in VOLUNTEER_TEMPLATES and not resident.can_act():
            why_skipped, email = "volunteer not active", ""
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
                last_error="" if email else why_skipped,
            )
    except IntegrityError:
        return Notification.objects.get(idempotency_key=key)
    if status == NotificationStatus.SKIPPED and resident is not None:
        # Nobody falls through (DESIGN §12): a message that cannot be emailed goes on the coordinator's call list.
        call_task_open(notification=notification, why=why_skipped)
    if status == NotificationStatus.PENDING:
        ids: list[int] = _buffer()
        ids.append(notification.pk)
        # Every row registers the same flush; the first one after commit hands all ids over, the rest find none.
        # Ids of a rolled-back transaction stay in the buffer and are dropped by the worker's claim (no such row).
        transaction.on_commit(_flush)
    return notification


def _buffer() -> list[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = []
    ids: list[int] = _pending.ids
    return ids


def _flush() -> None:
    ids = _buffer()
    if not ids:
        return
    taken, ids[:] = list(ids), []
    for start in range(0, len(taken), BATCH_SIZE):
        dispatch(taken[start : start + BATCH_SIZE])


def dispatch(notification_ids: int | list[int]) -> None:
    """Hand outbox rows to the worker. If the broker is down the rows stay pending for the sweeper.

    The task is addressed by its registered name (a signature of the Celery app), which honours eager mode like a
    direct call, so the outbox does not import the task module that imports it."""
    ids = [notification_ids] if isinstance(notification_ids, int) else list(notification_ids)
    try:
        app.signature(SEND_TASK, args=(ids,)).delay()
    except Exception:  # The broker is down: the sweeper will enqueue them again.
        log.warning("Could not enqueue notifications %s; the sweeper will retry.", ids[:10], exc_info=True)
