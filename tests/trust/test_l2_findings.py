"""L2, each listed 500: non-numeric ids in coordinator posts, `next=foo`, report periods at year 1 and 9999, a request
window on 9999-12-31, the services CSV (a field over 128 KiB, over-long values, NUL) and a NUL in the follow-up
hand-over. Each now answers 400 with a clear message, or 404, never 500; on PostgreSQL and SQLite."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from burenhulp.coordination.models import ProfessionalService, Referral
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import FollowUp, HelpRequest
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.trust.malformed import token_client
from tests.trust.world import Records, build

BAD_IDS = ["abc", "1.5", "-1", "99999999999999999999999", "", "1e3", "0x10"]


@pytest.fixture
def world(buurt: Neighbourhood, coordinator: User, requester: Resident, volunteer: Resident) -> Records:
    return build(buurt, tag="ours", requester=requester, volunteer=volunteer)


@pytest.fixture
def web(coordinator: User) -> Client:
    client = web_client(coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.parametrize("bad", BAD_IDS)
def test_non_numeric_ids_in_coordinator_posts(world: Records, web: Client, bad: str) -> None:
    item = world.queue_item.pk
    posts = [
        ("/coordinator/buurt/", {"buurt": bad}),
        ("/coordinator/calls/", {"resident": bad, "kind": "call", "note": "n"}),
        ("/coordinator/moderation/", {"action": "block", "resident": bad}),
        ("/coordinator/moderation/", {"action": "hide", "request": bad}),
        (f"/coordinator/item/{item}/", {"action": "match", "volunteer": bad}),
        (f"/coordinator/item/{item}/match/", {"volunteer": bad}),
        (f"/coordinator/item/{item}/", {"action": "referral_status", "referral": bad, "status": "done"}),
        ("/coordinator/settings/", {"buurt": bad}),
    ]
    for path, data in posts:
        answer = web.post(path, data)
        assert answer.status_code in {200, 302, 400, 404}, (path, data, answer.status_code)
    assert Referral.objects.get(pk=world.referral.pk).status == world.referral.status
    assert not Resident.objects.filter(is_blocked=True).exists()


@pytest.mark.parametrize("nxt", ["foo", "coordinator:queue", "x y", "\\\\evil", "https://evil.example/"])
def test_next_on_the_language_switch_anonymous(db: None, nxt: str) -> None:
    answer = Client().post("/i18n/setlang/", {"language": "fr", "next": nxt})
    assert answer.status_code == 302
    assert "evil" not in answer["Location"]


@pytest.mark.parametrize("nxt", ["foo", "x y", "https://evil.example/"])
def test_next_on_the_neighbourhood_switch(world: Records, web: Client, nxt: str) -> None:
    answer = web.post("/coordinator/buurt/", {"buurt": world.buurt.pk, "next": nxt})
    assert answer.status_code == 302
    assert "evil" not in answer["Location"]
    assert Client().post("/coordinator/buurt/", {"buurt": "1", "next": nxt}).status_code in {302, 404}


PERIODS = [
    {"from": "0001-01-01"},
    {"to": "0001-01-01"},
    {"from": "0001-01-01", "to": "0001-12-31"},
    {"to": "9999-12-31"},
    {"from": "9999-01-01", "to": "9999-12-31"},
    {"from": "0001-01-01", "to": "9999-12-31"},
]


@pytest.mark.parametrize("period", PERIODS)
def test_report_periods_at_the_ends_of_the_calendar(world: Records, web: Client, period: dict[str, str]) -> None:
    page = web.get("/coordinator/reports/", period)
    assert page.status_code == 200
    assert "between" in page.content.decode()
    csv = web.get("/coordinator/reports.csv", period)
    assert csv.status_code == 400
    assert "between" in csv.content.decode()


@pytest.mark.parametrize("period", PERIODS)
def test_report_periods_at_the_ends_of_the_calendar_api(world: Records, coordinator: User, period: dict) -> None:
    answer = token_client(coordinator).get("/api/v1/reports/summary/", period)
    assert answer.status_code == 400
    assert "between" in answer.json()["detail"]


def test_a_report_of_an_ordinary_period_still_works(world: Records, web: Client) -> None:
    assert web.get("/coordinator/reports.csv", {"from": "2026-01-01", "to": "2026-06-30"}).status_code == 200


@pytest.mark.parametrize(
    "when",
    ["9999-12-31T10:00:00+01:00", "9999-12-31T23:59:59Z", "3026-01-01T10:00:00Z", "0001-01-01", "0001-01-01T00:00:00"],
)
def test_a_request_window_far_in_the_future_api(requester: Resident, when: str) -> None:
    answer = token_client(requester.user).post(
        "/api/v1/requests/",
        {"category": "boodschappen", "description": "Brood halen", "window_start": when, "window_end": when},
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert "year" in str(answer.json()) or "out of range" in str(answer.json())
    assert not HelpRequest.objects.exists()


def test_a_request_window_on_9999_12_31_on_the_page(requester: Resident) -> None:
    client = web_client(requester.user)
    answer = client.post(
        "/help/ask/",
        {
            "category": "boodschappen",
            "description": "Brood halen",
            "when": "day",
            "day": "9999-12-31",
            "part": "evening",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 200
    assert "year" in answer.content.decode()
    assert "Brood halen" in answer.content.decode()
    assert not HelpRequest.objects.exists()


def _import(web: Client, text: str) -> str:
    upload = SimpleUploadedFile("services.csv", text.encode("utf-8"), content_type="text/csv")
    answer = web.post("/coordinator/services/import/", {"file": upload})
    assert answer.status_code == 200, answer.status_code
    return answer.content.decode()


def test_a_services_csv_field_over_128_kib(world: Records, web: Client) -> None:
    before = ProfessionalService.objects.count()
    html = _import(web, 'name,kind,notes\nHuisarts,ocmw,"' + "x" * (130 * 1024) + '"\n')
    assert "too long" in html
    assert ProfessionalService.objects.count() == before


@pytest.mark.parametrize(
    "row",
    [
        "Dokter,ocmw,09 123," + "a" * 250 + "@example.org,,",
        "Dokter,ocmw,09 123,,https://" + "a" * 300 + ".be/,",
        "Dokter,ocmw," + "9" * 60 + ",,,",
        "Dokter,ocmw,09 123,,,Straat 1" + "b" * 300,
        "D\x00okter,ocmw,09 123,,,",
        "Dokter,ocmw,09 1\x0023,,,",
    ],
    ids=["email", "website", "phone", "address", "nul-name", "nul-phone"],
)
def test_over_long_or_nul_values_in_the_services_csv(world: Records, web: Client, row: str) -> None:
    before = ProfessionalService.objects.count()
    html = _import(web, "name,kind,phone,email,website,address\n" + row + "\n")
    assert "Line 2" in html
    assert ProfessionalService.objects.count() == before


def test_a_nul_in_the_follow_up_hand_over_comment(world: Records) -> None:
    client = web_client(world.resident.user)
    fu = world.follow_up
    answer = client.post(
        f"/help/follow-up/{fu.public_id}/",
        {"hand_over": "1", "happened": "yes", "comment": "Hulp\x00 nodig"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400
    assert "not allowed" in answer.content.decode()
    assert FollowUp.objects.get(pk=fu.pk).answered_at is None
