"""The request and proposal API of DESIGN §9, end to end (PostgreSQL by default; SQLite via TEST_DATABASE_URL)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from burenhulp.coordination.models import QueueItem
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, MatchProposal
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident
from tests.conftest import api_client
from tests.requests.helpers import CRISIS, HEAVY, LIGHT, helper

pytestmark = pytest.mark.django_db


def ask(user: User, **body: Any) -> Any:
    payload = {"category": "boodschappen", "description": LIGHT, **body}
    return api_client(user).post("/api/v1/requests/", payload, format="json")


@pytest.fixture
def helpers(buurt: Neighbourhood) -> list[Resident]:
    return [helper(buurt, 100 * (i + 1), email=f"helper{i}@example.org", languages=["nl"]) for i in range(5)]


def test_resident_asks_for_self_and_the_first_round_goes_out(requester: Resident, helpers: list[Resident]) -> None:
    answer = ask(requester.user)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "open"
    assert body["triage"]["level"] == "light"
    assert isinstance(body["triage"]["reasons"], list)
    assert "emergency_numbers" not in body
    hr = HelpRequest.objects.get(pk=body["id"])
    assert hr.status == "proposed" and hr.current_round == 1
    proposed = list(hr.proposals.order_by("-score").values_list("volunteer_id", flat=True))
    assert proposed == [h.pk for h in helpers[:3]]  # K = 3, nearest first
    keys = set(Notification.objects.filter(template="proposal").values_list("idempotency_key", flat=True))
    assert keys == {f"proposal:{p.pk}:{p.volunteer_id}" for p in hr.proposals.all()}


def test_coordinator_asks_on_behalf_but_not_for_another_buurt(
    coordinator: User, requester: Resident, outsider: Resident, helpers: list[Resident]
) -> None:
    answer = ask(coordinator, requester=requester.pk)
    assert answer.status_code == 201
    assert HelpRequest.objects.get(pk=answer.json()["id"]).created_via == "coordinator"
    before = HelpRequest.objects.count()
    refused = ask(coordinator, requester=outsider.pk)
    assert refused.status_code == 400
    assert "requester" in refused.json()
    assert "does not exist" in json.dumps(refused.json())
    assert HelpRequest.objects.count() == before


@pytest.mark.parametrize(
    "body",
    [
        {"description": ""},
        {"description": "   "},
        {"description": "x" * 10_000},
        {"category": "skydiving"},
        {"window_start": "2031-05-02T10:00:00+02:00", "window_end": "2031-05-01T10:00:00+02:00"},
        {"window_start": "2020-05-01T10:00:00+02:00", "window_end": "2020-05-01T12:00:00+02:00"},
        {"window_start": "not a date"},
        {"urgent": "maybe"},
    ],
)
def test_bad_input_is_a_clear_400_and_nothing_is_written(requester: Resident, body: dict[str, Any]) -> None:
    answer = ask(requester.user, **body)
    assert answer.status_code == 400, answer.content
    assert answer.json()
    assert HelpRequest.objects.count() == 0
    assert QueueItem.objects.count() == 0


def test_heavy_waits_for_the_coordinator_and_never_reaches_neighbours(
    requester: Resident, coordinator: User, helpers: list[Resident]
) -> None:
    answer = ask(requester.user, category="documenten", description=HEAVY)
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "queued" and body["triage"]["level"] == "heavy"
    assert body["triage"]["reasons"] and all(isinstance(r, str) for r in body["triage"]["reasons"])
    assert MatchProposal.objects.count() == 0
    assert QueueItem.objects.filter(request_id=body["id"], kind="triage", status="open").exists()
    client = api_client(coordinator)
    refused = client.post(f"/api/v1/requests/{body['id']}/match/")
    assert refused.status_code == 409 and "buren worden niet gevraagd" in refused.json()["detail"]
    in_french = client.post(f"/api/v1/requests/{body['id']}/match/", HTTP_ACCEPT_LANGUAGE="fr")
    assert in_french.status_code == 409 and "les voisins ne sont pas sollicités" in in_french.json()["detail"]
    assert client.get(f"/api/v1/requests/{body['id']}/candidates/").json() == []
    assert MatchProposal.objects.count() == 0
    assert not Notification.objects.filter(template="proposal").exists()


def test_crisis_shows_the_emergency_numbers_and_alerts_the_coordinator(
    requester: Resident, coordinator: User, helpers: list[Resident]
) -> None:
    body = ask(requester.user, category="andere", description=CRISIS).json()
    assert body["triage"]["level"] == "crisis" and body["status"] == "queued"
    assert [n["number"] for n in body["emergency_numbers"]] == ["112", "1813", "106", "1712"]
    assert all(n["label"] for n in body["emergency_numbers"])
    assert MatchProposal.objects.count() == 0
    assert Notification.objects.filter(template="crisis_alert", recipient_user=coordinator).count() == 1
    assert api_client(coordinator).post(f"/api/v1/requests/{body['id']}/match/").status_code == 409


def test_candidates_rank_closer_and_same_language_first_with_readable_reasons(
    buurt: Neighbourhood, coordinator: User
) -> None:
    requester = helper(buurt, 0, email="fr@example.org", offers=(), languages=["fr"])
    far = helper(buurt, 900, languages=["nl"])
    near = helper(buurt, 200, languages=["nl"])
    french = helper(buurt, 200, languages=["fr"])
    helper(buurt, 2000, languages=["fr"])  # outside the radius
    hr = HelpRequest.objects.create(buurt=buurt, requester=requester, category="boodschappen", description="melk")
    answer = api_client(coordinator).get(f"/api/v1/requests/{hr.pk}/candidates/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    rows = answer.json()
    assert [r["resident"] for r in rows] == [french.pk, near.pk, far.pk]
    assert rows[0]["score"] > rows[1]["score"] > rows[2]["score"]
    assert 190 < rows[0]["distance_m"] < 210
    assert all(isinstance(r, str) and r for r in rows[0]["reasons"])


def test_candidates_and_details_are_404_for_another_buurt(
    requester: Resident, outsider_coordinator: User, outsider: Resident, helpers: list[Resident]
) -> None:
    pk = ask(requester.user).json()["id"]
    other = api_client(outsider_coordinator)
    assert other.get(f"/api/v1/requests/{pk}/").status_code == 404
    assert other.get(f"/api/v1/requests/{pk}/candidates/").status_code == 404
    assert other.post(f"/api/v1/requests/{pk}/match/").status_code == 404
    assert api_client(outsider.user).get(f"/api/v1/requests/{pk}/").status_code == 404
    p = MatchProposal.objects.filter(request_id=pk).first()
    assert p is not None
    assert other.post(f"/api/v1/proposals/{p.pk}/accept/").status_code == 404


def test_proposals_hide_the_address_until_acceptance(buurt: Neighbourhood, helpers: list[Resident]) -> None:
    requester = helper(buurt, 0, email="rita@example.org", offers=(), phone="0470 12 34 56", house_number="77")
    pk = ask(requester.user).json()["id"]
    volunteer = helpers[0]
    client = api_client(volunteer.user)
    listed = client.get("/api/v1/proposals/")
    assert listed.status_code == 200
    rows = listed.json()
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert {"id", "request", "volunteer", "status"} <= set(row)
    assert row["request"] == pk and row["volunteer"] == volunteer.pk and row["status"] == "proposed"
    text = json.dumps(row)
    for secret in ("0470 12 34 56", "rita@example.org", "house_number", str(requester.lat)):
        assert secret not in text
    accepted = client.post(f"/api/v1/proposals/{row['id']}/accept/")
    assert accepted.status_code == 200
    contact = accepted.json()["requester"]
    assert contact["first_name"] == requester.first_name
    assert contact["house_number"] == "77" and contact["phone"] == "0470 12 34 56"
    assert contact["email"] == "rita@example.org" and contact["street"] == requester.street.name
    # The accepted volunteer may read the request; the others may not.
    detail = client.get(f"/api/v1/requests/{pk}/")
    assert detail.status_code == 200 and detail.json()["requester_contact"]["house_number"] == "77"
    assert api_client(helpers[1].user).get(f"/api/v1/requests/{pk}/").status_code == 404


def test_first_accept_wins_others_are_withdrawn_and_told(requester: Resident, helpers: list[Resident]) -> None:
    pk = ask(requester.user).json()["id"]
    first, second, third = MatchProposal.objects.filter(request_id=pk).order_by("-score")
    assert api_client(second.volunteer.user).post(f"/api/v1/proposals/{second.pk}/accept/").status_code == 200
    hr = HelpRequest.objects.get(pk=pk)
    assert hr.status == "matched"
    assert {p.pk: p.status for p in hr.proposals.all()} == {
        first.pk: "withdrawn",
        second.pk: "accepted",
        third.pk: "withdrawn",
    }
    late = api_client(first.volunteer.user).post(f"/api/v1/proposals/{first.pk}/accept/")
    assert late.status_code == 409 and late.json()["detail"]
    again = api_client(second.volunteer.user).post(f"/api/v1/proposals/{second.pk}/accept/")
    assert again.status_code == 409
    assert api_client(third.volunteer.user).post(f"/api/v1/proposals/{third.pk}/decline/").status_code == 409
    assert set(Notification.objects.filter(template="taken").values_list("recipient_resident_id", flat=True)) == {
        first.volunteer_id,
        third.volunteer_id,
    }
    assert Notification.objects.filter(template="accepted_volunteer", recipient_resident=second.volunteer).exists()
    assert Notification.objects.filter(template="accepted_requester", recipient_resident=requester).exists()
    # Requester sees who said yes; coordinator-only fields stay hidden.
    mine = api_client(requester.user).get(f"/api/v1/requests/{pk}/").json()
    assert mine["status"] == "matched" and mine["volunteer"]["first_name"] == second.volunteer.first_name
    assert "proposals" not in mine


def test_coordinator_answers_on_a_volunteers_behalf_and_sees_proposals(
    requester: Resident, coordinator: User, helpers: list[Resident]
) -> None:
    pk = ask(requester.user).json()["id"]
    client = api_client(coordinator)
    first, second, _third = MatchProposal.objects.filter(request_id=pk).order_by("-score")
    assert client.post(f"/api/v1/proposals/{first.pk}/decline/").status_code == 200
    assert client.post(f"/api/v1/proposals/{first.pk}/decline/").status_code == 409
    answer = client.post(f"/api/v1/proposals/{second.pk}/accept/")
    assert answer.status_code == 200 and answer.json()["proposal"]["status"] == "accepted"
    detail = client.get(f"/api/v1/requests/{pk}/").json()
    assert {p["status"] for p in detail["proposals"]} == {"declined", "accepted", "withdrawn"}
    assert {"id", "volunteer", "status", "score", "round"} <= set(detail["proposals"][0])
    assert AuditLog.objects.filter(actor=coordinator, action="view", target_id=str(pk)).exists()
    assert client.post(f"/api/v1/requests/{pk}/match/").status_code == 409


def test_match_returns_the_open_round_then_the_next_then_no_match(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    helpers = [helper(buurt, 100 * (i + 1)) for i in range(4)]
    hr = HelpRequest.objects.create(buurt=buurt, requester=requester, category="boodschappen", description="melk")
    client = api_client(coordinator)
    one = client.post(f"/api/v1/requests/{hr.pk}/match/").json()
    assert one["round"] == 1 and [p["volunteer"] for p in one["proposals"]] == [h.pk for h in helpers[:3]]
    assert client.post(f"/api/v1/requests/{hr.pk}/match/").json() == one  # still open: unchanged
    MatchProposal.objects.filter(request=hr).update(status="expired")
    two = client.post(f"/api/v1/requests/{hr.pk}/match/").json()
    assert two["round"] == 2 and [p["volunteer"] for p in two["proposals"]] == [helpers[3].pk]
    MatchProposal.objects.filter(request=hr).update(status="expired")
    three = client.post(f"/api/v1/requests/{hr.pk}/match/")
    assert three.status_code == 200 and three.json()["proposals"] == []
    hr.refresh_from_db()
    assert hr.status == "queued"
    assert QueueItem.objects.filter(request=hr, kind="no_match", status="open").exists()


def test_a_new_request_with_nobody_nearby_goes_to_the_queue(requester: Resident) -> None:
    body = ask(requester.user).json()
    assert body["status"] == "queued" and body["triage"]["level"] == "light"
    assert QueueItem.objects.filter(request_id=body["id"], kind="no_match").exists()


def test_expired_proposal_cannot_be_accepted(requester: Resident, helpers: list[Resident]) -> None:
    pk = ask(requester.user).json()["id"]
    p = MatchProposal.objects.filter(request_id=pk).first()
    assert p is not None
    MatchProposal.objects.filter(pk=p.pk).update(status="expired", answered_at=timezone.now() - timedelta(hours=1))
    answer = api_client(p.volunteer.user).post(f"/api/v1/proposals/{p.pk}/accept/")
    assert answer.status_code == 409
    assert HelpRequest.objects.get(pk=pk).status == "proposed"


def test_anonymous_gets_no_access(requester: Resident) -> None:
    assert api_client(None).post("/api/v1/requests/", {}, format="json").status_code in (401, 403)
    assert api_client(None).get("/api/v1/proposals/").status_code in (401, 403)
