"""The privacy pages and the error pages in a real browser: accessible (axe-core), usable without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from burenhulp.core.models import User
from burenhulp.residents.models import Consent, Resident
from tests.pages import assert_accessible, browser_login, screenshot

pytestmark = pytest.mark.browser


def test_my_data_and_delete_pages_are_accessible(page: Any, live_server: Any, requester: Resident) -> None:
    Consent.objects.create(resident=requester, purpose="platform", text_version="1")
    browser_login(page, live_server.url, requester.user)
    page.goto("/my-data/")
    assert page.locator("h1").inner_text() == "Mijn gegevens"
    assert_accessible(page)
    screenshot(page, "privacy-my-data")
    page.goto("/my-data/delete/")
    page.get_by_role("button", name="Mijn account verwijderen").click()
    assert page.locator(".errors").inner_text().startswith("Vink het vakje aan")
    assert_accessible(page)
    screenshot(page, "privacy-delete-error")


def test_deleting_works_without_javascript(page_nojs: Any, live_server: Any, requester: Resident) -> None:
    browser_login(page_nojs, live_server.url, requester.user)
    page_nojs.goto("/my-data/delete/")
    page_nojs.get_by_label("Ja, verwijder mijn account en mijn gegevens").check()
    page_nojs.get_by_role("button", name="Mijn account verwijderen").click()
    page_nojs.wait_for_url("**/my-data/deleted/")
    assert page_nojs.locator("h1").inner_text() == "Je account is verwijderd"
    assert not User.objects.get(pk=requester.user_id).is_active


def test_the_error_pages_are_accessible(page: Any, live_server: Any, requester: Resident) -> None:
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert_accessible(page)
    browser_login(page, live_server.url, requester.user)
    response = page.goto("/admin/login/")
    assert response.status == 403
    assert_accessible(page)
