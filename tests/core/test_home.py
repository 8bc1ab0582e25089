from __future__ import annotations

import pytest
from django.test import Client

from burenhulp.core.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "lang", "title"),
    [
        ("nl-BE,nl;q=0.9", "nl", "Buren helpen buren"),
        ("fr-BE,fr;q=0.9", "fr", "Des voisins qui s'entraident"),
        ("en-GB,en;q=0.9", "en", "Neighbours helping neighbours"),
    ],
)
def test_home_speaks_the_visitors_language(accept: str, lang: str, title: str) -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()
    assert title in response.content.decode()


def test_unknown_language_falls_back_to_dutch() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="xx-YY")
    assert '<html lang="nl">' in response.content.decode()
    assert "Buren helpen buren" in response.content.decode()


def test_home_leads_to_asking_and_offering_help() -> None:
    body = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "I can use help" in body
    assert "I&#x27;d like to help" in body or "I'd like to help" in body


def test_language_switch_is_remembered_on_the_account() -> None:
    user: User = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "fr"
    # A new session (another device) gets the saved language back after login.
    other = Client()
    other.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery"})
    assert '<html lang="fr">' in other.get("/").content.decode()


def test_language_switch_refuses_unknown_codes_and_foreign_redirects() -> None:
    response = Client().post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies["burenhulp_language"].value == "nl-be"


def test_healthz_reports_database_and_broker(redis_broker: object) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["broker"]) == ("ok", "ok")
    # No worker or beat runs in this test: reported, and the platform is "degraded", yet the web process serves.
    assert (body["worker"], body["beat"], body["status"]) == ("no heartbeat", "no heartbeat", "degraded")
