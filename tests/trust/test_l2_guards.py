"""L2, the general guards: JSON nested 1,000 deep (anonymous, any endpoint) and NUL characters in any text input
(forms and API) answer 400 with a clear message, never 500."""

from __future__ import annotations

import pytest
from django.test import Client

from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.trust.malformed import DEEP_JSON, DEEP_OBJECT, token_client

API_POSTS = [
    "/api/v1/auth/token/",
    "/api/v1/requests/",
    "/api/v1/residents/",
    "/api/v1/services/",
    "/api/v1/queue/1/refer/",
    "/api/v1/proposals/1/accept/",
]


@pytest.mark.parametrize("path", API_POSTS)
@pytest.mark.parametrize("body", [DEEP_JSON, DEEP_OBJECT], ids=["array", "object"])
def test_deep_json_answers_400_to_anyone(db: None, path: str, body: str) -> None:
    answer = Client().post(path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code in {400, 401, 403}, answer.content
    if path == "/api/v1/auth/token/":
        assert answer.status_code == 400
        assert "nested" in answer.json()["detail"]


@pytest.mark.parametrize("body", [DEEP_JSON, DEEP_OBJECT], ids=["array", "object"])
def test_deep_json_answers_400_to_a_coordinator(coordinator: User, body: str) -> None:
    client = token_client(coordinator)
    for path in ["/api/v1/requests/", "/api/v1/residents/", "/api/v1/services/"]:
        answer = client.post(path, body, content_type="application/json")
        assert answer.status_code == 400, (path, answer.content)
        assert "nested" in answer.json()["detail"]


def test_json_a_few_levels_deep_is_still_read(coordinator: User, buurt: Neighbourhood) -> None:
    answer = token_client(coordinator).post(
        "/api/v1/residents/",
        {"buurt": buurt.slug, "first_name": "Mona", "last_name": "Peeters", "offers": ["boodschappen"]},
        format="json",
    )
    assert answer.status_code == 201, answer.content


def test_nul_in_api_text_is_refused_with_a_message(coordinator: User, buurt: Neighbourhood) -> None:
    client = token_client(coordinator)
    answer = client.post(
        "/api/v1/residents/", {"buurt": buurt.slug, "first_name": "Mo\x00na", "offers": ["bood\x00"]}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert "not allowed" in str(answer.json())
    assert not Resident.objects.filter(first_name__startswith="Mo").exists()


def test_nul_in_a_json_key_is_refused(db: None) -> None:
    answer = Client().post(
        "/api/v1/auth/token/", '{"em\\u0000ail": "a@b.be"}', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 400
    assert "not allowed" in answer.json()["detail"]


def test_nul_in_any_form_field_is_refused_with_a_message(requester: Resident) -> None:
    client = web_client(requester.user)
    answer = client.post(
        "/help/ask/", {"category": "boodschappen", "description": "Iets\x00 halen"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 400
    assert "not allowed" in answer.content.decode()


def test_nul_message_in_the_readers_language(db: None) -> None:
    answer = Client().post("/i18n/setlang/", {"language": "nl", "next": "/\x00"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert answer.status_code == 400
    assert "niet" in answer.content.decode()


def test_nul_in_a_form_posted_to_the_api_is_refused_as_json(db: None) -> None:
    answer = Client().post("/api/v1/auth/token/", {"email": "a\x00@b.be", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert "not allowed" in answer.json()["detail"]
