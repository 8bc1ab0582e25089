"""L8: a resident's light requests beyond REQUEST_OPEN_LIMIT open (3) or REQUEST_DAILY_LIMIT a day (5) go to a
coordinator first — a queue item with the reason in words — and no neighbour is emailed; the resident is told."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.coordination.presenting import reasons_text
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, RequestStatus
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident
from tests.conftest import api_client, web_client
from tests.requests.helpers import LIGHT, helper


@pytest.fixture
def helpers(buurt: Neighbourhood) -> list[Resident]:
    return [helper(buurt, 100 * (i + 1), email=f"helper{i}@example.org", languages=["nl"]) for i in range(5)]


def _ask(user: Any) -> Any:
    body = {"category": "boodschappen", "description": LIGHT}
    return api_client(user).post("/api/v1/requests/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_the_fourth_open_request_waits_for_the_coordinator(
    requester: Resident, helpers: list[Resident], coordinator: User
) -> None:
    for _ in range(3):
        assert _ask(requester.user).json()["status"] == "open"
    emailed = Notification.objects.filter(template="proposal").count()
    fourth = _ask(requester.user)
    assert fourth.status_code == 201
    body = fourth.json()
    assert body["status"] == "queued" and body["triage"]["level"] == "light"
    assert "lot of help" in " ".join(body["coordinator_first"])
    assert Notification.objects.filter(template="proposal").count() == emailed  # nobody else emailed
    hr = HelpRequest.objects.get(pk=body["id"])
    item = QueueItem.objects.get(request=hr, kind=QueueKind.TRIAGE)
    assert item.reasons == ["request_limit"]
    assert any("a lot of help" in words for words in reasons_text(item))
    page = web_client(requester.user).get(f"/help/request/{hr.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "No neighbour has been emailed" in page.content.decode()
    queue = web_client(coordinator).get("/coordinator/", HTTP_ACCEPT_LANGUAGE="en")
    assert "asked for a lot of help" in queue.content.decode()


def test_more_than_five_a_day_waits_even_when_closed(requester: Resident, helpers: list[Resident]) -> None:
    for _ in range(5):
        HelpRequest.objects.create(
            buurt=requester.buurt,
            requester=requester,
            category="boodschappen",
            description="x",
            status=RequestStatus.CANCELLED,
            created_at=timezone.now() - timedelta(hours=2),
        )
    assert _ask(requester.user).json()["status"] == "queued"


def test_a_coordinator_asking_on_behalf_is_not_held(
    requester: Resident, helpers: list[Resident], coordinator: User, settings: Any
) -> None:
    settings.REQUEST_OPEN_LIMIT = 0
    body = {"category": "boodschappen", "description": LIGHT, "requester": requester.pk}
    answer = api_client(coordinator).post("/api/v1/requests/", body, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "open"


def test_releasing_a_held_request_asks_neighbours(
    requester: Resident, helpers: list[Resident], coordinator: User, settings: Any
) -> None:
    settings.REQUEST_OPEN_LIMIT = 0
    body = _ask(requester.user).json()
    item = QueueItem.objects.get(request_id=body["id"])
    response = api_client(coordinator).post(
        f"/api/v1/queue/{item.pk}/release/", {"reason": "checked by phone: she may ask"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert HelpRequest.objects.get(pk=body["id"]).proposals.exists()
