"""Issue #16, acceptance 2: the first ten minutes of a new coordinator, in Dutch, in a real browser. Sign in, enrol
a second factor, set the branding, import the streets, enter a resident who called, print her card. Every screen on the way is checked
for English words: a catalogue text left untranslated, or a common English word."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings

from burenhulp.core.models import Neighbourhood, Street, User
from burenhulp.residents.models import Resident
from tests.conftest import totp_code
from tests.factories import UserFactory
from tests.pages import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words that are English and never Dutch (nor part of a name or street we use here).
ENGLISH = {
    "the", "and", "your", "you", "please", "with", "which", "enter", "password", "sign", "submit", "back", "next",
    "required", "field", "this", "that", "email", "address", "save", "cancel", "continue", "street", "queue",
    "residents", "volunteers", "reports", "settings", "print", "card", "neighbour", "help", "search", "phone",
    "call", "work", "manage", "confirm", "level", "waiting", "secret", "activate",
}  # fmt: skip


def _catalogue_english() -> set[str]:
    """English msgids of two words or more whose Dutch text differs: seeing one on a Dutch page means it slipped."""
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    out = set()
    for e in po:
        text = e.msgid
        if "%" in text or "{" in text or len(text.split()) < 2 or not e.msgstr or e.msgstr == text:
            continue
        out.add(text)
    return out


CATALOGUE = _catalogue_english()


def assert_dutch(page: Any, screen: str) -> None:
    text = page.locator("body").inner_text()
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    words = {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)}
    english = sorted(words & ENGLISH)
    slipped = sorted(m for m in CATALOGUE if m in text)
    assert not english and not slipped, f"English on the Dutch screen {screen}: {english} {slipped[:5]}"


def test_first_ten_minutes_of_a_new_coordinator(page: Any, live_server: Any, buurt: Neighbourhood) -> None:
    user: User = UserFactory(email="nieuwe-coordinator@example.org", first_name="Sofie")
    buurt.coordinators.add(user)
    page.context.add_cookies([{"name": "burenhulp_language", "value": "nl-be", "url": live_server.url}])

    # 1. Sign in.
    page.goto("/accounts/login/")
    assert_dutch(page, "sign in")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    # 2. Enrol the second factor: the page shows the secret an authenticator app reads.
    assert "/accounts/2fa/totp/activate" in page.url
    assert_dutch(page, "second factor")
    screenshot(page, "first-minutes-01-totp")
    secret = re.search(r"\b[A-Z2-7]{16,}\b", page.locator("main").inner_text() + page.content())
    assert secret, "the enrolment page shows the secret"
    page.fill("input[name=code]", totp_code(secret.group(0)))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    if "reauthenticate" in page.url:
        page.fill("input[name=password]", "correct-horse-battery")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
    assert_dutch(page, "after enrolment")

    # 3. Set the branding of her neighbourhood: found in the menu's "Beheer" group, no Django admin.
    page.goto("/coordinator/")
    page.locator("nav.coord-nav").get_by_role("link", name="Huisstijl").click()
    page.wait_for_load_state()
    assert page.url.endswith("/coordinator/branding/")
    assert_dutch(page, "branding")
    page.get_by_label("Naam die bewoners zien").fill("Zorgzaam Wakken")
    page.get_by_label("Contactregel").fill("Zorgpunt Wakken · 056 12 34 56")
    page.get_by_role("button", name="Huisstijl bewaren").click()
    page.wait_for_load_state()
    assert page.locator("header a.brand").inner_text().strip() == "Zorgzaam Wakken"  # at once, not after 5 minutes
    assert page.get_by_text("Zorgpunt Wakken · 056 12 34 56").first.is_visible()
    assert_dutch(page, "branding saved")
    assert_accessible(page)
    screenshot(page, "first-minutes-01b-branding")

    # 4. Import the streets: the municipality's list, as Excel with Belgian settings saves it.
    page.goto("/coordinator/residents/streets/")
    assert page.url.endswith("/coordinator/residents/streets/")
    assert_dutch(page, "streets")
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "straten.csv",
                "mimeType": "text/csv",
                "buffer": "\ufeffname;postcode;lat;lon\r\nKerkstraat;8720;50,9321;3,4011\r\nMolenweg;8720;50,9340;3,4050\r\n".encode(),
            }
        ],
    )
    page.locator("form:has(input[value=import]) button[type=submit]").click()
    page.wait_for_load_state()
    assert Street.objects.filter(buurt=buurt, name="Kerkstraat", lat=50.9321).exists()
    assert_dutch(page, "streets imported")
    assert_accessible(page)
    screenshot(page, "first-minutes-02-streets")

    # 5. Maria calls: enter her Burenbox by phone.
    page.goto("/coordinator/residents/new/")
    assert_dutch(page, "intake")
    page.get_by_label("De bewoner gaat akkoord").check()
    page.get_by_label("Hoe de bewoner akkoord gaf").select_option("verbal")
    page.get_by_label("Beste manier om de bewoner te bereiken").select_option("phone")
    page.get_by_label("Voornaam").fill("Maria")
    page.locator("#id_phone").fill("056 12 34 56")
    page.locator("#id_street").fill("Kerkstraat")
    page.locator("#id_house_number").fill("14")
    page.locator("#want-boodschappen").check()
    page.get_by_role("button", name="Bewaar de Burenbox").click()
    page.wait_for_load_state()
    maria = Resident.objects.get(first_name="Maria")
    assert maria.street is not None and maria.street.name == "Kerkstraat" and maria.lat == 50.9321
    assert_dutch(page, "intake saved")
    screenshot(page, "first-minutes-03-intake")

    # 6. Print her card: one A4 page.
    page.get_by_role("link", name="Deze kaart afdrukken").click()
    page.wait_for_load_state()
    assert page.get_by_text("Dag buur!").is_visible()
    card_brand = page.locator(".paper-brand").first.inner_text()
    assert "Zorgzaam Wakken" in card_brand and "Zorgpunt Wakken · 056 12 34 56" in card_brand
    assert_dutch(page, "print")
    screenshot(page, "first-minutes-04-print")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", page.pdf(format="A4"))) == 1
