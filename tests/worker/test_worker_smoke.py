"""A real Celery worker, over Redis, sends a crisis alert to a coordinator through a real SMTP server."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from django.db import transaction

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import TriageLevel
from burenhulp.notifications.models import NotificationStatus
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident
from tests.factories import UserFactory
from tests.notifications.helpers import open_request
from tests.realparts import SMTPSink, WorkerProcess, text_and_html
from tests.worker.helpers import wait_until_sent

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_delivers_a_crisis_alert_once_in_french(
    celery_worker_process: WorkerProcess, smtp_server: SMTPSink, buurt: Neighbourhood, requester: Resident
) -> None:
    coordinator = UserFactory(email="griet@example.org", language="fr")
    buurt.coordinators.add(coordinator)
    request = open_request(requester)
    request.triage_level, request.triage_reasons = TriageLevel.CRISIS, ["violence"]
    request.save()
    item = QueueItem.objects.create(buurt=buurt, kind=QueueKind.TRIAGE, request=request, level=TriageLevel.CRISIS)
    context = {"request_id": request.pk, "queue_item_id": item.pk}
    key = f"crisis_alert:{request.pk}:{coordinator.pk}"
    with transaction.atomic():
        row = notify(template="crisis_alert", key=key, user=coordinator, buurt=buurt, context=context)
        # The same event again inside the transaction: still one row.
        assert notify(template="crisis_alert", key=key, user=coordinator, buurt=buurt, context=context).pk == row.pk
    messages = smtp_server.wait_for(1)
    assert wait_until_sent([row.pk], timeout=10) == 1
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "griet@example.org"
    assert str(make_header(decode_header(message["Subject"]))) == f"Signal de crise à {buurt.name} : agissez maintenant"
    assert " ".join(message["List-Unsubscribe"].split()).startswith("<http://testserver/email/unsubscribe/")
    text, html = text_and_html(message)
    assert f"/coordinator/item/{item.pk}/" in text and f"/coordinator/item/{item.pk}/" in html
    # The help lines the resident sees, in the resident's language and region (core.helplines).
    assert "- 112:" in text and ("- 1813:" in text or "- 0800 32 123:" in text) and "<h1" in html
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 1
