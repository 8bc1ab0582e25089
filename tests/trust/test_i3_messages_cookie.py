"""I3: flash messages are kept on the server (session storage); no cookie ever carries the user's email address."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

EMAIL = "cookie-check@example.org"


def test_signing_in_sets_no_cookie_with_the_email(db: None) -> None:
    UserFactory(email=EMAIL)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert "messages" not in response.cookies
    for morsel in response.cookies.values():
        assert "cookie-check" not in morsel.value
    follow = client.get(response["Location"])
    assert "messages" not in follow.cookies
    assert "cookie-check" not in str(client.cookies)


def test_password_reset_sets_no_cookie_with_the_email(db: None) -> None:
    UserFactory(email=EMAIL)
    response = Client().post(reverse("account_reset_password"), {"email": EMAIL})
    assert "cookie-check" not in str(response.cookies)
