"""L6: where a neighbourhood checks new profiles, a newcomer not approved yet sees no neighbours' cards, and their
requests go to a coordinator first (a queue item with the reason in words); no neighbour is emailed."""

from __future__ import annotations

from typing import Any

import pytest

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.coordination.presenting import reasons_text
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Consent, Resident
from tests.conftest import api_client, web_client
from tests.factories import ResidentFactory, UserFactory
from tests.requests.helpers import LIGHT, helper


@pytest.fixture
def strict(buurt: Neighbourhood) -> Neighbourhood:
    buurt.requires_approval = True
    buurt.save(update_fields=["requires_approval"])
    for i in range(3):
        neighbour = helper(
            buurt, 100 * (i + 1), email=f"helper{i}@example.org", languages=["nl"], first_name=f"Helper{i}"
        )
        Consent.objects.create(resident=neighbour, purpose="share_profile", text_version="2026-1")
    return buurt


@pytest.fixture
def newcomer(strict: Neighbourhood) -> Resident:
    user = UserFactory(email="newcomer@example.org")
    return ResidentFactory(buurt=strict, user=user, email=user.email, approved=False)


def _ask_page(resident: Resident) -> Any:
    body = {"category": "boodschappen", "description": LIGHT, "when": "flexible"}
    return web_client(resident.user).post("/help/ask/", body, HTTP_ACCEPT_LANGUAGE="en")


def test_a_newcomer_sees_no_cards_until_approved(newcomer: Resident, coordinator: User) -> None:
    page = web_client(newcomer.user).get("/burenbox/neighbours/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Helper0" not in html and "first looks at new profiles" in html
    newcomer.approved = True
    newcomer.save(update_fields=["approved"])
    assert "Helper0" in web_client(newcomer.user).get("/burenbox/neighbours/").content.decode()


def test_a_newcomers_request_on_the_page_goes_to_the_coordinator(newcomer: Resident, coordinator: User) -> None:
    response = _ask_page(newcomer)
    assert response.status_code == 302
    hr = HelpRequest.objects.get(requester=newcomer)
    assert hr.status == "queued" and not hr.proposals.exists()
    assert not Notification.objects.filter(template="proposal").exists()
    item = QueueItem.objects.get(request=hr, kind=QueueKind.TRIAGE)
    assert item.reasons == ["awaiting_approval"]
    assert any("not approved yet" in words for words in reasons_text(item))
    detail = web_client(newcomer.user).get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "first looks at new profiles" in detail and "No neighbour has been emailed" in detail


def test_a_newcomers_request_on_the_api_goes_to_the_coordinator(newcomer: Resident) -> None:
    body = {"category": "boodschappen", "description": LIGHT}
    answer = api_client(newcomer.user).post("/api/v1/requests/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 201
    assert answer.json()["status"] == "queued"
    assert "new profiles" in " ".join(answer.json()["coordinator_first"])
    assert not Notification.objects.filter(template="proposal").exists()


def test_an_approved_resident_asks_neighbours(strict: Neighbourhood, requester: Resident) -> None:
    assert requester.approved
    body = {"category": "boodschappen", "description": LIGHT}
    answer = api_client(requester.user).post("/api/v1/requests/", body, format="json")
    assert answer.json()["status"] == "open" and answer.json()["coordinator_first"] == []
