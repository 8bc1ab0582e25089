"""M1: one form for email addresses everywhere (NFKC + case-folded; plain ASCII for new addresses). Look-alike
letters (`ı`, `ſ`) neither get their own lockout counter nor break the real owner's sign-in with a 500."""

from __future__ import annotations

from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from burenhulp.core.emails import email_key, normalize_email
from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.factories import ResidentFactory, UserFactory

PASSWORD = "correct-horse-battery"
OWNER = "rita@mail.example"
LOOKALIKE = "rita@ma\u0131l.example"  # dotless ı: SQL UPPER() makes it I
LONG_S = "rita@ma\u0131l.example".replace("ma\u0131l", "\u017fite")  # ſ is s after NFKC: the same person


def _token(email: str, password: str = PASSWORD) -> int:
    return APIClient().post("/api/v1/auth/token/", {"email": email, "password": password}, format="json").status_code


def _login(email: str, password: str = PASSWORD) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("account_login"), {"login": email, "password": password})
    return client


def test_the_one_form() -> None:
    assert email_key("  Rita@Mail.Example ") == OWNER
    assert email_key("rita@\u017fite.example") == "rita@site.example"
    assert email_key("RITA@\u212aite.example") == "rita@kite.example"  # Kelvin sign
    assert normalize_email("Rita@Mail.Example") == OWNER
    for bad in (LOOKALIKE, "rit\u0430@mail.example", "rita@mail.example\r\nBcc: x@y.z", "not-an-address"):
        with pytest.raises(ValidationError):
            normalize_email(bad)


def test_a_lookalike_account_does_not_break_the_owner(db: None) -> None:
    owner = UserFactory(email=OWNER)
    # Rows made before the fix (sign-up accepted the address): stored as they were.
    lookalike = UserFactory(email="other@mail.example")
    User.objects.filter(pk=lookalike.pk).update(email=LOOKALIKE)
    EmailAddress.objects.filter(user=lookalike).update(email=LOOKALIKE)
    assert User.objects.get_by_natural_key("RITA@MAIL.EXAMPLE") == owner
    assert _token(OWNER) == 200
    assert "_auth_user_id" in _login(OWNER).session
    assert _token(OWNER, "wrong-password-1") == 400


def test_a_lookalike_spelling_does_not_sign_in_as_the_owner(db: None) -> None:
    UserFactory(email=OWNER)
    assert _token(LOOKALIKE) == 400
    assert "_auth_user_id" not in _login(LOOKALIKE).session


def test_lookalike_spellings_share_the_owners_lockout(db: None) -> None:
    UserFactory(email="rita@site.example")
    for n in range(10):
        spelling = "rita@\u017fite.example" if n % 2 else "RITA@SITE.EXAMPLE"
        Client(REMOTE_ADDR=f"10.9.0.{n + 1}").post(
            reverse("account_login"), {"login": spelling, "password": "wrong-password-1"}
        )
    assert "_auth_user_id" not in _login("rita@site.example").session
    assert _token("rita@site.example") == 429


def test_sign_up_refuses_a_lookalike_address(db: None) -> None:
    UserFactory(email=OWNER)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("account_signup"),
        {"email": LOOKALIKE, "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
    )
    assert response.status_code == 200
    assert "plain letters" in response.content.decode()
    assert User.objects.count() == 1


def test_intake_page_and_api_refuse_a_lookalike_address(buurt: Neighbourhood, coordinator: User) -> None:
    api = APIClient()
    api.force_authenticate(coordinator)
    body = {"buurt": buurt.slug, "first_name": "Maria", "last_name": "Claeys", "email": LOOKALIKE}
    response = api.post("/api/v1/residents/", body, format="json")
    assert response.status_code == 400 and "email" in response.json()
    page = web_client(coordinator).post("/coordinator/residents/new/", {"first_name": "Maria", "email": LOOKALIKE})
    assert page.status_code == 400
    assert not Resident.objects.filter(first_name="Maria").exists()


def test_the_data_migration_folds_stored_addresses(buurt: Neighbourhood) -> None:
    user = UserFactory(email="sam@site.example")
    User.objects.filter(pk=user.pk).update(email="Sam@\u017fite.Example")
    EmailAddress.objects.filter(user=user).update(email="Sam@\u017fite.Example")
    resident = ResidentFactory(buurt=buurt, email="x@example.org")
    Resident.objects.filter(pk=resident.pk).update(email=" Maria@Example.ORG")
    taken = UserFactory(email="kim@site.example")
    clash = UserFactory(email="kim2@site.example")
    User.objects.filter(pk=clash.pk).update(email="kim@\u017fite.example")
    import_module("burenhulp.core.migrations.0004_emails_one_form").normalise(apps, None)
    assert User.objects.get(pk=user.pk).email == "sam@site.example"
    assert EmailAddress.objects.get(user=user).email == "sam@site.example"
    assert Resident.objects.get(pk=resident.pk).email == "maria@example.org"
    assert User.objects.get(pk=clash.pk).email == "kim@\u017fite.example"  # left for a person to decide
    assert User.objects.get_by_natural_key("KIM@\u017fite.example") == taken
