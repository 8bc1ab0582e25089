"""The Burenbox in a real browser at 375×812: sign up, fill the whole card, pause and resume, print; a coordinator's
intake; and axe-core on every resident page in Dutch, French and English. Screenshots go to test-artifacts/."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from PIL import Image

from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Consent, Resident
from tests.factories import ResidentFactory, StreetFactory, UserFactory
from tests.pages import assert_accessible_in, browser_login, screenshot
from tests.realparts import ARTIFACTS
from tests.residents.conftest import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def test_a_new_resident_signs_up_fills_the_card_pauses_resumes_and_prints(
    page: Any, live_server: Any, buurt: Neighbourhood, mailoutbox: list[Any], tmp_path: Path
) -> None:
    cache.clear()  # allauth's rate limits live in this run's own Redis database
    StreetFactory(buurt=buurt, name="Kerkstraat")
    page.goto(f"/buurt/{buurt.slug}/join/")
    screenshot(page, "burenbox-01-join")
    page.get_by_role("link", name="Maak een account").click()
    page.get_by_label("E-mail").first.fill("mieke@example.org")
    page.locator("input[name=password1]").fill("zonnebloem-Tuin-42")
    page.locator("input[name=password2]").fill("zonnebloem-Tuin-42")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert mailoutbox, "no verification email was sent"
    code = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", mailoutbox[-1].body, re.M)
    assert code, mailoutbox[-1].body
    page.locator("input[name=code]").fill(code.group(1))
    screenshot(page, "burenbox-01b-code")
    page.locator("input[name=code]").press("Enter")
    page.wait_for_load_state()
    if f"/buurt/{buurt.slug}/join/" not in page.url:
        page.goto("/dashboard/")
    assert f"/buurt/{buurt.slug}/join/" in page.url
    page.get_by_label("Voornaam").fill("Mieke")
    page.locator("#id_consent").check()
    screenshot(page, "burenbox-02-consent")
    page.get_by_role("button", name="Start mijn Burenbox").click()

    # Step 1: about me
    assert "/burenbox/step/me/" in page.url
    page.get_by_label("Achternaam").fill("Peeters")
    page.get_by_label("Mijn verjaardag").fill("1946-05-17")
    page.locator("#id_hm-0-name").fill("Jozef")
    page.locator("#id_hm-0-birthday").fill("1944-11-02")
    page.get_by_label("Straat").fill("Kerkstraat")
    page.get_by_label("Huisnummer").fill("12B")
    page.get_by_label("Mijn huis").fill("Groen huis met een bank voor de deur")
    page.get_by_label("Telefoon").fill("051 12 34 56")
    page.get_by_label("Nog een manier om mij te bereiken").fill("Bel twee keer")
    fits(page)
    screenshot(page, "burenbox-03-step-me")
    page.get_by_role("button", name="Bewaar en ga verder").click()
    # Step 2: the help table
    assert "/burenbox/step/help/" in page.url
    for slug in ("planten", "samen", "hond"):
        page.locator(f"#offer-{slug}").check()
    for slug in ("boodschappen", "chauffeur"):
        page.locator(f"#want-{slug}").check()
    fits(page)
    screenshot(page, "burenbox-04-step-help")
    page.get_by_role("button", name="Bewaar en ga verder").click()
    # Step 3: more about me
    page.get_by_label("Mijn lievelingsboek, -film of -muziek").fill("De Witte van Sichem")
    page.get_by_label("Iets wat ik ooit nog wil doen").fill("Een ballonvaart")
    page.get_by_label("Wat ik elke dag zou kunnen eten").fill("Stoverij met frietjes")
    page.get_by_label("Nederlands").check()
    page.get_by_label("Français").check()
    screenshot(page, "burenbox-05-step-more")
    page.get_by_role("button", name="Bewaar en ga verder").click()
    # Step 4: photo
    photo = tmp_path / "mieke.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(400, 300)))
    page.locator("input[type=file]").set_input_files(str(photo))
    screenshot(page, "burenbox-06-step-photo")
    page.get_by_role("button", name="Bewaar en ga verder").click()
    # Step 5: when and how much
    assert "/burenbox/step/when/" in page.url
    page.locator("#av-1-morning").check()
    page.locator("#av-3-afternoon").check()
    page.get_by_label("Ik heb een auto en kan iemand meenemen").check()
    page.get_by_label("Hoogstens zoveel keer helpen tegelijk").fill("1")
    fits(page)
    screenshot(page, "burenbox-07-step-when")
    page.get_by_role("button", name="Bewaar en ga verder").click()
    # Step 6: sharing
    page.get_by_label("Buren mogen mijn kaart zien").check()
    page.get_by_label("mijn foto of tekening").check()
    page.get_by_label("mijn straat (nooit het huisnummer)").check()
    screenshot(page, "burenbox-08-step-sharing")
    page.get_by_role("button", name="Bewaar en klaar").click()

    assert page.url.endswith("/burenbox/")
    mieke = Resident.objects.get(user__email="mieke@example.org")
    assert mieke.last_name == "Peeters" and mieke.house_number == "12B" and mieke.street.name == "Kerkstraat"
    assert [h.name for h in mieke.housemates.all()] == ["Jozef"]
    assert mieke.offered_categories() == {"planten", "samen", "hond"}
    assert mieke.wanted_categories() == {"boodschappen", "chauffeur"}
    assert mieke.availability == [{"day": 1, "part": "morning"}, {"day": 3, "part": "afternoon"}]
    assert mieke.has_car and mieke.max_active_matches == 1 and mieke.languages == ["nl", "fr"]
    assert mieke.photo and "photo" in mieke.shared_fields and "street" in mieke.shared_fields
    assert mieke.consents.filter(purpose=Consent.Purpose.SHARE_PROFILE, withdrawn_at__isnull=True).exists()
    assert mieke.favourite_food == "Stoverij met frietjes"
    screenshot(page, "burenbox-09-mine")

    # Pause and resume, one tap each
    page.get_by_role("button", name="2 weken pauze").click()
    assert page.get_by_text("Je neemt pauze tot").first.is_visible()
    mieke.refresh_from_db()
    assert mieke.is_paused()
    screenshot(page, "burenbox-10-paused")
    page.get_by_role("button", name="Weer helpen").click()
    mieke.refresh_from_db()
    assert not mieke.is_paused()
    screenshot(page, "burenbox-11-resumed")

    # Print the card
    page.get_by_role("link", name="Mijn kaart afdrukken").click()
    assert page.get_by_text("Dag buur!").is_visible()
    photo = page.locator(".paper-card img")
    photo.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done, {once: true}))")
    assert photo.evaluate("img => img.naturalWidth") > 0  # the photo loads
    page.emulate_media(media="print")
    screenshot(page, "burenbox-12-print")
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "screenshots" / "burenbox-card.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_a_coordinator_enters_a_resident_without_email_and_prints_the_card(
    page: Any, live_server: Any, buurt: Neighbourhood, coordinator: User
) -> None:
    browser_login(page, live_server.url, coordinator)
    page.goto("/coordinator/residents/new/")
    page.get_by_label("De bewoner gaat akkoord").check()
    page.get_by_label("Hoe de bewoner akkoord gaf").select_option("verbal")
    page.get_by_label("Beste manier om de bewoner te bereiken").select_option("relative")
    page.get_by_label("Hoe je de bewoner bereikt").fill("Via haar zoon Jan, 0470 12 34 56")
    page.get_by_label("Voornaam").fill("Maria")
    page.locator("#id_street").fill("Dorpsplaats")
    page.locator("#id_house_number").fill("3 bus 2")
    page.locator("#want-boodschappen").check()
    page.locator("#offer-samen").check()
    fits(page)
    screenshot(page, "burenbox-coordinator-01-intake")
    page.get_by_role("button", name="Bewaar de Burenbox").click()
    maria = Resident.objects.get(first_name="Maria")
    assert maria.user is None and maria.created_by == coordinator and maria.contact_via == "relative"
    assert f"/coordinator/residents/{maria.pk}/" in page.url
    page.get_by_role("link", name="Deze kaart afdrukken").click()
    assert page.get_by_text("Dag buur!").is_visible()
    screenshot(page, "burenbox-coordinator-02-print")
    page.goto("/coordinator/residents/poster/")
    page.emulate_media(media="print")
    screenshot(page, "burenbox-coordinator-03-poster")


def _pages_for(buurt: Neighbourhood, live_server: Any) -> tuple[User, User, User, list[tuple[str, str]]]:
    """A resident with a full card and a shared neighbour, a user without a profile, and the coordinator."""
    resident_user = UserFactory(email="axe-resident@example.org")
    resident = ResidentFactory(
        buurt=buurt,
        user=resident_user,
        first_name="Anna",
        offers=["hond"],
        wants=["tuin"],
        shared_fields=["offers", "wants", "languages", "street", "favourites"],
        favourites="Jazz",
        availability=[{"day": 0, "part": "morning"}],
    )
    resident.housemates.create(name="Bert")
    neighbour = ResidentFactory(buurt=buurt, first_name="Nele", offers=["planten"], shared_fields=["offers", "wants"])
    Consent.objects.create(resident=neighbour, purpose="share_profile", text_version="t")
    Consent.objects.create(resident=resident, purpose="share_profile", text_version="t")
    Consent.objects.create(resident=resident, purpose="platform", text_version="t")
    newcomer = UserFactory(email="axe-newcomer@example.org")
    coordinator = UserFactory(email="axe-coordinator@example.org")
    buurt.coordinators.add(coordinator)
    from tests.conftest import enrol_totp

    enrol_totp(coordinator)
    urls = [
        ("anon", "/burenbox/join/"),
        ("anon", f"/buurt/{buurt.slug}/join/"),
        ("newcomer", f"/buurt/{buurt.slug}/join/"),
        *[("resident", f"/burenbox/step/{s}/") for s in ("me", "help", "more", "photo", "when", "sharing")],
        ("resident", "/burenbox/"),
        ("resident", "/burenbox/neighbours/"),
        ("resident", "/burenbox/print/"),
        ("coordinator", "/coordinator/residents/"),
        ("coordinator", "/coordinator/residents/new/"),
        ("coordinator", f"/coordinator/residents/{resident.pk}/"),
        ("coordinator", f"/coordinator/residents/{resident.pk}/print/"),
        ("coordinator", "/coordinator/residents/blank-cards/"),
        ("coordinator", "/coordinator/residents/poster/"),
    ]
    return resident_user, newcomer, coordinator, urls


@pytest.mark.parametrize("lang", ["nl-be", "fr", "en"])
def test_every_burenbox_page_has_no_axe_violations(
    chromium: Any, live_server: Any, buurt: Neighbourhood, lang: str
) -> None:
    resident_user, newcomer, coordinator, urls = _pages_for(buurt, live_server)
    users = {"anon": None, "newcomer": newcomer, "resident": resident_user, "coordinator": coordinator}
    failures: dict[str, Any] = {}
    for who, user in users.items():
        context = chromium.new_context(
            viewport={"width": 375, "height": 812}, bypass_csp=True, base_url=live_server.url
        )
        context.add_cookies([{"name": "burenhulp_language", "value": lang, "url": live_server.url}])
        pg = context.new_page()
        if user is not None:
            browser_login(pg, live_server.url, user)
        for owner, url in urls:
            if owner != who:
                continue
            response = pg.goto(url)
            assert response is not None and response.status == 200, (who, url, response and response.status)
            assert pg.locator("html").get_attribute("lang") == lang[:2]
            fits(pg)
            try:
                assert_accessible_in(pg, lang)
            except AssertionError as exc:
                failures[f"{who} {url}"] = str(exc)[:1500]
            if lang == "nl-be":
                screenshot(pg, "burenbox-axe-" + re.sub(r"[^a-z0-9]+", "-", f"{who}{url}").strip("-"))
        context.close()
    assert failures == {}, failures


def test_the_step_form_works_without_javascript(page_nojs: Any, live_server: Any, requester: Resident) -> None:
    browser_login(page_nojs, live_server.url, requester.user)
    page_nojs.goto("/burenbox/step/help/")
    page_nojs.locator("#offer-tuin").check()
    page_nojs.get_by_role("button", name="Bewaar en stop voorlopig").click()
    assert page_nojs.url.endswith("/burenbox/")
    assert "tuin" in requester.offered_categories()
    page_nojs.get_by_role("button", name="2 weken pauze").click()
    requester.refresh_from_db()
    assert requester.is_paused()


def test_a_stored_photo_has_no_exif(page: Any, live_server: Any, requester: Resident, tmp_path: Path) -> None:
    from tests.residents.test_photos import jpeg_with_gps

    browser_login(page, live_server.url, requester.user)
    page.goto("/burenbox/step/photo/")
    upload = tmp_path / "gps.jpg"
    upload.write_bytes(jpeg_with_gps())
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Bewaar en ga verder").click()
    requester.refresh_from_db()
    served = page.request.get(f"/burenbox/photo/{requester.public_id}/").body()
    assert dict(Image.open(io.BytesIO(served)).getexif()) == {} and b"Exif" not in served


def test_the_resident_pages_fit_a_320_px_screen(page: Any, live_server: Any, requester: Resident) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(page, live_server.url, requester.user)
    for url in [f"/burenbox/step/{s}/" for s in ("me", "help", "more", "photo", "when", "sharing")] + [
        "/burenbox/",
        "/burenbox/print/",
    ]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
