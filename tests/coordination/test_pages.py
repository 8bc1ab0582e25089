"""Coordinator pages: scoping, audit, forms that keep what was typed, referral cards, directory import, reports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from burenhulp.coordination.models import (
    ContactLog,
    ProfessionalService,
    QueueItem,
    QueueKind,
    QueueStatus,
    Referral,
    ReferralCard,
)
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, MatchProposal, RequestStatus, TriageLevel
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.coordination.conftest import queued_request
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/coordinator/",
    "/coordinator/volunteers/",
    "/coordinator/calls/",
    "/coordinator/call-list/",
    "/coordinator/services/",
    "/coordinator/cards/",
    "/coordinator/reports/",
    "/coordinator/moderation/",
    "/coordinator/settings/",
    "/coordinator/branding/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_for_the_coordinator(coordinator_web: Client, url: str) -> None:
    response = coordinator_web.get(url)
    assert response.status_code == 200
    assert b'aria-label="Coordinator menu"' in response.content or b"aria-label=" in response.content


def test_queue_shows_crisis_alert_age_warning_and_order(coordinator_web: Client, requester: Resident) -> None:
    old = queued_request(requester, age=timedelta(days=4), description="Schimmel in de slaapkamer")
    crisis = queued_request(requester, level=TriageLevel.CRISIS, description="Hij slaat mij")
    html = coordinator_web.get("/coordinator/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'role="alert"' in html and "1 crisis item is waiting." in html
    assert html.index(f"/coordinator/item/{crisis.pk}/") < html.index(f"/coordinator/item/{old.pk}/")
    assert "Waiting for 4 days — too long" in html


def test_queue_and_item_pages_stay_under_15_queries(
    coordinator_web: Client, requester: Resident, service: ProfessionalService, django_assert_max_num_queries: Any
) -> None:
    for i in range(60):
        queued_request(requester, age=timedelta(hours=i), level=TriageLevel.CRISIS if i % 7 == 0 else "heavy")
    light = queued_request(requester, level=TriageLevel.LIGHT, kind=QueueKind.NO_MATCH, category="boodschappen")
    for i in range(5):
        Referral.objects.create(buurt=requester.buurt, queue_item=light, service=service, consent=True)
        ContactLog.objects.create(buurt=requester.buurt, queue_item=light, resident=requester, kind="call", note=str(i))
    with django_assert_max_num_queries(15):
        assert coordinator_web.get("/coordinator/").status_code == 200
    with django_assert_max_num_queries(15):
        assert coordinator_web.get("/coordinator/?page=2&kind=triage").status_code == 200
    with django_assert_max_num_queries(15):
        assert coordinator_web.get(f"/coordinator/item/{light.pk}/").status_code == 200
    with django_assert_max_num_queries(15):
        assert coordinator_web.get(f"/coordinator/item/{light.pk}/match/").status_code == 200


def test_item_view_is_written_to_the_audit_log(coordinator: User, coordinator_web: Client, requester: Resident) -> None:
    item = queued_request(requester)
    response = coordinator_web.get(f"/coordinator/item/{item.pk}/")
    assert response.status_code == 200
    assert requester.first_name.encode() in response.content
    row = AuditLog.objects.get(action="view", target_type="residents.resident", target_id=str(requester.pk))
    assert row.actor == coordinator and row.subject_resident_id == requester.pk and row.buurt == requester.buurt


def test_another_buurts_coordinator_gets_404_on_every_page(
    outsider_coordinator: User, requester: Resident, service: ProfessionalService
) -> None:
    item = queued_request(requester)
    client = web_client(outsider_coordinator)
    assert client.get(f"/coordinator/item/{item.pk}/").status_code == 404
    for action in ("refer", "release", "close", "contact", "match"):
        assert client.post(f"/coordinator/item/{item.pk}/", {"action": action, "outcome": "x"}).status_code == 404
    assert client.get(f"/coordinator/item/{item.pk}/match/").status_code == 404
    assert client.get(f"/coordinator/services/{service.pk}/").status_code == 404
    assert client.post(f"/coordinator/services/{service.pk}/", {"action": "delete"}).status_code == 404
    assert client.post("/coordinator/buurt/", {"buurt": requester.buurt_id}).status_code == 404
    assert client.post("/coordinator/moderation/", {"action": "block", "resident": requester.pk}).status_code == 404
    queue_html = client.get("/coordinator/").content.decode()
    assert f"/coordinator/item/{item.pk}/" not in queue_html
    assert not AuditLog.objects.filter(subject_resident_id=requester.pk).exists()
    item.refresh_from_db()
    service.refresh_from_db()
    requester.refresh_from_db()
    assert item.status == QueueStatus.OPEN and service.active and not requester.is_blocked


@pytest.mark.parametrize("url", PAGES)
def test_residents_get_404_on_coordinator_pages(requester: Resident, url: str) -> None:
    assert web_client(requester.user).get(url).status_code == 404


def test_refer_without_consent_is_refused_and_keeps_what_was_typed(
    coordinator_web: Client, requester: Resident, service: ProfessionalService
) -> None:
    item = queued_request(requester)
    response = coordinator_web.post(
        f"/coordinator/item/{item.pk}/",
        {
            "action": "refer",
            "service": service.pk,
            "note": "Belde maandag, zoon aanwezig",
            "follow_up_on": "2031-02-03",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A referral needs their consent." in html
    assert "Belde maandag, zoon aanwezig" in html and 'value="2031-02-03"' in html
    assert not Referral.objects.exists()


def test_refer_then_follow_the_referral_to_closed(
    coordinator_web: Client, requester: Resident, service: ProfessionalService
) -> None:
    item = queued_request(requester)
    url = f"/coordinator/item/{item.pk}/"
    response = coordinator_web.post(
        url, {"action": "refer", "service": service.pk, "consent": "on", "note": "n", "follow_up_on": "2031-02-03"}
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == "proposed" and referral.follow_up_on.isoformat() == "2031-02-03"
    assert HelpRequest.objects.get(pk=item.request_id).status == RequestStatus.REFERRED
    for status in ("contacted", "accepted", "closed"):
        coordinator_web.post(url, {"action": "referral_status", "referral": referral.pk, "status": status})
        referral.refresh_from_db()
        assert referral.status == status
    back = coordinator_web.post(url, {"action": "referral_status", "referral": referral.pk, "status": "contacted"})
    assert back.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "closed"


def test_close_and_contact_log(coordinator_web: Client, requester: Resident) -> None:
    item = queued_request(requester)
    url = f"/coordinator/item/{item.pk}/"
    empty = coordinator_web.post(url, {"action": "contact", "kind": "call", "note": ""})
    assert empty.status_code == 200 and not ContactLog.objects.exists()
    coordinator_web.post(url, {"action": "contact", "kind": "call", "note": "Niemand thuis"})
    assert ContactLog.objects.get().resident == requester
    no_outcome = coordinator_web.post(url, {"action": "close", "outcome": "  "})
    assert no_outcome.status_code == 200
    coordinator_web.post(url, {"action": "close", "outcome": "Dochter regelt het"})
    item.refresh_from_db()
    assert item.status == QueueStatus.CLOSED and item.outcome == "Dochter regelt het"


def test_match_by_hand_from_the_ranked_candidates(
    coordinator_web: Client, requester: Resident, volunteer: Resident
) -> None:
    item = queued_request(
        requester,
        level=TriageLevel.LIGHT,
        kind=QueueKind.NO_MATCH,
        category="boodschappen",
        description="Brood halen op zaterdag",
    )
    assert (
        f"/coordinator/item/{item.pk}/match/" in coordinator_web.get(f"/coordinator/item/{item.pk}/").content.decode()
    )
    page = coordinator_web.get(f"/coordinator/item/{item.pk}/match/").content.decode()
    assert f'name="volunteer" value="{volunteer.pk}"' in page
    response = coordinator_web.post(f"/coordinator/item/{item.pk}/match/", {"volunteer": volunteer.pk})
    assert response.status_code == 302
    proposal = MatchProposal.objects.get(request_id=item.request_id)
    assert proposal.volunteer == volunteer and proposal.status == "accepted"
    item.refresh_from_db()
    assert item.status == QueueStatus.CLOSED


# --- Referral cards ----------------------------------------------------------------------------------------------

CARD = {
    "professional_name": "An Claes",
    "organisation": "Thuiszorg Oost",
    "professional_contact": "an@example.org",
    "resident_name": "Mevrouw Janssens",
    "resident_contact": "Kerkstraat 4",
    "what": "Zou graag iemand hebben om samen boodschappen te doen.",
    "consent": "on",
}


@pytest.fixture
def fresh_cache() -> None:
    cache.clear()


def test_referral_card_lands_in_that_buurts_queue_only(
    fresh_cache: None, buurt: Neighbourhood, other_buurt: Neighbourhood, coordinator: User, outsider_coordinator: User
) -> None:
    response = Client().post(f"/buurt/{buurt.slug}/doorverwijzen/", CARD)
    assert response.status_code == 302
    card = ReferralCard.objects.get()
    assert card.buurt == buurt and card.queue_item is not None
    assert card.queue_item.buurt == buurt and card.queue_item.status == "open"
    assert [i.pk for i in QueueItem.objects.in_buurt(buurt).open()] == [card.queue_item_id]
    assert not QueueItem.objects.in_buurt(other_buurt).exists()
    assert "Mevrouw Janssens" in web_client(coordinator).get("/coordinator/").content.decode()
    assert "Mevrouw Janssens" not in web_client(outsider_coordinator).get("/coordinator/").content.decode()


def test_referral_card_with_missing_fields_keeps_what_was_typed(fresh_cache: None, buurt: Neighbourhood) -> None:
    data = {**CARD, "professional_contact": "", "consent": ""}
    response = Client().post(f"/buurt/{buurt.slug}/doorverwijzen/", data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please fill this in." in html and "We can only accept a signal with their consent." in html
    assert 'value="An Claes"' in html and "Zou graag iemand hebben" in html
    assert not ReferralCard.objects.exists()


def test_referral_card_is_rate_limited_and_has_a_honeypot(fresh_cache: None, buurt: Neighbourhood) -> None:
    client = Client()
    robot = client.post(f"/buurt/{buurt.slug}/doorverwijzen/", {**CARD, "website": "http://spam.example"})
    assert robot.status_code == 302 and not ReferralCard.objects.exists()
    for _ in range(4):
        assert client.post(f"/buurt/{buurt.slug}/doorverwijzen/", CARD).status_code == 302
    limited = client.post(f"/buurt/{buurt.slug}/doorverwijzen/", CARD, HTTP_ACCEPT_LANGUAGE="en")
    assert limited.status_code == 429
    assert "Too many cards" in limited.content.decode()
    assert ReferralCard.objects.count() == 4
    assert Client().get("/buurt/bestaat-niet/doorverwijzen/").status_code == 404


# --- Directory ---------------------------------------------------------------------------------------------------


def _upload(client: Client, text: str) -> Any:
    f = io.BytesIO(text.encode())
    f.name = "diensten.csv"
    return client.post("/coordinator/services/import/", {"file": f}, HTTP_ACCEPT_LANGUAGE="en")


def test_csv_import_names_each_bad_line_and_imports_nothing(coordinator_web: Client) -> None:
    text = (
        "name;kind;phone;email\n"
        "Sociaal Huis;ocmw;056 11 22 33;info@example.org\n"
        ";caw;;\n"
        "Kapper Jan;kapper;;\n"
        "CAW;caw;;geen-mail\n"
    )
    html = _upload(coordinator_web, text).content.decode()
    assert "Nothing was imported" in html
    assert "Line 3: the name is empty." in html
    assert "Line 4: the kind “kapper” is not known" in html
    assert "Line 5: the email address “geen-mail” is not valid." in html
    assert not ProfessionalService.objects.exists()
    ok = _upload(coordinator_web, "name,kind,phone\nSociaal Huis,ocmw,056\nTele-Onthaal,tele-onthaal,106\n")
    assert ok.status_code == 302
    assert sorted(ProfessionalService.objects.values_list("kind", flat=True)) == ["ocmw", "tele-onthaal"]


# --- Reports -----------------------------------------------------------------------------------------------------


def test_reports_csv_matches_the_charts(
    coordinator_web: Client, buurt: Neighbourhood, service: ProfessionalService
) -> None:
    requester = ResidentFactory(buurt=buurt)
    now = timezone.now()
    for i, (cat, status) in enumerate([("boodschappen", "done"), ("boodschappen", "expired"), ("hond", "matched")]):
        HelpRequest.objects.create(
            buurt=buurt,
            requester=requester,
            category=cat,
            description="x",
            status=status,
            created_at=now - timedelta(days=i + 1),
            matched_at=now - timedelta(days=i + 1) + timedelta(hours=3) if status != "expired" else None,
        )
    Referral.objects.create(buurt=buurt, service=service, consent=True)
    html = coordinator_web.get("/coordinator/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chart_values = {
        (m[0], m[1], m[2]) for m in re.findall(r'data-series="([^"]+)" data-row="([^"]+)" data-value="([^"]+)"', html)
    }
    assert html.count("<svg") == 4 or html.count("<svg") >= 3
    # The CSV (Belgian Excel: BOM, semicolons, decimal comma) carries the same numbers as the charts, with labels.
    body = coordinator_web.get("/coordinator/reports.csv", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Chart", "Label", "Series", "Value"]
    assert ["Referrals per kind of service", "OCMW / social house", "Referrals", "1"] in rows or any(
        r[2] == "Referrals" and r[3] == "1" for r in rows
    )
    assert sum(1 for _c, _l, _s, v in rows[1:] if v) == len(chart_values) + 4
    summary = {
        label: value for _chart, label, _s, value in rows[1:] if label in ("Share matched", "Median hours to a match")
    }
    assert summary["Share matched"] == str(round(2 / 3, 4)).replace(".", ",")
    assert summary["Median hours to a match"] == "3"


def test_switching_buurt_changes_the_queue(
    two_buurt_coordinator: User, buurt: Neighbourhood, other_buurt: Neighbourhood, outsider: Resident
) -> None:
    item = queued_request(outsider)
    client = web_client(two_buurt_coordinator)
    first = client.get("/coordinator/").content.decode()
    assert 'name="buurt"' in first
    shown_first = f"/coordinator/item/{item.pk}/" in first
    target = buurt if shown_first else other_buurt
    client.post("/coordinator/buurt/", {"buurt": target.pk, "next": "/coordinator/"})
    assert (f"/coordinator/item/{item.pk}/" in client.get("/coordinator/").content.decode()) is (target == other_buurt)


def test_settings_save_triage_terms(coordinator_web: Client, buurt: Neighbourhood) -> None:
    data = {
        "heavy_terms": "Schimmel\nvocht, lek",
        "crisis_terms": "",
        "light_terms": "",
        "proposals_per_round": 4,
        "round_hours": 12,
        "max_rounds": 2,
    }
    assert coordinator_web.post("/coordinator/settings/", data).status_code == 302
    buurt.refresh_from_db()
    assert buurt.triage_terms == {"heavy": ["schimmel", "vocht", "lek"]}
    assert (buurt.proposals_per_round, buurt.round_hours, buurt.max_rounds) == (4, 12, 2)


def test_moderation_approve_and_block(coordinator_web: Client, buurt: Neighbourhood) -> None:
    pending = ResidentFactory(buurt=buurt, approved=False, first_name="Nieuw")
    assert "Nieuw" in coordinator_web.get("/coordinator/moderation/").content.decode()
    coordinator_web.post("/coordinator/moderation/", {"action": "approve", "resident": pending.pk})
    pending.refresh_from_db()
    assert pending.approved
    coordinator_web.post("/coordinator/moderation/", {"action": "block", "resident": pending.pk, "confirmed": "1"})
    pending.refresh_from_db()
    assert pending.is_blocked


def test_volunteers_overview_suggests_a_check_in_above_limits(
    coordinator_web: Client, volunteer: Resident, requester: Resident
) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(max_active_matches=1)
    for i in range(2):
        req = HelpRequest.objects.create(
            buurt=requester.buurt, requester=requester, category="hond", description=str(i), status="matched"
        )
        MatchProposal.objects.create(
            request=req, volunteer=volunteer, score=1, status="accepted", answered_at=timezone.now()
        )
    html = coordinator_web.get("/coordinator/volunteers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Victor" in html and "2 of at most 1" in html and "A gentle check-in may help" in html
