"""M3: API tokens are hashed, expire, and end when the password or a second factor changes; a coordinator gets no
token before enrolling a second factor. The contract of DESIGN §9 stays: POST email + password (+ code) → token."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from burenhulp.core.models import ApiToken, Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import enrol_totp, totp_code, web_client
from tests.factories import UserFactory
from tests.trust.scan import database_hits

URL = "/api/v1/auth/token/"
PASSWORD = "correct-horse-battery"


def _token(email: str, **extra: str) -> str:
    response = APIClient().post(URL, {"email": email, "password": PASSWORD, **extra}, format="json")
    assert response.status_code == 200, response.content
    token: str = response.json()["token"]
    return token


def _status(token: str, path: str = "/api/v1/me/profile/") -> int:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}").get(path).status_code


def test_the_key_is_not_stored(requester: Resident) -> None:
    token = _token("requester@example.org")
    assert _status(token) == 200
    stored = [str(v) for row in ApiToken.objects.values() for v in row.values()]
    assert not any(token[8:20] in value for value in stored)
    if connection.vendor == "postgresql":  # every text column of every table
        assert database_hits(token) == []
        assert database_hits(token[8:20]) == []


def test_a_token_expires(requester: Resident) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = _token("requester@example.org")
    with time_machine.travel(start + timedelta(hours=settings.API_TOKEN_TTL_HOURS - 1), tick=False):
        assert _status(token) == 200
    with time_machine.travel(start + timedelta(hours=settings.API_TOKEN_TTL_HOURS + 1), tick=False):
        assert _status(token) == 401


def test_changing_the_password_ends_the_tokens(requester: Resident) -> None:
    token = _token("requester@example.org")
    assert requester.user is not None
    client = web_client(requester.user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert _status(token) == 401


def test_a_password_reset_ends_the_tokens(requester: Resident) -> None:
    token = _token("requester@example.org")
    user = User.objects.get(pk=requester.user_id)
    user.set_password("another-long-passphrase")  # what the reset form and the admin do
    user.save()
    assert _status(token) == 401


def test_adding_or_removing_a_second_factor_ends_the_tokens(requester: Resident) -> None:
    token = _token("requester@example.org")
    assert requester.user is not None
    secret = enrol_totp(requester.user)
    assert _status(token) == 401
    token = _token("requester@example.org", code=totp_code(secret))
    assert _status(token) == 200
    Authenticator.objects.filter(user=requester.user).delete()
    assert _status(token) == 401


def test_using_the_second_factor_keeps_the_tokens(requester: Resident) -> None:
    assert requester.user is not None
    secret = enrol_totp(requester.user)
    first = _token("requester@example.org", code=totp_code(secret))
    Authenticator.objects.get(user=requester.user).record_usage()
    assert _status(first) == 200


def test_no_coordinator_token_before_enrolment(buurt: Neighbourhood) -> None:
    user = UserFactory(email="fresh-coordinator@example.org")
    buurt.coordinators.add(user)
    response = APIClient().post(URL, {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "token" not in response.json()
    secret = enrol_totp(user)
    assert _status(_token(user.email, code=totp_code(secret)), "/api/v1/queue/") == 200


@pytest.mark.parametrize("bad", ["", "x", "Token", "a" * 500, "not-a-token-at-all-0123456789"])
def test_a_bad_key_is_a_401(db: None, bad: str) -> None:
    assert _status(bad) == 401
