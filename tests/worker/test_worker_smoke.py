"""A real Celery worker, over Redis, sends an outbox row to a real SMTP server."""

from __future__ import annotations

import pytest
from django.db import transaction

from burenhulp.core.models import Neighbourhood
from burenhulp.notifications.models import Notification, NotificationStatus
from burenhulp.notifications.outbox import notify
from tests.conftest import SMTPSink, WorkerProcess, text_and_html
from tests.factories import NeighbourhoodFactory, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_delivers_an_outbox_row_once(celery_worker_process: WorkerProcess, smtp_server: SMTPSink) -> None:
    buurt: Neighbourhood = NeighbourhoodFactory(name="Wakken")
    coordinator = UserFactory(email="griet@example.org", language="fr")
    with transaction.atomic():
        notify(
            template="crisis_alert",
            key="crisis:1:griet",
            user=coordinator,
            buurt=buurt,
            context={"buurt_name": buurt.name, "reasons": ["violence"], "item_path": "/coordinator/queue/1/"},
        )
        # The same event again inside the transaction: still one row.
        notify(template="crisis_alert", key="crisis:1:griet", user=coordinator, buurt=buurt, context={})
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "griet@example.org"
    assert " ".join(message["List-Unsubscribe"].split()).startswith("<http://testserver/email/unsubscribe/")
    text, html = text_and_html(message)
    assert "violence" in text and "/coordinator/queue/1/" in text
    assert "<h1" in html
    # French for a French-speaking coordinator.
    assert "Signal de crise" in message["Subject"]
    row = Notification.objects.get(idempotency_key="crisis:1:griet")
    for _ in range(50):
        row.refresh_from_db()
        if row.status == NotificationStatus.SENT:
            break
        import time

        time.sleep(0.1)
    assert row.status == NotificationStatus.SENT and row.attempts == 1
