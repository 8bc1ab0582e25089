"""The residents API of DESIGN §9: validation, tenant scoping, accounts for residents entered with an email."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

BODY: dict[str, Any] = {
    "buurt": "wakken-test",
    "first_name": "Maria",
    "last_name": "Claeys",
    "phone": "051 33 44 55",
    "street": "Dorpsplaats",
    "house_number": "12B",
    "lat": 50.933,
    "lon": 3.399,
    "birth_date": "1938-04-01",
    "languages": ["nl", "fr"],
    "offers": ["samen"],
    "wants": ["boodschappen", "vuilnis"],
    "availability": [{"day": 0, "part": "morning"}, {"day": 3, "part": "evening"}],
    "has_car": False,
    "max_active_matches": 1,
    "consent_how": "paper",
}


def test_a_coordinator_creates_a_resident_without_email(coordinator_api: APIClient, buurt: Neighbourhood) -> None:
    response = coordinator_api.post("/api/v1/residents/", BODY, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["id"] and data["buurt"] == "wakken-test" and data["house_number"] == "12B"
    assert data["offers"] == ["samen"] and data["wants"] == ["boodschappen", "vuilnis"]
    assert data["availability"] == BODY["availability"] and data["street"] == "Dorpsplaats"
    maria = Resident.objects.get(pk=data["id"])
    assert maria.user is None and maria.consent_how == "paper" and maria.created_via == "coordinator"
    assert maria.consents.get(purpose="platform").how == "paper"
    assert AuditLog.objects.filter(action="create", subject_resident_id=maria.pk).exists()


def test_with_an_email_the_resident_gets_an_account_for_login_by_code(
    coordinator_api: APIClient, buurt: Neighbourhood
) -> None:
    response = coordinator_api.post("/api/v1/residents/", {**BODY, "email": "Maria@Example.ORG"}, format="json")
    assert response.status_code == 201
    user = User.objects.get(email="maria@example.org")
    assert not user.has_usable_password() and user.resident.pk == response.json()["id"]
    assert EmailAddress.objects.get(user=user).verified
    # An address that already has an account: the card is saved all the same, without a second account, and the
    # answer looks the same (issue #14 L5: intake never says whether an address has an account).
    again = coordinator_api.post("/api/v1/residents/", {**BODY, "email": "maria@example.org"}, format="json")
    assert again.status_code == 201 and set(again.json()) == set(response.json())
    assert User.objects.filter(email="maria@example.org").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "31-02-1950"}, "birth_date"),
        ({"offers": ["boodschappen", "bankroof"]}, "offers"),
        ({"wants": ["x"]}, "wants"),
        ({"house_number": "twaalf"}, "house_number"),
        ({"house_number": "-3"}, "house_number"),
        ({"availability": [{"day": 7, "part": "morning"}]}, "availability"),
        ({"availability": [{"day": 1, "part": "night"}]}, "availability"),
        ({"languages": ["klingon"]}, "languages"),
        ({"lat": 123}, "lat"),
        ({"first_name": ""}, "first_name"),
        ({"consent_how": "telepathy"}, "consent_how"),
        ({"max_active_matches": -1}, "max_active_matches"),
        ({"paused_until": "2001-01-01"}, "paused_until"),
        ({"buurt": "elders"}, "buurt"),
        ({"buurt": "nergens"}, "buurt"),
        ({"household_of": 999999}, "household_of"),
    ],
)
def test_bad_input_gets_a_field_error(
    coordinator_api: APIClient, buurt: Neighbourhood, other_buurt: Neighbourhood, change: dict[str, Any], field: str
) -> None:
    response = coordinator_api.post("/api/v1/residents/", {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Resident.objects.filter(first_name="Maria").exists()


@pytest.mark.parametrize("number", ["12", "12B", "12 bus 3", "7b", "101/2"])
def test_house_numbers_with_letters_and_bus_are_valid(
    coordinator_api: APIClient, buurt: Neighbourhood, number: str
) -> None:
    response = coordinator_api.post("/api/v1/residents/", {**BODY, "house_number": number}, format="json")
    assert response.status_code == 201, response.json()


def test_an_error_message_is_in_the_request_language(coordinator_api: APIClient, buurt: Neighbourhood) -> None:
    response = coordinator_api.post(
        "/api/v1/residents/", {**BODY, "birth_date": "2999-01-01"}, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.json()["birth_date"] == ["Une date de naissance ne peut pas être dans le futur."]


def test_household_of_another_neighbourhood_is_400_as_if_it_did_not_exist(
    coordinator_api: APIClient, buurt: Neighbourhood, outsider: Resident, requester: Resident
) -> None:
    foreign = coordinator_api.post("/api/v1/residents/", {**BODY, "household_of": outsider.pk}, format="json")
    missing = coordinator_api.post("/api/v1/residents/", {**BODY, "household_of": 10**9}, format="json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json()
    ok = coordinator_api.post("/api/v1/residents/", {**BODY, "household_of": requester.pk}, format="json")
    assert ok.status_code == 201 and ok.json()["household_of"] == requester.pk


def test_another_neighbourhoods_resident_is_404(coordinator_api: APIClient, outsider: Resident) -> None:
    assert coordinator_api.get(f"/api/v1/residents/{outsider.pk}/").status_code == 404
    response = coordinator_api.patch(f"/api/v1/residents/{outsider.pk}/", {"first_name": "X"}, format="json")
    assert response.status_code == 404 and response.json() == {"detail": "Niet gevonden."}  # the default language
    assert coordinator_api.get("/api/v1/residents/999999/").status_code == 404


def test_a_coordinator_reads_and_patches_and_it_is_audited(
    coordinator_api: APIClient, coordinator: User, requester: Resident
) -> None:
    data = coordinator_api.get(f"/api/v1/residents/{requester.pk}/").json()
    assert data["first_name"] == "Rita" and data["wants"] == ["boodschappen"]
    response = coordinator_api.patch(
        f"/api/v1/residents/{requester.pk}/",
        {"offers": ["hond"], "paused_until": None, "availability": [], "house_number": "12 bus 3"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["offers"] == ["hond"] and response.json()["wants"] == ["boodschappen"]
    assert response.json()["house_number"] == "12 bus 3"
    actions = set(
        AuditLog.objects.filter(actor=coordinator, subject_resident_id=requester.pk).values_list("action", flat=True)
    )
    assert actions == {"view", "change"}


def test_a_coordinator_does_not_change_a_residents_sign_in_address(
    coordinator_api: APIClient, requester: Resident
) -> None:
    response = coordinator_api.patch(f"/api/v1/residents/{requester.pk}/", {"email": "evil@example.org"}, format="json")
    assert response.status_code == 400 and "email" in response.json()


def test_a_resident_reads_and_patches_their_own_profile_only(requester: Resident, volunteer: Resident) -> None:
    client = api_client(requester.user)
    assert client.get(f"/api/v1/residents/{requester.pk}/").status_code == 200
    assert client.get(f"/api/v1/residents/{volunteer.pk}/").status_code == 404
    assert client.patch(f"/api/v1/residents/{requester.pk}/", {"has_car": True}, format="json").status_code == 200
    assert (
        client.patch(f"/api/v1/residents/{requester.pk}/", {"consent_how": "paper"}, format="json").status_code == 400
    )
    # The one coordinator gate: a resident is told "not found", as everywhere (never 403).
    assert client.post("/api/v1/residents/", BODY, format="json").status_code == 404


def test_me_profile_get_and_put(requester: Resident) -> None:
    client = api_client(requester.user)
    data = client.get("/api/v1/me/profile/").json()
    assert data["id"] == requester.pk and data["email"] == "requester@example.org"
    body = {
        "first_name": "Rita",
        "favourite_food": "Frietjes",
        "offers": ["planten"],
        "wants": [],
        "house_number": "5A",
        "email": "requester@example.org",
        "buurt": "wakken-test",
        "housemates": [{"name": "Jan", "birthday": "1950-01-01"}],
        "shared_fields": ["offers", "favourite_food"],
    }
    response = client.put("/api/v1/me/profile/", body, format="json")
    assert response.status_code == 200, response.json()
    out = response.json()
    assert out["favourite_food"] == "Frietjes" and out["offers"] == ["planten"] and out["wants"] == []
    assert out["housemates"] == [{"name": "Jan", "birthday": "1950-01-01"}]
    assert client.put("/api/v1/me/profile/", {"favourite_food": "x"}, format="json").status_code == 400  # no name
    bad = client.put("/api/v1/me/profile/", {**body, "birth_date": "2999-01-01"}, format="json")
    assert bad.status_code == 400 and "birth_date" in bad.json()
    assert client.put("/api/v1/me/profile/", {**body, "email": "x@example.org"}, format="json").status_code == 400


def test_me_profile_without_a_profile_is_404_and_anonymous_is_refused(coordinator: User) -> None:
    assert api_client(coordinator).get("/api/v1/me/profile/").status_code == 404
    assert APIClient().get("/api/v1/me/profile/").status_code in (401, 403)
    assert APIClient().post("/api/v1/residents/", BODY, format="json").status_code in (401, 403)


def test_the_list_is_paginated_and_scoped(
    coordinator_api: APIClient, requester: Resident, volunteer: Resident, outsider: Resident
) -> None:
    data = coordinator_api.get("/api/v1/residents/").json()
    assert data["count"] == 2 and {r["id"] for r in data["results"]} == {requester.pk, volunteer.pk}
