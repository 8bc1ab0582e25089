"""The coordinator API of DESIGN §9: queue, refer, release, close, services, reports summary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from burenhulp.coordination.models import ProfessionalService, QueueItem, QueueKind, QueueStatus, Referral
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, MatchProposal, ProposalStatus, RequestStatus, TriageLevel
from burenhulp.residents.models import Resident
from tests.conftest import api_client
from tests.coordination.conftest import queued_request
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_queue_is_a_plain_array_crisis_then_heavy_then_rest_older_first(coordinator: User, requester: Resident) -> None:
    heavy_new = queued_request(requester, age=timedelta(hours=2))
    heavy_old = queued_request(requester, age=timedelta(hours=30))
    no_match = queued_request(requester, level=TriageLevel.LIGHT, kind=QueueKind.NO_MATCH, age=timedelta(days=3))
    crisis = queued_request(requester, level=TriageLevel.CRISIS, age=timedelta(minutes=5))
    response = api_client(coordinator).get("/api/v1/queue/")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert [row["id"] for row in body] == [crisis.pk, heavy_old.pk, heavy_new.pk, no_match.pk]
    first = body[0]
    assert first["kind"] == "triage" and first["request"] == crisis.request_id and first["level"] == "crisis"
    assert all(isinstance(r, str) and r for r in first["reasons"])
    assert 0 < first["age_hours"] < 1
    assert 29.5 < body[1]["age_hours"] < 30.5


def test_refer_needs_consent_and_a_service_of_the_same_buurt(
    coordinator: User, requester: Resident, service: ProfessionalService, other_service: ProfessionalService
) -> None:
    item = queued_request(requester)
    client = api_client(coordinator)
    url = f"/api/v1/queue/{item.pk}/refer/"
    no_consent = client.post(url, {"service": service.pk, "note": "belde op maandag"}, format="json")
    assert no_consent.status_code == 400
    assert "consent" in no_consent.json()
    elsewhere = client.post(url, {"service": other_service.pk, "note": "", "consent": True}, format="json")
    assert elsewhere.status_code == 400
    assert elsewhere.json()["service"] == ["This service does not exist."]
    assert not Referral.objects.exists()
    ok = client.post(url, {"service": service.pk, "note": "belde op maandag", "consent": True}, format="json")
    assert ok.status_code == 201
    body = ok.json()
    assert {k: body[k] for k in ("service", "status", "consent", "note")} == {
        "service": service.pk,
        "status": "proposed",
        "consent": True,
        "note": "belde op maandag",
    }
    assert Referral.objects.get(pk=body["id"]).request_id == item.request_id
    assert HelpRequest.objects.get(pk=item.request_id).status == RequestStatus.REFERRED
    assert [r["id"] for r in client.get("/api/v1/queue/").json()] == []
    again = client.post(url, {"service": service.pk, "consent": True}, format="json")
    assert again.status_code == 409


def test_release_makes_the_request_light_and_open_and_starts_matching(
    coordinator: User, requester: Resident, volunteer: Resident
) -> None:
    item = queued_request(
        requester, category="boodschappen", description="Wie haalt brood voor mij? Ik zit met mijn rug."
    )
    client = api_client(coordinator)
    refused = client.post(f"/api/v1/queue/{item.pk}/release/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["detail"] and "reason" in refused.json()
    assert HelpRequest.objects.get(pk=item.request_id).status == RequestStatus.QUEUED
    response = client.post(f"/api/v1/queue/{item.pk}/release/", {"reason": "Just bread, spoke to her"}, format="json")
    assert response.status_code == 200
    assert response.json()["release_reason"] == "Just bread, spoke to her"
    req = HelpRequest.objects.get(pk=item.request_id)
    assert req.triage_level == TriageLevel.LIGHT
    assert req.triage_overridden_by == coordinator
    assert req.status in {RequestStatus.OPEN, RequestStatus.PROPOSED}
    assert AuditLog.objects.filter(action="override", target_id=str(req.pk)).exists()
    assert MatchProposal.objects.filter(request=req, volunteer=volunteer, status=ProposalStatus.PROPOSED).exists()
    item.refresh_from_db()
    assert item.status == QueueStatus.RELEASED
    assert api_client(coordinator).get("/api/v1/queue/").json() == []


def test_close_needs_an_outcome(coordinator: User, requester: Resident) -> None:
    item = queued_request(requester)
    client = api_client(coordinator)
    missing = client.post(f"/api/v1/queue/{item.pk}/close/", {}, format="json")
    assert missing.status_code == 400 and "outcome" in missing.json()
    ok = client.post(f"/api/v1/queue/{item.pk}/close/", {"outcome": "Zoon helpt zelf."}, format="json")
    assert ok.status_code == 200
    item.refresh_from_db()
    assert item.status == QueueStatus.CLOSED and item.outcome == "Zoon helpt zelf."


def test_another_buurts_items_are_404_on_every_endpoint(
    outsider_coordinator: User, requester: Resident, service: ProfessionalService
) -> None:
    item = queued_request(requester)
    client = api_client(outsider_coordinator)
    assert client.get("/api/v1/queue/").json() == []
    for action, body in [
        ("refer", {"service": service.pk, "consent": True}),
        ("release", {}),
        ("close", {"outcome": "x"}),
    ]:
        response = client.post(f"/api/v1/queue/{item.pk}/{action}/", body, format="json")
        assert response.status_code == 404, action
        assert response.json() == {"detail": "Niet gevonden."}  # the default language
    assert client.get("/api/v1/services/").json() == []
    item.refresh_from_db()
    assert item.status == QueueStatus.OPEN


def test_residents_and_anonymous_get_nothing(requester: Resident) -> None:
    item = queued_request(requester)
    assert api_client(requester.user).get("/api/v1/queue/").status_code == 404
    assert api_client(requester.user).post(f"/api/v1/queue/{item.pk}/close/", {"outcome": "x"}).status_code == 404
    assert api_client(None).get("/api/v1/queue/").status_code in {401, 403}


def test_services_list_and_create(coordinator: User, service: ProfessionalService, other_service: object) -> None:
    client = api_client(coordinator)
    assert client.get("/api/v1/services/").json() == [
        {
            "id": service.pk,
            "name": "Sociaal Huis Wakken",
            "kind": "ocmw",
            "phone": "056 00 00 00",
            "email": "",
            "website": "",
            "address": "",
            "what_for": "Budget en schulden",
            "notes": "",
        }
    ]
    created = client.post("/api/v1/services/", {"name": "CAW Oost", "kind": "caw", "phone": "0800"}, format="json")
    assert created.status_code == 201
    assert ProfessionalService.objects.get(pk=created.json()["id"]).buurt == service.buurt
    bad = client.post("/api/v1/services/", {"name": "X", "kind": "kapper"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()


def test_coordinator_of_two_buurten_names_the_buurt(
    two_buurt_coordinator: User, buurt: Neighbourhood, other_buurt: Neighbourhood
) -> None:
    client = api_client(two_buurt_coordinator)
    unnamed = client.post("/api/v1/services/", {"name": "CAW", "kind": "caw"}, format="json")
    assert unnamed.status_code == 400 and "buurt" in unnamed.json()
    unknown = client.post("/api/v1/services/", {"name": "CAW", "kind": "caw", "buurt": "nergens"}, format="json")
    assert unknown.status_code == 400
    ok = client.post("/api/v1/services/", {"name": "CAW", "kind": "caw", "buurt": other_buurt.slug}, format="json")
    assert ok.status_code == 201
    assert ProfessionalService.objects.get(pk=ok.json()["id"]).buurt == other_buurt


def test_reports_summary_semantics(coordinator: User, buurt: Neighbourhood, service: ProfessionalService) -> None:
    now = timezone.now()
    requester = ResidentFactory(buurt=buurt)
    helper = ResidentFactory(buurt=buurt)

    def make(
        category: str, status: str, level: str = "light", hours_to_match: float | None = None, days_ago: int = 3
    ) -> HelpRequest:
        created = now - timedelta(days=days_ago)
        return HelpRequest.objects.create(
            buurt=buurt,
            requester=requester,
            category=category,
            description="x",
            status=status,
            triage_level=level,
            created_at=created,
            matched_at=created + timedelta(hours=hours_to_match) if hours_to_match is not None else None,
        )

    make("boodschappen", RequestStatus.MATCHED, hours_to_match=2)
    make("boodschappen", RequestStatus.DONE, hours_to_match=10)
    make("hond", RequestStatus.DONE, hours_to_match=4)
    make("hond", RequestStatus.EXPIRED)
    heavy = make("documenten", RequestStatus.REFERRED, level="heavy")
    make("tuin", RequestStatus.DONE, hours_to_match=1, days_ago=400)  # outside the default period
    Referral.objects.create(buurt=buurt, service=service, request=heavy, consent=True)
    body = api_client(coordinator).get("/api/v1/reports/summary/").json()
    assert body["requests_per_category"] == {"boodschappen": 2, "hond": 2, "documenten": 1}
    assert body["matched_share"] == 0.75  # 3 of the 4 light requests
    assert body["median_hours_to_match"] == 4
    assert body["referrals_per_kind"] == {"ocmw": 1}
    day = timezone.localdate(now - timedelta(days=3)).isoformat()  # the reports read dates in local time
    one_day = api_client(coordinator).get(f"/api/v1/reports/summary/?from={day}&to={day}").json()
    assert sum(one_day["requests_per_category"].values()) == 5
    old = timezone.localdate(now - timedelta(days=400)).isoformat()
    assert api_client(coordinator).get(f"/api/v1/reports/summary/?from={old}&to={old}").json()[
        "requests_per_category"
    ] == {"tuin": 1}
    empty = api_client(coordinator).get("/api/v1/reports/summary/?from=2001-01-01&to=2001-01-31").json()
    assert empty["matched_share"] == 0 and empty["median_hours_to_match"] is None
    assert helper  # a resident without requests changes nothing


@pytest.mark.parametrize("query", ["from=gisteren", "to=2025-13-40", "from=2025-05-01&to=2025-04-01"])
def test_reports_summary_bad_dates_are_400_json(coordinator: User, query: str) -> None:
    response = api_client(coordinator).get(f"/api/v1/reports/summary/?{query}")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_crisis_item_emails_the_buurts_coordinators(coordinator: User, requester: Resident) -> None:
    from burenhulp.notifications.models import Notification

    item = queued_request(requester, level=TriageLevel.CRISIS)
    rows = Notification.objects.filter(template="crisis_alert")
    assert [(n.recipient_user_id, n.idempotency_key) for n in rows] == [
        (coordinator.pk, f"crisis_alert:{item.request_id}:{coordinator.pk}")
    ]
    assert QueueItem.objects.filter(pk=item.pk, level="crisis", priority=0).exists()
