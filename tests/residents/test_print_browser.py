"""Issue #16, print: a filled Burenbox card fits one A4 page (Chromium's own print to PDF) without the example hints
of the blank card; posters carry a phone number to call."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from burenhulp.core.categories import Category
from burenhulp.core.models import Neighbourhood, Street, User
from burenhulp.residents.models import Housemate, Resident
from tests.factories import ResidentFactory
from tests.pages import assert_accessible, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HINT = "blauwe deur"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.fixture
def filled(buurt: Neighbourhood) -> Resident:
    street = Street.objects.create(buurt=buurt, name="Sint-Jozefsstraat", lat=buurt.lat, lon=buurt.lon)
    resident: Resident = ResidentFactory(
        buurt=buurt,
        first_name="Godelieve",
        last_name="Vandenberghe-De Clercq",
        birth_date=date(1941, 3, 9),
        street=street,
        house_number="112 bus 3",
        house_description="Het huis met de groene luiken naast de bakker, bel twee keer en wacht even, ik ben wat traag",
        phone="056 12 34 56",
        other_contact="Via mijn dochter Annemie, 0470 12 34 56",
        favourites="Kuifje, de Vlaamse schlagers van vroeger en de radio op zondag",
        dream="Nog eens de zee zien in Oostende met mijn kleinkinderen",
        favourite_food="Stoofvlees met frietjes en een pintje",
        offers=[c.value for c in Category][:6],
        wants=[c.value for c in Category][6:],
    )
    for i, name in enumerate(["Jozef", "Annemie", "Lucienne", "Marcel"]):
        Housemate.objects.create(resident=resident, name=name, birthday=date(1950 + i, 1 + i, 1 + i))
    return resident


def test_filled_card_prints_on_one_a4_page_without_hints(
    page: Any, live_server: Any, coordinator: User, filled: Resident
) -> None:
    browser_login(page, live_server.url, coordinator)
    page.goto(f"/coordinator/residents/{filled.pk}/print/")
    card = page.locator("article.paper-card")
    assert "Godelieve" in card.inner_text() and "Marcel" in card.inner_text()
    assert HINT not in card.inner_text()
    assert_accessible(page)
    screenshot(page, "coordinator-print-card-375")
    assert pdf_pages(page.pdf(format="A4")) == 1

    page.goto("/coordinator/residents/blank-cards/")
    assert HINT in page.locator("article.paper-card").first.inner_text()  # the blank card keeps its example


def test_posters_carry_the_phone_number(page: Any, live_server: Any, coordinator: User, buurt: Neighbourhood) -> None:
    Neighbourhood.objects.filter(pk=buurt.pk).update(contact_phone="056 00 11 22")
    browser_login(page, live_server.url, coordinator)
    page.goto("/coordinator/residents/poster/")
    assert page.locator(".poster-call").count() == 2
    assert "056 00 11 22" in page.locator(".poster-call").first.inner_text()
    page.fill("#poster-phone", "0470 99 88 77")
    page.click("form.poster-phone-form button[type=submit]")
    page.wait_for_load_state()
    assert "0470 99 88 77" in page.locator(".poster-call").first.inner_text()
    assert_accessible(page)
    screenshot(page, "coordinator-posters-375")
    page.goto("/coordinator/residents/poster/?phone=<script>")
    assert page.locator(".errors").count() == 1 and "<script>" not in page.locator(".poster-call").first.inner_text()
    assert pdf_pages(page.pdf(format="A4")) == 2
