"""The coordinator's branding page ("Huisstijl") in a real Chromium: at 320, 375 and 1280 px, in Dutch, French and
English, with and without an error, axe-core finds nothing and nothing is wider than the screen; it saves without
JavaScript (a logo too). Screenshots at 375 and 1280 px land in test-artifacts/screenshots/."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from burenhulp.core.models import Branding, Neighbourhood, User
from tests.pages import DEFAULT_LANGUAGE, assert_accessible, assert_accessible_in, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/coordinator/branding/"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 120), "#7a1f5c").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_branding_page_at_phone_and_laptop_width(
    chromium: Any, live_server: Any, coordinator: User, buurt: Neighbourhood, width: int
) -> None:
    Branding.objects.create(
        buurt=buurt, name="Zorgzaam Wakken", contact_line="Zorgpunt Wakken · 056 12 34 56", logo=png()
    )
    context = chromium.new_context(
        viewport={"width": width, "height": 800 if width == 1280 else 812},
        bypass_csp=True,
        locale="nl-BE",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        browser_login(page, live_server.url, coordinator)
        page.goto("/coordinator/")
        for lang in ("fr", "en", DEFAULT_LANGUAGE):
            page.click(f"form.language-switch button[value='{lang}']")
            page.wait_for_load_state()
            response = page.goto(URL)
            assert response is not None and response.status == 200
            assert page.locator("html").get_attribute("lang") == lang[:2]
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert_accessible_in(page, lang)
        assert page.locator("img.brand-logo-preview").is_visible()
        if width != 320:
            screenshot(page, f"coordinator-branding-{width}")
        # A colour that is too light: refused with its contrast, the rest kept, and the page still accessible.
        page.get_by_label("Hoofdkleur").fill("#ffcc00")
        page.get_by_role("button", name="Huisstijl bewaren").click()
        page.wait_for_load_state()
        assert "1.5" in page.locator("#id_colour_errors").inner_text()
        assert page.get_by_label("Hoofdkleur").input_value() == "#ffcc00"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        if width != 320:
            screenshot(page, f"coordinator-branding-error-{width}")
    finally:
        context.close()


def test_the_branding_page_saves_a_logo_without_javascript(
    page_nojs: Any, live_server: Any, coordinator: User, buurt: Neighbourhood
) -> None:
    browser_login(page_nojs, live_server.url, coordinator)
    page_nojs.goto(URL)
    page_nojs.get_by_label("Naam die bewoners zien").fill("Zorgzaam Wakken")
    page_nojs.get_by_label("Hoofdkleur").fill("#7a1f5c")
    page_nojs.set_input_files("#id_logo_upload", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": png()}])
    page_nojs.get_by_role("button", name="Huisstijl bewaren").click()
    page_nojs.wait_for_load_state()
    row = Branding.objects.get(buurt=buurt)
    assert row.name == "Zorgzaam Wakken" and row.colour == "#7a1f5c" and row.logo
    assert page_nojs.locator("header a.brand").inner_text().strip() == "Zorgzaam Wakken"
    assert page_nojs.locator("header img.brand-logo").is_visible()
    # Removing the logo: the box appears only when there is one.
    page_nojs.get_by_label("Logo verwijderen").check()
    page_nojs.get_by_role("button", name="Huisstijl bewaren").click()
    page_nojs.wait_for_load_state()
    row.refresh_from_db()
    assert not row.logo and page_nojs.locator("header img.brand-logo").count() == 0
    assert page_nojs.locator("#id_remove_logo").count() == 0
