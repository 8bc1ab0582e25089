"""The account pages (django-allauth) in our layout: accessible on a phone, in three languages, without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from burenhulp.core.models import User
from tests.factories import NeighbourhoodFactory, UserFactory
from tests.pages import DEFAULT_LANGUAGE, assert_accessible, assert_accessible_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/login/code/"]


@pytest.mark.parametrize("lang", ["nl-be", "fr", "en"])
def test_account_pages_are_accessible(page: Any, live_server: Any, lang: str) -> None:
    page.context.add_cookies([{"name": "burenhulp_language", "value": lang, "url": live_server.url}])
    for path in PAGES:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang[:2], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert_accessible_in(page, lang)
        if lang == DEFAULT_LANGUAGE:
            screenshot(page, f"accounts{path.replace('/', '-').rstrip('-')}")


def test_coordinator_must_enrol_a_second_factor(page: Any) -> None:
    user: User = UserFactory(email="new-coordinator@example.org")
    NeighbourhoodFactory().coordinators.add(user)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate" in page.url
    # Every other page sends the coordinator back here until a second factor is enrolled.
    page.goto("/dashboard/")
    assert "/accounts/2fa/totp/activate" in page.url
    assert_accessible(page)
    screenshot(page, "coordinator-totp-enrolment")


def test_login_works_without_javascript(page_nojs: Any) -> None:
    UserFactory(email="an@example.org")
    page_nojs.goto("/accounts/login/")
    page_nojs.fill("input[name=login]", "an@example.org")
    page_nojs.fill("input[name=password]", "correct-horse-battery")
    page_nojs.locator("form button[type=submit]").last.click()
    page_nojs.wait_for_load_state()
    assert "/accounts/login/" not in page_nojs.url
