"""Issue #16, the resident side in Chromium: button kinds that look different, a confirmation before every
destructive action, a compact phone header with the first field on the first screen, and the main resident pages at
375 px and 1280 px (axe-core, nl/fr/en, screenshots in test-artifacts/screenshots/)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from burenhulp.core.admin import BrandingForm
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest
from burenhulp.residents.models import Consent, Resident
from tests.conftest import totp_code
from tests.factories import ResidentFactory, UserFactory
from tests.pages import assert_accessible, assert_accessible_in, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGS = ["nl-be", "fr", "en"]
DESKTOP = {"width": 1280, "height": 800}
STEPS = ("me", "help", "more", "photo", "when", "sharing")
#: The first field the eye should find: any visible input, select or textarea of the page's main form.
FIRST_FIELD_JS = """() => {
  const el = [...document.querySelectorAll('main form input, main form select, main form textarea')]
    .find(e => e.type !== 'hidden' && e.offsetParent !== null && !e.closest('.visually-hidden'));
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return {bottom: r.bottom + window.scrollY, name: el.name};
}"""
STYLE_JS = """(el) => { const s = getComputedStyle(el);
  return [s.backgroundColor, s.color, s.borderTopColor, s.fontWeight].join(' | '); }"""


def _requester(buurt: Neighbourhood) -> Resident:
    resident = ResidentFactory(buurt=buurt, user=UserFactory(email="rita@example.org"), first_name="Rita")
    Consent.objects.create(resident=resident, purpose="platform", text_version="t")
    return resident


def _open_request(resident: Resident) -> HelpRequest:
    return HelpRequest.objects.create(
        buurt=resident.buurt,
        requester=resident,
        category="boodschappen",
        description="Brood en melk, graag",
        status="queued",
        triage_level="light",
    )


def _context(
    chromium: Any, live_server: Any, lang: str, viewport: dict[str, int] | None = None, js: bool = True
) -> Any:
    context = chromium.new_context(
        viewport=viewport or {"width": 375, "height": 812},
        bypass_csp=True,
        base_url=live_server.url,
        java_script_enabled=js,
    )
    context.add_cookies([{"name": "burenhulp_language", "value": lang, "url": live_server.url}])
    return context


def test_secondary_quiet_and_danger_buttons_look_different_from_primary(
    chromium: Any, live_server: Any, buurt: Neighbourhood
) -> None:
    resident = _requester(buurt)
    for viewport in ({"width": 375, "height": 812}, DESKTOP):
        context = _context(chromium, live_server, "nl-be", viewport)
        pg = context.new_page()
        browser_login(pg, live_server.url, resident.user)
        pg.goto("/burenbox/")
        # The same element (<a> and <button>) in two kinds: the computed styles differ.
        primary_link = pg.locator("a.button:not(.button-secondary)").first.evaluate(STYLE_JS)
        secondary_link = pg.locator("a.button.button-secondary").first.evaluate(STYLE_JS)
        primary_button = pg.locator("button[name=weeks][value='2']").evaluate(STYLE_JS)
        secondary_button = pg.locator("button[name=weeks][value='4']").evaluate(STYLE_JS)
        danger_button = pg.locator("button.button-danger").evaluate(STYLE_JS)
        assert primary_link != secondary_link, (primary_link, secondary_link)
        assert primary_button != secondary_button, (primary_button, secondary_button)
        assert primary_button == primary_link and secondary_button == secondary_link
        assert danger_button not in {primary_button, secondary_button}
        # A secondary button is white with dark text, not the brand's filled green.
        assert secondary_button.startswith("rgb(255, 255, 255)")
        pg.goto("/burenbox/step/more/")
        next_ = pg.locator(".step-actions button[value=next]").evaluate(STYLE_JS)
        back = pg.locator(".step-actions button[value=back]").evaluate(STYLE_JS)
        stop = pg.locator(".step-actions button[value=stop]").evaluate(STYLE_JS)
        assert len({next_, back, stop}) == 3, (next_, back, stop)
        screenshot(pg, f"polish-buttons-wizard-{viewport['width']}")
        context.close()


def test_every_destructive_action_asks_for_confirmation(
    chromium: Any, live_server: Any, buurt: Neighbourhood, coordinator: User
) -> None:
    resident = _requester(buurt)
    hr = _open_request(resident)
    # 1. Cancelling a request, without JavaScript: the button leads to a confirmation page; "no" keeps it.
    context = _context(chromium, live_server, "nl-be", js=False)
    pg = context.new_page()
    browser_login(pg, live_server.url, resident.user)
    pg.goto(f"/help/request/{hr.public_id}/")
    pg.get_by_role("button", name="Ik heb deze hulp niet meer nodig").click()
    assert pg.locator("h1").inner_text() == "Heb je deze hulp niet meer nodig?"
    screenshot(pg, "polish-confirm-cancel-request")
    pg.get_by_role("link", name="Nee, hou mijn hulpvraag").click()
    hr.refresh_from_db()
    assert hr.status == "queued"
    pg.get_by_role("button", name="Ik heb deze hulp niet meer nodig").click()
    pg.get_by_role("button", name="Ja, ik heb het niet meer nodig").click()
    hr.refresh_from_db()
    assert hr.status == "cancelled"
    # 2. Stopping the Burenbox.
    pg.goto("/burenbox/")
    pg.get_by_role("button", name="Stoppen met mijn Burenbox").click()
    assert pg.locator("h1").inner_text() == "Stoppen met je Burenbox?"
    screenshot(pg, "polish-confirm-stop-burenbox")
    resident.refresh_from_db()
    assert resident.consent_withdrawn_at is None
    pg.get_by_role("button", name="Ja, stop mijn Burenbox").click()
    resident.refresh_from_db()
    assert resident.consent_withdrawn_at is not None
    context.close()
    # 3. A coordinator blocking someone (with JavaScript: the confirmation is the same page, checked by axe-core).
    ResidentFactory(buurt=buurt, first_name="Bram", approved=False)
    context = _context(chromium, live_server, "nl-be")
    pg = context.new_page()
    browser_login(pg, live_server.url, coordinator)
    pg.goto("/coordinator/moderation/")
    pg.get_by_role("button", name=re.compile("^Blokkeren")).first.click()
    assert pg.locator("h1").inner_text() == "Bram blokkeren?"
    assert_accessible(pg)
    screenshot(pg, "polish-confirm-block")
    assert not Resident.objects.get(first_name="Bram").is_blocked
    pg.get_by_role("button", name="Ja, blokkeer Bram").click()
    assert Resident.objects.get(first_name="Bram").is_blocked
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_phone_header_is_compact_and_the_first_field_is_on_the_first_screen(
    chromium: Any, live_server: Any, buurt: Neighbourhood, lang: str
) -> None:
    resident = _requester(buurt)
    newcomer = UserFactory(email="nieuw@example.org")
    forms = {
        resident.user: ["/help/ask/", *[f"/burenbox/step/{s}/" for s in STEPS]],
        newcomer: [f"/buurt/{buurt.slug}/join/"],
    }
    for user, urls in forms.items():
        context = _context(chromium, live_server, lang)
        pg = context.new_page()
        browser_login(pg, live_server.url, user)
        for url in urls:
            pg.goto(url)
            header = pg.locator("header.site-header").bounding_box()
            assert header is not None and header["height"] <= 120, (url, header)
            assert pg.locator(".language-switch").count() == 1
            first = pg.evaluate(FIRST_FIELD_JS)
            assert first is not None and first["bottom"] <= 812, (url, first)
        context.close()


def test_the_wizard_shows_a_progress_line_housemates_one_at_a_time_and_whole_words(
    page: Any, live_server: Any, buurt: Neighbourhood
) -> None:
    resident = _requester(buurt)
    browser_login(page, live_server.url, resident.user)
    page.goto("/burenbox/step/me/")
    assert page.locator(".step-count").inner_text() == "Stap 1 van 6"
    assert page.locator("nav.step-nav").count() == 0
    assert page.locator(".housemate-row").count() == 1
    page.locator("#id_hm-0-name").fill("Jozef")
    page.get_by_role("button", name="Bewaar en voeg nog een huisgenoot toe").click()
    assert page.locator(".housemate-row").count() == 2
    assert page.locator("#id_hm-0-name").input_value() == "Jozef"
    assert [h.name for h in resident.housemates.all()] == ["Jozef"]
    # Pressing Enter in a field saves and continues (the hidden default button), it does not add a housemate.
    page.locator("#id_first_name").press("Enter")
    page.wait_for_url(re.compile(r"/burenbox/step/help/"))
    for width in (320, 375):
        page.set_viewport_size({"width": width, "height": 812})
        page.goto("/burenbox/step/when/")
        broken = page.evaluate(
            """() => [...document.querySelectorAll('.availability th.tick-col')].flatMap(th => {
                 const text = th.firstChild; if (!text) return [];
                 const out = []; let i = 0;
                 for (const word of text.textContent.split(/(\\s+)/)) {
                   if (word.trim()) { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + word.length);
                     const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                     if (tops.size > 1) out.push(word); }
                   i += word.length; }
                 return out; })"""
        )
        assert broken == [], broken
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    screenshot(page, "polish-wizard-when-375")


@pytest.mark.parametrize("lang", LANGS)
def test_main_resident_pages_at_375_and_1280(chromium: Any, live_server: Any, buurt: Neighbourhood, lang: str) -> None:
    resident = _requester(buurt)
    hr = _open_request(resident)
    pages = [
        ("burenbox", "/burenbox/"),
        ("ask", "/help/ask/"),
        ("sent", f"/help/request/{hr.public_id}/?sent=1"),
        ("my-requests", "/help/mine/"),
        ("wizard-me", "/burenbox/step/me/"),
        ("wizard-when", "/burenbox/step/when/"),
    ]
    for viewport in ({"width": 375, "height": 812}, DESKTOP):
        context = _context(chromium, live_server, lang, viewport)
        pg = context.new_page()
        browser_login(pg, live_server.url, resident.user)
        for name, url in pages:
            response = pg.goto(url)
            assert response is not None and response.status == 200, url
            assert pg.locator("html").get_attribute("lang") == lang[:2]
            assert pg.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, url
            assert_accessible_in(pg, lang)
            screenshot(pg, f"resident-{name}-{viewport['width']}-{lang}")
        # The confirmation page of cancelling, in this language too.
        pg.goto(f"/help/request/{hr.public_id}/")
        pg.locator("button[name=cancel]").click()
        assert pg.locator("input[name=confirmed]").count() == 1
        assert_accessible_in(pg, lang)
        screenshot(pg, f"resident-confirm-cancel-{viewport['width']}-{lang}")
        context.close()


def test_resident_pages_stay_light_and_work_without_javascript(
    chromium: Any, live_server: Any, buurt: Neighbourhood
) -> None:
    """HTML + CSS + JS of each resident page, uncompressed, at most 60 kB; and the pages render without JS."""
    resident = _requester(buurt)
    hr = _open_request(resident)
    urls = ["/burenbox/", "/help/ask/", f"/help/request/{hr.public_id}/?sent=1", "/help/mine/"]
    urls += [f"/burenbox/step/{s}/" for s in STEPS]
    context = _context(chromium, live_server, "nl-be")
    pg = context.new_page()
    browser_login(pg, live_server.url, resident.user)
    sizes: dict[str, int] = {}

    def count(response: Any) -> None:
        if response.request.resource_type in {"document", "stylesheet", "script"}:
            sizes[response.url] = len(response.body())

    pg.on("response", count)
    for url in urls:
        sizes.clear()
        pg.goto(url)
        pg.wait_for_load_state("networkidle")
        total = sum(sizes.values())
        assert total <= 60_000, (url, total, sizes)
    context.close()
    context = _context(chromium, live_server, "nl-be", js=False)
    pg = context.new_page()
    browser_login(pg, live_server.url, resident.user)
    for url in urls:
        response = pg.goto(url)
        assert response is not None and response.status == 200
        assert pg.locator("h1").count() >= 1
    context.close()


ACCOUNT_PAGES = [
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("login-code", "/accounts/login/code/"),
    ("password-reset", "/accounts/password/reset/"),
    ("password-reset-done", "/accounts/password/reset/done/"),
    ("privacy-statement", "/privacy-statement/"),
    ("accessibility-statement", "/accessibility/"),
]


@pytest.mark.parametrize("lang", LANGS)
def test_account_and_statement_pages_at_375_and_1280(
    chromium: Any, live_server: Any, buurt: Neighbourhood, lang: str
) -> None:
    for viewport in ({"width": 375, "height": 812}, DESKTOP):
        context = _context(chromium, live_server, lang, viewport)
        pg = context.new_page()
        for name, url in ACCOUNT_PAGES:
            response = pg.goto(url)
            assert response is not None and response.status == 200, url
            assert pg.locator("html").get_attribute("lang") == lang[:2]
            assert pg.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, url
            assert_accessible_in(pg, lang)
            screenshot(pg, f"account-{name}-{viewport['width']}-{lang}")
        context.close()


def test_code_app_enrolment_and_spare_codes_in_the_browser(
    chromium: Any, live_server: Any, buurt: Neighbourhood
) -> None:
    """A new coordinator signs in, switches the code app on and lands on the spare codes with a way forward;
    no second password prompt on the way."""
    user = UserFactory(email="griet@example.org")
    buurt.coordinators.add(user)
    for viewport in ({"width": 375, "height": 812}, DESKTOP):
        context = _context(chromium, live_server, "nl-be", viewport)
        pg = context.new_page()
        pg.goto("/accounts/login/")
        pg.get_by_label("Je e-mailadres").fill(user.email)
        pg.get_by_label("Je wachtwoord").fill("correct-horse-battery")
        pg.get_by_role("button", name="Aanmelden").first.click()
        pg.wait_for_url(re.compile(r"/accounts/2fa/totp/activate"))
        assert_accessible(pg)
        screenshot(pg, f"account-totp-activate-{viewport['width']}")
        secret = pg.locator("#authenticator_secret").inner_text().strip()
        pg.get_by_label("De code").fill(totp_code(secret))
        pg.get_by_role("button", name="Zet aan").click()
        pg.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes"))
        assert "reauthenticate" not in pg.url
        assert_accessible(pg)
        screenshot(pg, f"account-recovery-codes-{viewport['width']}")
        pg.get_by_role("link", name="Ik heb ze bewaard: verder").click()
        assert "/coordinator/" in pg.url
        context.close()
        Authenticator.objects.filter(user=user).delete()


def test_a_branded_neighbourhood_in_the_browser(chromium: Any, live_server: Any, buurt: Neighbourhood) -> None:
    """Name, logo, colour and contact line of the neighbourhood on its pages; axe-core checks the contrast."""
    logo = io.BytesIO()
    Image.new("RGB", (120, 120), "#7a1f5c").save(logo, format="PNG")
    form = BrandingForm(
        data={
            "name": "Zorgzaam Wakken",
            "colour": "#7a1f5c",
            "buurt": buurt.pk,
            "contact_line": "Zorgpunt · 056 12 34 56",
        },
        files={"logo_upload": SimpleUploadedFile("logo.png", logo.getvalue(), content_type="image/png")},
    )
    assert form.is_valid(), form.errors
    form.save()
    resident = _requester(buurt)
    for viewport in ({"width": 375, "height": 812}, DESKTOP):
        context = _context(chromium, live_server, "nl-be", viewport)
        pg = context.new_page()
        browser_login(pg, live_server.url, resident.user)
        pg.goto("/burenbox/")
        assert pg.locator(".brand").inner_text().strip() == "Zorgzaam Wakken"
        assert pg.locator(".brand-logo").evaluate("img => img.naturalWidth") > 0
        assert pg.locator(".site-header").evaluate("h => getComputedStyle(h).backgroundColor") == "rgb(122, 31, 92)"
        assert "Zorgpunt · 056 12 34 56" in pg.locator("footer").inner_text()
        assert_accessible(pg)
        screenshot(pg, f"branding-burenbox-{viewport['width']}")
        context.close()
