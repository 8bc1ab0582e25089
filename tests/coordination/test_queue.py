"""The queue's one door in and one door out (burenhulp/coordination/queue.py): one crisis alert per crisis request,
items closed once, and the outcomes the platform writes shown in the reader's language."""

from __future__ import annotations

from django.utils import translation

from burenhulp.coordination.models import QueueItem, QueueKind, QueueOutcome, QueueStatus
from burenhulp.coordination.queue import queue_items_close
from burenhulp.core.models import User
from burenhulp.helprequests import services
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident
from tests.requests.helpers import CRISIS


def test_a_crisis_alerts_each_coordinator_once_even_when_a_check_in_opens_too(
    requester: Resident, coordinator: User
) -> None:
    # A resident a coordinator marked for follow-up: the crisis request opens a triage item and a check-in item.
    Resident.objects.filter(pk=requester.pk).update(needs_follow_up=True)
    requester.refresh_from_db()
    request = services.request_create(requester=requester, category="andere", description=CRISIS)
    kinds = set(QueueItem.objects.filter(request=request).values_list("kind", flat=True))
    assert kinds == {QueueKind.TRIAGE, QueueKind.CHECK_IN}
    alerts = Notification.objects.filter(template="crisis_alert")
    assert [(n.recipient_user_id, n.context["request_id"]) for n in alerts] == [(coordinator.pk, request.pk)]


def test_an_item_is_closed_once_and_its_outcome_speaks_the_readers_language(
    requester: Resident, coordinator: User
) -> None:
    request = services.request_create(requester=requester, category="andere", description=CRISIS)
    items = QueueItem.objects.filter(request=request, kind=QueueKind.TRIAGE)
    assert queue_items_close(items=items, outcome=QueueOutcome.CANCELLED, by=coordinator) == 1
    assert queue_items_close(items=items, outcome=QueueOutcome.CANCELLED, by=coordinator) == 0
    item = items.get()
    assert item.status == QueueStatus.CLOSED and item.outcome == QueueOutcome.CANCELLED
    with translation.override("nl"):
        assert item.outcome_text == "De hulpvraag werd geannuleerd."
    with translation.override("fr"):
        assert item.outcome_text == "La demande a été annulée."
    item.outcome = "Dochter regelt het"  # a coordinator's own words stay as written
    assert item.outcome_text == "Dochter regelt het"
