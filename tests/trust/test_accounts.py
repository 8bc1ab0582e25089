"""Accounts under attack: password guessing, enumeration, session fixation, deactivation, idle coordinators, 2FA.

The numbers tested here are the ones docs/security.md documents (settings.ACCOUNT_RATE_LIMITS).
"""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import count

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from burenhulp.core.apitokens import token_issue
from burenhulp.core.models import Neighbourhood, User
from tests.conftest import enrol_totp, totp_code, web_client
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
LOCKED = "Too many failed login attempts"
_ips = count(1)


def fresh_ip() -> str:
    """Another visitor address each time: an attacker spreading guesses over many machines."""
    n = next(_ips)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def login(email: str, password: str, ip: str | None = None) -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=ip or fresh_ip())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Password guessing ------------------------------------------------------------------------------------------


def test_ten_wrong_passwords_lock_the_account_for_fifteen_minutes(db: None) -> None:
    user = UserFactory(email="target@example.org")
    for _ in range(10):
        client, response = login(user.email, "wrong-password-123")
        assert response.status_code == 200
        assert not signed_in(client)
    # The right password, from yet another address, is refused now.
    client, response = login(user.email, PASSWORD)
    assert not signed_in(client)
    assert LOCKED in response.content.decode()
    # Still locked just before fifteen minutes have passed, open again after.
    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        client, _ = login(user.email, PASSWORD)
        assert not signed_in(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=5), tick=False):
        client, response = login(user.email, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_nine_wrong_passwords_do_not_lock_the_account(db: None) -> None:
    user = UserFactory(email="typo@example.org")
    for _ in range(9):
        login(user.email, "wrong-password-123")
    client, response = login(user.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_one_address_gets_ten_failed_sign_ins_a_minute_over_all_accounts(db: None) -> None:
    users = [UserFactory() for _ in range(11)]
    ip = "192.0.2.7"
    for user in users[:10]:
        login(user.email, "wrong-password-123", ip=ip)
    client, response = login(users[10].email, PASSWORD, ip=ip)
    assert not signed_in(client)
    assert LOCKED in response.content.decode()
    # Another address is not affected.
    client, _ = login(users[10].email, PASSWORD)
    assert signed_in(client)


def test_the_admin_login_goes_through_allauth_and_its_limits(db: None) -> None:
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client = Client()
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))
    # Posting credentials to the admin's own form does not sign anyone in.
    client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert not signed_in(client)
    # Guessing the admin's password hits the same lockout.
    for _ in range(10):
        login(admin.email, "wrong-password-123")
    client, _ = login(admin.email, PASSWORD)
    assert not signed_in(client)


def test_the_api_token_endpoint_is_throttled(db: None) -> None:
    user = UserFactory(email="api@example.org")
    client = APIClient(REMOTE_ADDR="192.0.2.50")
    statuses = [
        client.post("/api/v1/auth/token/", {"email": user.email, "password": "wrong"}, format="json").status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


# --- Enumeration ------------------------------------------------------------------------------------------------


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"[\w.+-]+@example\.org", "EMAIL", html)


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_signup", {"email": "{email}", "password1": "a-Long-new-pass-42", "password2": "a-Long-new-pass-42"}),
        ("account_reset_password", {"email": "{email}"}),
        ("account_request_login_code", {"email": "{email}"}),
    ],
)
def test_the_answer_is_the_same_for_known_and_unknown_addresses(db: None, url_name: str, data: dict[str, str]) -> None:
    UserFactory(email="known@example.org")
    answers = []
    for email in ("known@example.org", "nobody-here@example.org"):
        client = Client(REMOTE_ADDR=fresh_ip())
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = {k: v.format(email=email) for k, v in data.items()}
        response = client.post(reverse(url_name), body)
        location = response.get("Location", "")
        followed = client.get(location) if location else response
        answers.append((response.status_code, location, followed.status_code, _normalised(followed.content.decode())))
    assert answers[0] == answers[1]


# --- Sessions ---------------------------------------------------------------------------------------------------


def test_signing_in_gives_a_new_session_key(db: None) -> None:
    user = UserFactory(email="fixation@example.org")
    client = Client(REMOTE_ADDR=fresh_ip())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})  # an anonymous session exists
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=before).exists()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_deactivated_account_is_signed_out_at_its_next_request(db: None) -> None:
    user = UserFactory(email="leaver@example.org")
    client = web_client(user)
    token = token_issue(user=user)
    assert client.get("/my-data/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/my-data/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/profile/").status_code == 401


def test_signing_out_ends_the_session_on_the_server(db: None) -> None:
    user = UserFactory(email="bye@example.org")
    client, _ = login(user.email, PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()


# --- Coordinators -----------------------------------------------------------------------------------------------


def test_an_idle_coordinator_is_signed_out_after_thirty_minutes(coordinator: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = web_client(coordinator)
        assert client.get("/my-data/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/my-data/").status_code == 200  # activity resets the clock
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get("/my-data/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not signed_in(client)


def test_an_idle_resident_stays_signed_in(requester: object) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = web_client(requester.user)  # type: ignore[attr-defined]
    with time_machine.travel(start + timedelta(hours=20), tick=False):
        assert client.get("/my-data/").status_code == 200


@pytest.fixture
def new_coordinator(buurt: Neighbourhood) -> User:
    user = UserFactory(email="new-coordinator@example.org")
    buurt.coordinators.add(user)
    return user


def test_a_coordinator_without_a_second_factor_cannot_reach_coordinator_pages(new_coordinator: User) -> None:
    client = web_client(new_coordinator)
    for path in ("/coordinator/", "/my-data/", "/dashboard/"):
        response = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml")
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path


def test_a_browser_session_cannot_use_the_api_around_the_enrolment(new_coordinator: User) -> None:
    by_session = APIClient()
    by_session.force_login(new_coordinator)
    for path in ("/api/v1/queue/", "/api/v1/services/", "/api/v1/residents/", "/api/v1/reports/summary/"):
        response = by_session.get(path)
        assert response.status_code == 403, path
        assert "two-factor" in response.json()["detail"]
    enrol_totp(new_coordinator)
    assert by_session.get("/api/v1/queue/").status_code == 200


def test_an_api_token_needs_the_totp_code_once_a_second_factor_is_enrolled(new_coordinator: User) -> None:
    """DESIGN §9: a token for email + password; with a second factor enrolled, the body also needs the code. A
    coordinator gets no token before enrolling (issue #14 M3)."""
    body = {"email": new_coordinator.email, "password": PASSWORD}
    before = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert before.status_code == 403
    assert "two-factor" in before.json()["detail"]
    secret = enrol_totp(new_coordinator)
    assert APIClient().post("/api/v1/auth/token/", body, format="json").status_code == 400
    with_code = APIClient().post("/api/v1/auth/token/", {**body, "code": totp_code(secret)}, format="json")
    assert with_code.status_code == 200


def test_a_coordinator_needs_the_totp_code_to_sign_in(new_coordinator: User) -> None:
    secret = enrol_totp(new_coordinator)
    client, response = login(new_coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert client.get("/coordinator/").status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not signed_in(client)
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right.status_code == 302
    assert signed_in(client)
