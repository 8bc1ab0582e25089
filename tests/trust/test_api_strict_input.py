"""What the API fuzzer reported (issue #14): values of another JSON type than the schema says were accepted (a number
stored as the text of a name or a note), and a repeated or non-integer `page` was read as its last value. Each is now
refused as the schema says: 400 with the field named, or 404 for a page that does not exist."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from burenhulp.coordination.models import ProfessionalService
from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.trust.malformed import token_client
from tests.trust.world import build


@pytest.fixture
def client(coordinator: User) -> APIClient:
    return token_client(coordinator)


@pytest.mark.parametrize("value", [5, 1.5, True, ["Peeters"], {"a": 1}])
def test_a_number_is_no_last_name(client: APIClient, buurt: Neighbourhood, value: object) -> None:
    answer = client.post(
        "/api/v1/residents/", {"buurt": buurt.slug, "first_name": "Mona", "last_name": value}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert "last_name" in answer.json()
    assert not Resident.objects.filter(first_name="Mona").exists()


def test_a_number_is_no_service_note(client: APIClient, buurt: Neighbourhood) -> None:
    answer = client.post("/api/v1/services/", {"name": "OCMW", "kind": "ocmw", "notes": 12}, format="json")
    assert answer.status_code == 400, answer.content
    assert "notes" in answer.json()
    assert not ProfessionalService.objects.filter(name="OCMW").exists()


@pytest.mark.parametrize(
    ("field", "value"), [("urgent", 1), ("urgent", "yes"), ("category", 3), ("description", 42), ("requester", "7")]
)
def test_request_fields_have_their_schema_type(requester: Resident, field: str, value: object) -> None:
    body = {"category": "boodschappen", "description": "Brood halen", field: value}
    answer = token_client(requester.user).post("/api/v1/requests/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()


def test_a_list_of_offers_holds_text_only(client: APIClient, buurt: Neighbourhood) -> None:
    answer = client.post(
        "/api/v1/residents/", {"buurt": buurt.slug, "first_name": "Mona", "offers": [1]}, format="json"
    )
    assert answer.status_code == 400
    assert "offers" in answer.json()


def test_the_right_types_are_still_accepted(client: APIClient, buurt: Neighbourhood) -> None:
    answer = client.post(
        "/api/v1/residents/",
        {
            "buurt": buurt.slug,
            "first_name": "Mona",
            "last_name": "Peeters",
            "offers": ["boodschappen"],
            "has_car": True,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content


@pytest.mark.parametrize("query", ["page=1&page=2", "page=abc", "page=1.0", "page=-1", "page=0", "page=99999999999"])
def test_a_repeated_or_non_integer_page_is_not_found(client: APIClient, buurt: Neighbourhood, query: str) -> None:
    answer = client.get(f"/api/v1/residents/?{query}")
    assert answer.status_code == 404, answer.content
    assert "detail" in answer.json()
    assert client.get("/api/v1/residents/?page=1").status_code == 200


@pytest.mark.parametrize("method", ["TRACE", "QUERY", "DELETE", "PUT"])
def test_a_method_an_endpoint_lacks_is_405_for_anyone(requester: Resident, method: str) -> None:
    for client in [APIClient(), token_client(requester.user)]:
        answer = client.generic(method, "/api/v1/queue/")
        assert answer.status_code == 405, (method, answer.status_code)
        assert answer["Allow"] == "GET, HEAD, OPTIONS"
        assert answer.json()["detail"]
    assert token_client(requester.user).head("/api/v1/proposals/").status_code == 200


@pytest.mark.parametrize("reason", [0, 1.5, True, ["the neighbours"]])
def test_a_release_reason_must_be_text(client: APIClient, buurt: Neighbourhood, reason: object) -> None:
    """The full fuzzer's run (every check) found `{"reason": 0}` released a queue item with the reason "0"."""
    item = build(buurt, tag="strict").queue_item
    before = item.status
    answer = client.post(f"/api/v1/queue/{item.pk}/release/", {"reason": reason}, format="json")
    assert answer.status_code == 400, answer.content
    assert "reason" in answer.json()
    item.refresh_from_db()
    assert item.status == before


def test_a_step_back_reason_must_be_text(client: APIClient, buurt: Neighbourhood) -> None:
    """The same kind of body as the release: a number was stored as the text of the reason."""
    proposal = build(buurt, tag="strict").proposal
    answer = client.post(f"/api/v1/proposals/{proposal.pk}/withdraw/", {"reason": 0}, format="json")
    assert answer.status_code == 400, answer.content
    assert "reason" in answer.json()
