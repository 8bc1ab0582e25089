"""The calls API (DESIGN §9): open call tasks oldest first, own neighbourhood only; recording a call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.notifications.models import CallOutcome, CallTask
from burenhulp.residents.models import Resident
from tests.conftest import api_client
from tests.coordination.test_call_list import _call

pytestmark = pytest.mark.django_db


def test_the_list_is_oldest_first_with_the_contract_fields(
    coordinator_api: APIClient, coordinator: User, buurt: Neighbourhood, requester: Resident
) -> None:
    new = _call(buurt, requester, name="Nieuw")
    old = _call(buurt, requester, age=timedelta(hours=30), name="Oud")
    response = coordinator_api.get("/api/v1/calls/")
    assert response.status_code == 200
    data = response.json()
    assert [row["id"] for row in data] == [old.pk, new.pk]
    first = data[0]
    assert {"id", "resident", "phone", "template", "request", "proposal", "age_hours"} <= set(first)
    assert (first["resident"], first["phone"], first["template"]) == (old.resident_id, "051 22 33 44", "proposal")
    assert (first["request"], first["proposal"]) == (old.request_id, old.proposal_id)
    assert 29.9 <= first["age_hours"] <= 30.1
    assert AuditLog.objects.filter(actor=coordinator, reason="call list (API)").exists()


def test_another_neighbourhood_sees_nothing_and_gets_404(
    buurt: Neighbourhood, requester: Resident, outsider_coordinator: User
) -> None:
    task = _call(buurt, requester)
    client = api_client(outsider_coordinator)
    assert client.get("/api/v1/calls/").json() == []
    response = client.post(f"/api/v1/calls/{task.pk}/done/", {"outcome": "reached"}, format="json")
    assert response.status_code == 404 and "detail" in response.json()
    task.refresh_from_db()
    assert task.is_open()


def test_done_records_the_call(coordinator_api: APIClient, buurt: Neighbourhood, requester: Resident) -> None:
    task = _call(buurt, requester)
    response = coordinator_api.post(f"/api/v1/calls/{task.pk}/done/", {"outcome": "not_reached"}, format="json")
    assert response.status_code == 200 and response.json() == {
        "id": task.pk,
        "outcome": "",
        "done": False,
        "attempts": 1,
    }
    response = coordinator_api.post(f"/api/v1/calls/{task.pk}/done/", {"outcome": "reached"}, format="json")
    assert response.status_code == 200 and response.json()["done"] is True
    assert CallTask.objects.get(pk=task.pk).outcome == CallOutcome.REACHED
    assert coordinator_api.get("/api/v1/calls/").json() == []
    again = coordinator_api.post(f"/api/v1/calls/{task.pk}/done/", {"outcome": "reached"}, format="json")
    assert again.status_code == 409 and "detail" in again.json()


@pytest.mark.parametrize("body", [{}, {"outcome": "accepted"}, {"outcome": 1}, {"outcome": ["reached"]}, []])
def test_bad_input_is_400_json(
    coordinator_api: APIClient, buurt: Neighbourhood, requester: Resident, body: object
) -> None:
    task = _call(buurt, requester)
    response = coordinator_api.post(f"/api/v1/calls/{task.pk}/done/", body, format="json")
    assert response.status_code == 400 and response.json()
    assert CallTask.objects.get(pk=task.pk).is_open()


def test_residents_and_anonymous_get_no_calls(volunteer: Resident) -> None:
    assert api_client(volunteer.user).get("/api/v1/calls/").status_code == 404
    assert APIClient().get("/api/v1/calls/").status_code in (401, 403, 404)


def test_an_answer_recorded_elsewhere_settles_the_call(
    coordinator_api: APIClient, coordinator: User, buurt: Neighbourhood, requester: Resident
) -> None:
    task = _call(buurt, requester)
    response = coordinator_api.post(f"/api/v1/proposals/{task.proposal_id}/accept/", format="json")
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert not task.is_open() and task.outcome == CallOutcome.ACCEPTED and task.done_by == coordinator
    # Jef has no email: the address he needs is the next call (Rita has email, so she is mailed).
    assert [row["template"] for row in coordinator_api.get("/api/v1/calls/").json()] == ["accepted_volunteer"]
