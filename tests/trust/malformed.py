"""Shared pieces of the malformed-input tests: a real API token, deeply nested JSON and the bad values we send."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from rest_framework.test import APIClient

from burenhulp.core.models import User
from tests.conftest import totp_code

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password

#: JSON nested 1,000 deep: Python's parser gives up with a RecursionError (a 500) without a limit of our own.
DEEP_JSON = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def token_for(user: User) -> str:
    """A token the way a client gets one: POST /api/v1/auth/token/ (with a TOTP code when a factor is enrolled)."""
    body = {"email": user.email, "password": PASSWORD}
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        body["code"] = totp_code(str(decrypt(totp.data["secret"])))
    answer = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert answer.status_code == 200, answer.content
    return str(answer.json()["token"])


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}", HTTP_ACCEPT_LANGUAGE="en")
    return client
