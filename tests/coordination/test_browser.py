"""Acceptance in a real browser (Chromium at a phone viewport): the coordinator's day, and axe-core on every page."""

from __future__ import annotations

from typing import Any

import pytest

from burenhulp.coordination.models import ProfessionalService, QueueKind, QueueStatus, Referral
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, MatchProposal, ProposalStatus, RequestStatus, TriageLevel
from burenhulp.residents.models import Resident
from tests.coordination.conftest import queued_request
from tests.pages import DEFAULT_LANGUAGE, assert_accessible_in, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_refers_releases_and_matches_by_hand(
    page: Any,
    live_server: Any,
    coordinator: User,
    requester: Resident,
    volunteer: Resident,
    service: ProfessionalService,
) -> None:
    heavy = queued_request(requester, description="De deurwaarder komt volgende week en ik heb schulden.")
    wrong = queued_request(
        requester, category="boodschappen", description="Kan iemand zware flessen water voor mij dragen?"
    )
    no_match = queued_request(
        requester,
        level=TriageLevel.LIGHT,
        kind=QueueKind.NO_MATCH,
        category="hond",
        description="Mijn hond uitlaten op dinsdag",
    )
    browser_login(page, live_server.url, coordinator)
    page.goto("/dashboard/")
    assert page.url.endswith("/coordinator/")
    screenshot(page, "coordinator-queue")

    # 1. A heavy request: refer it (consent first), then follow the referral to closed.
    page.click(f"a[href='/coordinator/item/{heavy.pk}/']")
    page.select_option("select[name=service]", str(service.pk))
    page.fill("#refer_note", "Zoon is aanwezig bij het gesprek")
    page.click("form:has(input[value=refer]) button[type=submit]")
    page.locator("#refer_consent_errors").wait_for()  # the page answers after a round trip
    assert page.locator("#refer_consent_errors").is_visible()
    assert page.locator("#refer_note").input_value() == "Zoon is aanwezig bij het gesprek"
    page.check("input[name=consent]")
    page.click("form:has(input[value=refer]) button[type=submit]")
    referral = Referral.objects.get()
    for status in ("contacted", "accepted", "closed"):
        page.select_option(f"#ref-status-{referral.pk}", status)
        page.click("form:has(input[value=referral_status]) button[type=submit]")
        page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.consent
    assert HelpRequest.objects.get(pk=heavy.request_id).status == RequestStatus.REFERRED
    assert AuditLog.objects.filter(action="view", subject_resident_id=requester.pk, actor=coordinator).exists()
    screenshot(page, "coordinator-item-referred")

    # 2. A wrongly flagged request: release it to neighbours; a proposal goes out.
    page.goto(f"/coordinator/item/{wrong.pk}/")
    page.fill("#release_reason", "Alleen dragen, ik sprak haar")
    page.click("form:has(input[value=release]) button[type=submit]")
    page.wait_for_load_state()
    released = HelpRequest.objects.get(pk=wrong.request_id)
    assert released.triage_level == TriageLevel.LIGHT and released.triage_overridden_by == coordinator
    assert MatchProposal.objects.filter(request=released, volunteer=volunteer).exists()
    screenshot(page, "coordinator-item-released")

    # 3. No neighbour said yes: match one by hand from the ranked candidates.
    page.goto(f"/coordinator/item/{no_match.pk}/")
    page.click(f"a[href='/coordinator/item/{no_match.pk}/match/']")
    # Nobody is pre-selected: the coordinator chooses after calling; the phone number is on the page.
    Resident.objects.filter(pk=volunteer.pk).update(phone="0470 11 22 33")
    page.reload()
    assert page.locator("input[name=volunteer]:checked").count() == 0
    assert page.locator("a[href^='tel:']").count() >= 1
    page.check(f"input[name=volunteer][value='{volunteer.pk}']")
    screenshot(page, "coordinator-match-by-hand")
    page.locator("main form:has(input[name=volunteer]) button[type=submit]").click()
    page.wait_for_load_state()
    assert (
        MatchProposal.objects.get(request_id=no_match.request_id, volunteer=volunteer).status == ProposalStatus.ACCEPTED
    )
    no_match.refresh_from_db()
    assert no_match.status == QueueStatus.CLOSED


COORDINATOR_PAGES = [
    "/coordinator/",
    "/coordinator/item/{item}/",
    "/coordinator/item/{light}/match/",
    "/coordinator/volunteers/",
    "/coordinator/calls/",
    "/coordinator/call-list/",
    "/coordinator/services/",
    "/coordinator/services/{service}/",
    "/coordinator/cards/",
    "/coordinator/reports/",
    "/coordinator/moderation/",
    "/coordinator/settings/",
    "/buurt/{slug}/doorverwijzen/",
    "/buurt/{slug}/doorverwijzen/bedankt/",
]


@pytest.mark.parametrize("lang", ["nl-be", "fr", "en"])
def test_every_coordinator_page_is_accessible(
    page: Any,
    live_server: Any,
    coordinator: User,
    requester: Resident,
    volunteer: Resident,
    service: ProfessionalService,
    buurt: Neighbourhood,
    lang: str,
) -> None:
    item = queued_request(requester, level=TriageLevel.CRISIS)
    light = queued_request(requester, level=TriageLevel.LIGHT, kind=QueueKind.NO_MATCH, category="boodschappen")
    Referral.objects.create(buurt=buurt, queue_item=item, service=service, consent=True, note="eerste gesprek")
    HelpRequest.objects.create(
        buurt=buurt, requester=requester, category="hond", description="x", status="done", triage_level="light"
    )
    browser_login(page, live_server.url, coordinator)
    page.goto("/coordinator/")
    page.click(f"form.language-switch button[value='{lang}']")
    page.wait_for_load_state()
    for template in COORDINATOR_PAGES:
        path = template.format(item=item.pk, light=light.pk, service=service.pk, slug=buurt.slug)
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang[:2]
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert_accessible_in(page, lang)
        if lang == DEFAULT_LANGUAGE:
            screenshot(page, f"coordinator{path.replace('/', '-').rstrip('-')}")


def test_reports_page_shows_the_charts_without_javascript(
    page_nojs: Any, live_server: Any, coordinator: User, requester: Resident, service: ProfessionalService
) -> None:
    HelpRequest.objects.create(
        buurt=requester.buurt, requester=requester, category="hond", description="x", status="done"
    )
    Referral.objects.create(buurt=requester.buurt, service=service, consent=True)
    browser_login(page_nojs, live_server.url, coordinator)
    page_nojs.goto("/coordinator/reports/")
    assert page_nojs.locator("svg.chart").count() >= 2
    assert page_nojs.locator("svg.chart title").first.text_content()
    screenshot(page_nojs, "coordinator-reports-nojs")
