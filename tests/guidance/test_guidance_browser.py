"""The guidance pages in a real phone-sized browser: accessible (axe-core) in nl, fr and en, and usable without JS."""

from __future__ import annotations

from typing import Any

import pytest

from burenhulp.core.models import Neighbourhood, User
from tests.pages import DEFAULT_LANGUAGE, assert_accessible, assert_accessible_in, browser_login, screenshot
from toolbox_content.models import LocalNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("index", "/guidance/"),
    ("piece", "/guidance/boundaries/"),
    ("tools", "/guidance/tools-neighbour-help/"),
    ("search", "/guidance/search/?q=hond"),
    ("not-found", "/guidance/no-such-piece/"),
    ("print", "/guidance/print/?audience=volunteer"),
]
SWITCH = {"fr": "Français", "en": "English"}


def choose_language(page: Any, lang: str) -> None:
    if lang != "nl-be":
        page.goto("/guidance/")
        page.get_by_role("button", name=SWITCH[lang]).click()
        page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["nl-be", "fr", "en"])
def test_guidance_pages_have_no_axe_violations_on_a_phone(page: Any, lang: str) -> None:
    choose_language(page, lang)
    for name, url in PAGES:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == lang[:2], url
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
        assert_accessible_in(page, lang)
        if lang == DEFAULT_LANGUAGE:
            screenshot(page, f"guidance-{name}")


def test_coordinator_local_note_pages_are_accessible(
    page: Any, live_server: Any, coordinator: User, buurt: Neighbourhood
) -> None:
    note = LocalNote.objects.create(buurt=buurt, title="Contact", body="Bel **Griet**.")
    browser_login(page, live_server.url, coordinator)
    for name, url in [
        ("local", "/guidance/local/"),
        ("local-edit", f"/guidance/local/{note.pk}/"),
        ("local-new", "/guidance/local/new/"),
    ]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
        assert_accessible(page)
        screenshot(page, f"guidance-{name}")
    # An empty title shows the error next to the field, and keeps the text.
    page.goto("/guidance/local/new/")
    page.get_by_label("Titel").fill("")
    page.get_by_label("Tekst").fill("Mijn tekst")
    page.get_by_role("button", name="Bewaren").click()
    assert page.get_by_label("Tekst").input_value() == "Mijn tekst"
    assert_accessible(page)


def test_search_and_reading_work_without_javascript(page_nojs: Any) -> None:
    page_nojs.goto("/guidance/")
    page_nojs.get_by_role("button", name="English").click()
    page_nojs.get_by_role("searchbox", name="Search the guidance").fill("boundaries")
    page_nojs.get_by_role("button", name="Search").click()
    assert "/guidance/search/?q=boundaries" in page_nojs.url
    page_nojs.get_by_role("link", name="Keep your boundaries").first.click()
    assert page_nojs.locator("h1").inner_text() == "Keep your boundaries"
    page_nojs.get_by_role("link", name="When the question is too heavy").first.click()
    assert page_nojs.locator("h1").inner_text() == "When the question is too heavy"
    page_nojs.goto("/guidance/")
    page_nojs.get_by_role("link", name="Coordinators", exact=True).click()
    assert "audience=coordinator" in page_nojs.url
    assert page_nojs.get_by_role("link", name="Referring a resident to a service").count() == 1


def test_printed_pages_leave_out_the_menus(page: Any) -> None:
    page.goto("/guidance/print/?audience=volunteer")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("#guidance-q").count() == 0 or page.locator("#guidance-q").is_hidden()
    assert page.locator("#print-before-you-go").is_visible()
    page.pdf(path=str(screenshot.__globals__["ARTIFACTS"] / "guidance-print-volunteer.pdf"))
