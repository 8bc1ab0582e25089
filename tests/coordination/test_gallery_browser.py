"""Issue #16, acceptance 1: every coordinator page at the smallest phone (320 px), a phone (375 px) and a laptop
(1280 px), with data on it:
axe-core finds nothing, nothing is wider than the screen, and a screenshot of each lands in
test-artifacts/screenshots/ (docs/gallery.md shows a few)."""

from __future__ import annotations

from typing import Any

import pytest

from burenhulp.coordination.models import ProfessionalService, QueueKind, Referral
from burenhulp.core.models import Neighbourhood, Street, User
from burenhulp.helprequests.models import HelpRequest, TriageLevel
from burenhulp.residents import services as resident_services
from burenhulp.residents.models import Resident
from tests.coordination.conftest import queued_request
from tests.factories import ResidentFactory
from tests.pages import assert_accessible, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("queue", "/coordinator/"),
    ("item", "/coordinator/item/{item}/"),
    ("match", "/coordinator/item/{light}/match/"),
    ("residents", "/coordinator/residents/"),
    ("intake-new", "/coordinator/residents/new/"),
    ("intake-edit", "/coordinator/residents/{resident}/"),
    ("streets", "/coordinator/residents/streets/"),
    ("volunteers", "/coordinator/volunteers/"),
    ("calls", "/coordinator/calls/"),
    ("cards", "/coordinator/cards/"),
    ("moderation", "/coordinator/moderation/"),
    ("services", "/coordinator/services/"),
    ("service-edit", "/coordinator/services/{service}/"),
    ("reports", "/coordinator/reports/"),
    ("settings", "/coordinator/settings/"),
    ("branding", "/coordinator/branding/"),
    ("blank-cards", "/coordinator/residents/blank-cards/"),
    ("posters", "/coordinator/residents/poster/"),
    ("print-card", "/coordinator/residents/{resident}/print/"),
]


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_every_coordinator_page_at_phone_and_laptop_width(
    chromium: Any,
    live_server: Any,
    coordinator: User,
    buurt: Neighbourhood,
    requester: Resident,
    volunteer: Resident,
    service: ProfessionalService,
    width: int,
) -> None:
    Street.objects.create(buurt=buurt, name="Kerkstraat", postcode="8720", lat=buurt.lat, lon=buurt.lon)
    Resident.objects.filter(pk__in=[requester.pk, volunteer.pk]).update(phone="056 12 34 56")
    resident_services.resident_update(resident=requester, data={"street": "Kerkstaart"})  # a typo, to confirm
    item = queued_request(requester, level=TriageLevel.CRISIS, description="Ik voel me niet veilig thuis")
    for i in range(9):
        queued_request(requester, description=f"Brieven van de deurwaarder, vraag {i}")
    light = queued_request(requester, level=TriageLevel.LIGHT, kind=QueueKind.NO_MATCH, category="boodschappen")
    Referral.objects.create(buurt=buurt, queue_item=item, service=service, consent=True, note="eerste gesprek")
    HelpRequest.objects.create(
        buurt=buurt, requester=requester, category="hond", description="x", status="done", triage_level="light"
    )
    for i in range(6):
        ResidentFactory(buurt=buurt, phone=f"0470 12 34 {i:02d}", offers=["hond"])
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
        for name, template in PAGES:
            path = template.format(item=item.pk, light=light.pk, service=service.pk, resident=requester.pk)
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            assert_accessible(page)
            screenshot(page, f"coordinator-{name}-{width}")
    finally:
        context.close()
