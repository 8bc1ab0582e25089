from __future__ import annotations

from typing import Any

import pytest

from tests.pages import assert_accessible_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["nl-be", "fr", "en"])
def test_home_has_no_axe_violations_on_a_phone(page: Any, lang: str) -> None:
    page.goto("/")
    if lang != "nl-be":
        page.get_by_role("button", name={"fr": "Français", "en": "English"}[lang]).click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == lang[:2]
    # Nothing sticks out sideways on a 375 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible_in(page, lang)
    screenshot(page, f"home-{lang}")


def test_home_works_without_javascript(page_nojs: Any) -> None:
    page_nojs.goto("/")
    page_nojs.get_by_role("button", name="English").click()
    assert page_nojs.locator("h1").inner_text() == "Neighbours helping neighbours"
    page_nojs.get_by_role("link", name="Sign in").click()
    assert "/accounts/login/" in page_nojs.url


def test_home_fits_a_320_px_screen(page: Any) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
