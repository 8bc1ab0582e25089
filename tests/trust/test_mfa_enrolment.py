"""Issue #13, acceptance 4: coordinator TOTP enrolment could fail for good. The browser's own /favicon.ico request
was redirected to the enrolment page, which made a new secret, so every code was "invalid". Now the enrolment gate
never redirects what is not a page, the secret stays the same until enrolment succeeds, and there is a favicon."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from burenhulp.core.models import Neighbourhood, User
from tests.conftest import totp_code, web_client
from tests.factories import NeighbourhoodFactory, UserFactory
from tests.pages import assert_accessible, screenshot

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
IMAGE = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"


@pytest.fixture
def new_coordinator(buurt: Neighbourhood) -> User:
    user: User = UserFactory(email="enrol-me@example.org")
    buurt.coordinators.add(user)
    return user


def _secret(html: str) -> str:
    # The enrolment page shows the key to type by hand as text (our template) or in a read-only field (allauth's).
    match = (
        re.search(r'id="authenticator_secret"[^>]*>\s*([A-Z2-7]{16,})\s*<', html)
        or re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html)
        or re.search(r'value="([A-Z2-7]{16,})"[^>]*id="authenticator_secret"', html)
    )
    assert match, "no secret on the enrolment page"
    return match.group(1)


def test_non_page_requests_are_never_sent_to_the_enrolment_page(new_coordinator: User) -> None:
    client = web_client(new_coordinator)
    icon = client.get("/favicon.ico", HTTP_ACCEPT=IMAGE)
    assert icon.status_code in {301, 302} and icon["Location"].endswith("/static/favicon.ico")
    fetch = client.get("/coordinator/", HTTP_ACCEPT="application/json")
    assert fetch.status_code == 403 and "Location" not in fetch
    posted = client.post("/coordinator/", HTTP_ACCEPT=HTML)
    assert posted.status_code == 403
    page = client.get("/coordinator/", HTTP_ACCEPT=HTML)
    assert page.status_code == 302 and page["Location"] == reverse("mfa_activate_totp")


def test_the_secret_stays_the_same_until_enrolment_succeeds(new_coordinator: User) -> None:
    client = Client()
    signed_in = client.post(
        "/accounts/login/", {"login": new_coordinator.email, "password": "correct-horse-battery"}, HTTP_ACCEPT=HTML
    )
    assert signed_in.status_code == 302
    first = _secret(client.get(reverse("mfa_activate_totp"), HTTP_ACCEPT=HTML).content.decode())
    client.get("/favicon.ico", HTTP_ACCEPT=IMAGE)
    client.get("/coordinator/", HTTP_ACCEPT="*/*")
    again = _secret(client.get(reverse("mfa_activate_totp"), HTTP_ACCEPT=HTML).content.decode())
    assert again == first
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"}, HTTP_ACCEPT=HTML)
    assert wrong.status_code == 200
    assert _secret(client.get(reverse("mfa_activate_totp"), HTTP_ACCEPT=HTML).content.decode()) == first
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(first)}, HTTP_ACCEPT=HTML)
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=new_coordinator, type=Authenticator.Type.TOTP).exists()
    assert client.get("/coordinator/", HTTP_ACCEPT=HTML).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_real_browser_enrols_while_fetching_the_favicon_and_other_assets(page: Any, live_server: Any) -> None:
    user: User = UserFactory(email="browser-enrol@example.org")
    NeighbourhoodFactory().coordinators.add(user)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto("/coordinator/")
    assert "/accounts/2fa/totp/activate" in page.url
    secret = page.locator("#authenticator_secret").inner_text().strip()
    # The browser fetches its icon and other assets in between, as real browsers do.
    for path in ("/favicon.ico", "/static/favicon.ico", "/static/css/site.css", "/coordinator/calls/"):
        response = page.request.get(path, headers={"Accept": IMAGE})
        assert "/accounts/2fa/totp/activate" not in response.url, path
    page.goto("/favicon.ico")
    page.goto("/accounts/2fa/totp/activate/")
    assert page.locator("#authenticator_secret").inner_text().strip() == secret
    assert_accessible(page)
    screenshot(page, "coordinator-totp-enrolment-steady-secret")
    page.fill("input[name=code]", totp_code(secret))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    page.goto("/coordinator/")
    assert "/coordinator/" in page.url and "/accounts/2fa" not in page.url
