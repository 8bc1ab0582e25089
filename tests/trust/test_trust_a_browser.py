"""Pages changed for issue #14 (L6, L8) in a real browser at 375 px: a newcomer awaiting approval on the neighbours
page, and a request that waits for a coordinator. Accessible (axe-core), in Dutch."""

from __future__ import annotations

from typing import Any

import pytest

from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.services import request_create
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory, UserFactory
from tests.pages import assert_accessible, browser_login, screenshot
from tests.requests.helpers import LIGHT

pytestmark = pytest.mark.browser


@pytest.fixture
def newcomer(buurt: Neighbourhood) -> Resident:
    buurt.requires_approval = True
    buurt.save(update_fields=["requires_approval"])
    user = UserFactory(email="newcomer@example.org")
    return ResidentFactory(buurt=buurt, user=user, email=user.email, approved=False)


def test_a_newcomer_sees_why_there_are_no_cards(page: Any, live_server: Any, newcomer: Resident) -> None:
    browser_login(page, live_server.url, newcomer.user)
    page.goto("/burenbox/neighbours/")
    assert "bekijkt nieuwe profielen eerst" in page.locator(".notice").inner_text()
    assert_accessible(page)
    screenshot(page, "trust-l6-neighbours-awaiting-approval")


def test_a_held_request_says_a_coordinator_looks_first(
    page: Any, live_server: Any, newcomer: Resident, coordinator: User
) -> None:
    hr = request_create(requester=newcomer, category="boodschappen", description=LIGHT, by=newcomer.user)
    assert hr.status == "queued"
    browser_login(page, live_server.url, newcomer.user)
    page.goto(f"/help/request/{hr.public_id}/")
    assert "Er is nog geen buur gemaild" in page.locator(".status-box").inner_text()
    assert_accessible(page)
    screenshot(page, "trust-l6-request-waits-for-coordinator")
