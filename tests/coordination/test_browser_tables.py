"""The coordinator's working views in a real browser at a laptop (1280×800) and a phone (375×812): how many queue
items fit on one laptop screen, the grouped menu, the tables without JavaScript, axe-core and screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import TriageLevel
from burenhulp.residents.models import Resident
from tests.coordination.conftest import queued_request
from tests.factories import ResidentFactory
from tests.pages import assert_accessible, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def laptop(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=LAPTOP, bypass_csp=True, locale="nl-BE", base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def _fill(buurt: Neighbourhood, requester: Resident) -> None:
    descriptions = [
        "Ik krijg brieven van een deurwaarder en weet niet wat te doen.",
        "Schimmel in de slaapkamer en de huisbaas antwoordt niet.",
        "Mijn man is gevallen en ik kan hem niet alleen helpen.",
    ]
    for i in range(14):
        queued_request(
            requester,
            level=TriageLevel.CRISIS if i == 0 else TriageLevel.HEAVY,
            description=descriptions[i % 3],
        )
    for i in range(12):
        ResidentFactory(buurt=buurt, phone=f"0470 12 34 {i:02d}", offers=["hond", "boodschappen"])


def _rows_in_view(page: Any) -> int:
    return int(
        page.evaluate(
            """() => [...document.querySelectorAll('table.queue-table tbody tr')]
                 .filter(tr => { const r = tr.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })
                 .length"""
        )
    )


def test_queue_shows_at_least_eight_items_on_a_laptop_screen(
    laptop: Any, live_server: Any, coordinator: User, buurt: Neighbourhood, requester: Resident
) -> None:
    _fill(buurt, requester)
    browser_login(laptop, live_server.url, coordinator)
    laptop.goto("/coordinator/")
    assert laptop.evaluate("window.scrollY") == 0
    assert _rows_in_view(laptop) >= 8
    assert_accessible(laptop)
    screenshot(laptop, "coordinator-queue-1280")
    for path, name in (
        ("/coordinator/volunteers/", "coordinator-volunteers-1280"),
        ("/coordinator/residents/", "coordinator-residents-1280"),
    ):
        laptop.goto(path)
        assert laptop.locator("a[href^='tel:']").count() >= 10
        assert_accessible(laptop)
        screenshot(laptop, name)


def test_tables_work_on_a_phone_without_javascript(
    page_nojs: Any, page: Any, live_server: Any, coordinator: User, buurt: Neighbourhood, requester: Resident
) -> None:
    _fill(buurt, requester)
    browser_login(page_nojs, live_server.url, coordinator)
    page_nojs.goto("/coordinator/")
    page_nojs.select_option("#queue-level", "crisis")
    page_nojs.click("form.table-tools button[type=submit]")
    page_nojs.wait_for_load_state()
    assert "level=crisis" in page_nojs.url
    assert page_nojs.locator("table.queue-table tbody tr").count() == 1
    page_nojs.goto("/coordinator/volunteers/")
    page_nojs.fill("#vol-q", "0470 12 34 03")
    page_nojs.click("form.table-tools button[type=submit]")
    page_nojs.wait_for_load_state()
    assert page_nojs.locator("table.volunteer-table tbody tr").count() == 1

    browser_login(page, live_server.url, coordinator)
    for path, name in (
        ("/coordinator/", "coordinator-queue-375"),
        ("/coordinator/volunteers/", "coordinator-volunteers-375"),
        ("/coordinator/residents/", "coordinator-residents-375"),
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        # The grouped menu is four short lines, not six rows of links.
        assert page.locator("nav.coord-nav").bounding_box()["height"] < 260
        assert_accessible(page)
        screenshot(page, name)
