"""DESIGN §12 in a real browser at 375 px (one screenshot per invariant): cancel keeps a crisis item open, release
needs a reason and a confirmation, one check-in per resident, the crisis page at 320 px, a volunteer steps back from
the email link, signed follow-up links, a blocked volunteer's link stops working, and the referral named."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from burenhulp.coordination import services as coordination
from burenhulp.coordination.models import ProfessionalService, QueueItem, QueueKind, QueueStatus
from burenhulp.core.models import User
from burenhulp.helprequests import services
from burenhulp.helprequests.models import FollowUp, MatchProposal, ProposalStatus, TriageLevel
from burenhulp.notifications import links
from burenhulp.residents.models import Resident
from tests.pages import assert_accessible, browser_login, screenshot
from tests.requests.helpers import CRISIS, HEAVY, LIGHT, helper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Any, width: int = 375) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _link(url: str, live_server: Any) -> str:
    return url.replace(settings.SITE_URL, live_server.url)


def test_a_cancelled_crisis_stays_open_and_release_needs_a_reason_and_confirmation(
    page: Any, live_server: Any, coordinator: User, requester: Resident
) -> None:
    hr = services.request_create(requester=requester, category="andere", description=CRISIS)
    services.request_cancel(request=hr, by=requester.user)
    item = QueueItem.objects.get(request=hr, kind=QueueKind.TRIAGE)
    browser_login(page, live_server.url, coordinator)
    page.goto(f"/coordinator/item/{item.pk}/")
    assert page.locator(".notice-cancelled").is_visible()
    assert_accessible(page)
    fits(page)
    screenshot(page, "signals-cancelled-crisis-stays-open")
    assert page.locator("form:has(input[value=release])").count() == 0  # nothing to release any more

    other = services.request_create(requester=requester, category="andere", description=CRISIS)
    item = QueueItem.objects.get(request=other, kind=QueueKind.TRIAGE)
    page.goto(f"/coordinator/item/{item.pk}/")
    page.click("form:has(input[value=release]) button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#release_reason_errors").is_visible()
    page.fill("#release_reason", "Gesproken met haar dochter")
    page.click("form:has(input[value=release]) button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#release_reason").input_value() == "Gesproken met haar dochter"
    item.refresh_from_db()
    assert item.status == QueueStatus.OPEN  # a crisis needs the confirmation too
    assert page.locator("#release_confirm").is_visible()
    assert_accessible(page)
    screenshot(page, "signals-release-needs-reason-and-confirmation")


def test_one_check_in_per_resident_never_crisis_in_the_queue(
    page: Any, live_server: Any, coordinator: User, requester: Resident
) -> None:
    Resident.objects.filter(pk=requester.pk).update(needs_follow_up=True)
    requester.refresh_from_db()
    for _ in range(3):
        services.request_create(requester=requester, category="andere", description=CRISIS)
    browser_login(page, live_server.url, coordinator)
    page.goto("/coordinator/?kind=check_in")
    rows = QueueItem.objects.filter(kind=QueueKind.CHECK_IN, status=QueueStatus.OPEN)
    assert rows.count() == 1 and rows.get().level == TriageLevel.HEAVY
    assert page.locator(f"a[href='/coordinator/item/{rows.get().pk}/']").count() >= 1
    assert_accessible(page)
    fits(page)
    screenshot(page, "signals-one-check-in-per-resident")


@pytest.mark.parametrize("width", [320, 375])
def test_the_crisis_page_fits_and_names_the_hours(page: Any, live_server: Any, requester: Resident, width: int) -> None:
    hr = services.request_create(requester=requester, category="andere", description=CRISIS)
    page.set_viewport_size({"width": width, "height": 800})
    browser_login(page, live_server.url, requester.user)
    page.goto(f"/help/request/{hr.public_id}/")
    fits(page, width)
    html = page.content()
    assert "1712: 1712" not in html and "flexibel" not in html.lower()
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('.emergency-numbers li *')].map(e => e.getBoundingClientRect().right)"
    )
    assert max(boxes) <= width
    assert_accessible(page)
    screenshot(page, f"signals-crisis-page-{width}px")


def test_a_volunteer_steps_back_from_the_email_link_and_answers_the_follow_up(
    page: Any, live_server: Any, buurt: Any, requester: Resident
) -> None:
    near = helper(buurt, 100, email="near@example.org", first_name="Nora")
    hr = services.request_create(requester=requester, category="boodschappen", description=LIGHT)
    proposal = services.proposal_accept(proposal=MatchProposal.objects.get(request=hr, volunteer=near), by=None)
    url = _link(links.action_url("step_back", proposal.public_id), live_server)
    page.goto(url)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED  # opening the link changes nothing
    assert_accessible(page)
    fits(page)
    screenshot(page, "signals-step-back-confirm")
    page.fill("textarea[name=reason]", "Ik ben ziek")
    page.click("form.confirm-form button[type=submit]")
    page.wait_for_load_state()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN and proposal.step_back_reason == "Ik ben ziek"
    page.goto(url)
    assert_accessible(page)
    screenshot(page, "signals-step-back-used-twice")

    fu = FollowUp.objects.create(request=hr, respondent=requester, role=FollowUp.Role.REQUESTER)
    answer = _link(links.action_url("follow_up", fu.public_id), live_server)
    page.goto(answer)
    assert_accessible(page)
    fits(page)
    screenshot(page, "signals-follow-up-link")
    page.check("input[name=happened][value=no]")
    page.locator("form:has(input[name=happened]) .actions button").click()
    page.wait_for_load_state()
    fu.refresh_from_db()
    assert fu.answered_at is not None


def test_a_blocked_volunteers_link_stops_working(
    page: Any, live_server: Any, buurt: Any, requester: Resident, coordinator: User
) -> None:
    near = helper(buurt, 100, email="near@example.org")
    hr = services.request_create(requester=requester, category="boodschappen", description=LIGHT)
    proposal = MatchProposal.objects.get(request=hr, volunteer=near)
    coordination.resident_moderate(resident=near, action="block", by=coordinator)
    page.goto(_link(links.proposal_url(proposal.public_id, "accept"), live_server))
    assert page.locator("form.confirm-form").count() == 0
    assert_accessible(page)
    screenshot(page, "signals-blocked-volunteer-link-closed")
    near.user.refresh_from_db()
    assert near.user.is_active  # the Burenbox is blocked, not the account


def test_after_a_referral_the_resident_sees_the_service_and_its_phone(
    page: Any, live_server: Any, requester: Resident, coordinator: User
) -> None:
    service = ProfessionalService.objects.create(buurt=requester.buurt, name="CAW Wakken", kind="caw", phone="056 123")
    hr = services.request_create(requester=requester, category="documenten", description=HEAVY)
    coordination.item_refer(
        item=QueueItem.objects.get(request=hr, kind=QueueKind.TRIAGE), service=service, consent=True, by=coordinator
    )
    browser_login(page, live_server.url, requester.user)
    page.goto(f"/help/request/{hr.public_id}/")
    assert page.get_by_text("CAW Wakken").first.is_visible() and page.get_by_text("056 123").first.is_visible()
    assert_accessible(page)
    fits(page)
    screenshot(page, "signals-referral-named")
