from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from burenhulp.core.models import User
from tests.conftest import enrol_totp, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def test_token_for_email_and_password_works_case_insensitively() -> None:
    user: User = UserFactory(email="an@example.org")
    response = APIClient().post(URL, {"email": "AN@example.org", "password": "correct-horse-battery"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    me = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/categories/")
    assert me.status_code == 200
    assert user.api_tokens.count() == 1


def test_wrong_password_and_unknown_email_give_the_same_answer() -> None:
    UserFactory(email="an@example.org")
    wrong = APIClient().post(URL, {"email": "an@example.org", "password": "nope-nope-nope"}, format="json")
    unknown = APIClient().post(URL, {"email": "nobody@example.org", "password": "nope-nope-nope"}, format="json")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == {"detail": "Unable to sign in with these credentials."}


def test_second_factor_is_required_once_enrolled() -> None:
    user: User = UserFactory(email="coord@example.org")
    secret = enrol_totp(user)
    body = {"email": "coord@example.org", "password": "correct-horse-battery"}
    assert APIClient().post(URL, body, format="json").status_code == 400
    assert APIClient().post(URL, {**body, "code": "000000"}, format="json").status_code in (400,)
    assert APIClient().post(URL, {**body, "code": totp_code(secret)}, format="json").status_code == 200


def test_malformed_body_is_a_json_field_error() -> None:
    response = APIClient().post(URL, {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_categories_are_the_twelve_slugs_in_the_request_language() -> None:
    response = APIClient().get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="nl-BE")
    slugs = [c["slug"] for c in response.json()]
    assert slugs == [
        "boodschappen",
        "vuilnis",
        "planten",
        "tuin",
        "hond",
        "documenten",
        "huiswerk",
        "buurtfeest",
        "chauffeur",
        "babysit",
        "samen",
        "andere",
    ]
    labels = {c["slug"]: c["label"] for c in response.json()}
    assert labels["hond"] == "Hond uitlaten"
    fr = {c["slug"]: c["label"] for c in APIClient().get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="fr").json()}
    assert fr["hond"] == "Promener le chien"


def test_wrong_passwords_on_the_api_count_towards_the_lockout() -> None:
    """The token endpoint shares the login form's lockout: ten failures lock the address, even the right password."""
    UserFactory(email="an@example.org")
    for _ in range(10):
        client = APIClient(REMOTE_ADDR=f"10.0.0.{_ + 1}")
        assert (
            client.post(URL, {"email": "an@example.org", "password": "wrong-wrong-wrong"}, format="json").status_code
            == 400
        )
    locked = APIClient(REMOTE_ADDR="10.0.1.1").post(
        URL, {"email": "an@example.org", "password": "correct-horse-battery"}, format="json"
    )
    assert locked.status_code == 429
    assert "detail" in locked.json()
