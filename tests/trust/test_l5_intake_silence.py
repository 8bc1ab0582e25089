"""L5: intake (page and API) never tells a coordinator whether an email address has an account anywhere."""

from __future__ import annotations

from django.contrib.messages import get_messages
from rest_framework.test import APIClient

from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.residents.test_privacy_and_intake import INTAKE

KNOWN = "outsider@example.org"  # an account in another neighbourhood
UNKNOWN = "nobody-yet@example.org"


def test_the_intake_page_answers_the_same(buurt: Neighbourhood, coordinator: User, outsider: Resident) -> None:
    answers = []
    for email in (KNOWN, UNKNOWN):
        client = web_client(coordinator)
        response = client.post("/coordinator/residents/new/", {**INTAKE, "email": email})
        assert response.status_code == 302, response.content.decode()[:1000]
        answers.append([str(m) for m in get_messages(response.wsgi_request)])
    assert answers[0] == answers[1]
    known_card = Resident.objects.get(first_name="Maria", email=KNOWN)
    assert known_card.user_id is None  # no second account, and the other account is not linked to this card
    assert User.objects.filter(email=KNOWN).count() == 1
    assert Resident.objects.get(first_name="Maria", email=UNKNOWN).user is not None


def test_the_intake_api_answers_the_same(buurt: Neighbourhood, coordinator: User, outsider: Resident) -> None:
    api = APIClient()
    api.force_authenticate(coordinator)
    body = {"buurt": buurt.slug, "first_name": "Maria", "last_name": "Claeys", "offers": ["samen"]}
    known = api.post("/api/v1/residents/", {**body, "email": KNOWN}, format="json")
    unknown = api.post("/api/v1/residents/", {**body, "email": UNKNOWN}, format="json")
    assert known.status_code == unknown.status_code == 201, known.content
    assert set(known.json()) == set(unknown.json())
    outsider.refresh_from_db()
    assert outsider.user is not None and outsider.user.email == KNOWN


def test_the_card_afterwards_does_not_tell_either(buurt: Neighbourhood, coordinator: User, outsider: Resident) -> None:
    api = APIClient()
    api.force_authenticate(coordinator)
    body = {"buurt": buurt.slug, "first_name": "Maria", "last_name": "Claeys", "offers": ["samen"]}
    cards = [
        api.post("/api/v1/residents/", {**body, "email": email}, format="json").json()["id"]
        for email in (KNOWN, UNKNOWN)
    ]
    pages = [web_client(coordinator).get(f"/coordinator/residents/{pk}/").content.decode() for pk in cards]
    assert ["Only the resident can change this address" in p or "Alleen de bewoner" in p for p in pages] == [True, True]
    patches = [
        api.patch(f"/api/v1/residents/{pk}/", {"email": "other@example.org"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
        for pk in cards
    ]
    assert [p.status_code for p in patches] == [400, 400]
    assert patches[0].json() == patches[1].json()
