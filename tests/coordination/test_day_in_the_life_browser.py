"""Acceptance 2 of issue #13, in a real browser at 375 px: a day in the life of a coordinator serving people without
email. She enters Godelieve (84, no email) after a phone call and asks for a lift on her behalf; the only nearby
volunteer, Jef, has no email and appears on the call list; she records his yes; the confirmations and the follow-up
go the same way (call tasks). At the end no message is left unreached."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from burenhulp.core.models import AuditLog, Neighbourhood, Street, User
from burenhulp.helprequests.followups import followups_create_due
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.notifications.models import CallTask
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory
from tests.notifications.helpers import assert_nobody_unreached
from tests.pages import assert_accessible, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page: Any, task: CallTask, button: str) -> None:
    page.locator(f"#call-{task.pk} button[value={button}]").click()
    page.wait_for_load_state()


def test_a_day_in_the_life_without_email(page: Any, live_server: Any, coordinator: User, buurt: Neighbourhood) -> None:
    Street.objects.create(buurt=buurt, name="Kerkstraat", lat=buurt.lat, lon=buurt.lon)
    jef = ResidentFactory(
        buurt=buurt,
        email="",
        first_name="Jef",
        phone="051 22 33 44",
        offers=["chauffeur"],
        has_car=True,
        lat=buurt.lat + 0.002,
        lon=buurt.lon,
    )
    browser_login(page, live_server.url, coordinator)

    # 1. Godelieve calls: the coordinator enters her Burenbox (no email).
    page.goto("/coordinator/residents/new/")
    page.fill("#id_first_name", "Godelieve")
    page.fill("#id_last_name", "Vandenberghe")
    page.fill("#id_birth_date", (timezone.localdate() - timedelta(days=84 * 365 + 30)).isoformat())
    page.fill("#id_street", "Kerkstraat")
    page.fill("#id_house_number", "4")
    page.fill("#id_phone", "051 44 55 66")
    page.check("input[name=consent_given]")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    godelieve = Resident.objects.get(first_name="Godelieve")
    assert godelieve.email == "" and godelieve.user is None
    if godelieve.lat is None:  # placed on the map from her street
        Resident.objects.filter(pk=godelieve.pk).update(lat=buurt.lat, lon=buurt.lon)
    screenshot(page, "day-1-intake-saved")

    # 2. She asks for a lift to the doctor: the coordinator asks on her behalf.
    page.click(f"a[href='/coordinator/residents/{godelieve.pk}/ask/']")
    assert_accessible(page)
    page.check("input[name=came_in_by][value=phone]")
    page.check("input[name=category][value=chauffeur]")
    page.fill("#id_description", "Een lift naar de dokter, dinsdag in de voormiddag.")
    screenshot(page, "day-2-ask-on-behalf")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    hr = HelpRequest.objects.get(requester=godelieve)
    assert hr.came_in_by == "phone" and hr.status == RequestStatus.PROPOSED
    assert "Te bellen" in page.locator(".messages").inner_text()  # "1 van hen heeft geen e-mail: die staat bij …"

    # 3. Jef, the only nearby volunteer, has no email: he is on the call list with his number and what to say.
    page.click("a[href='/coordinator/call-list/']")
    proposal_call = CallTask.objects.open().get(resident=jef)
    row = page.locator(f"#call-{proposal_call.pk}")
    assert row.locator("a[href='tel:051 22 33 44']").is_visible()
    assert "Kerkstraat" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 or page.locator(".table-wrap").count()
    assert_accessible(page)
    screenshot(page, "day-3-call-list-jef")

    # 4. She phones Jef; he says yes.
    _answer(page, proposal_call, "accepted")
    assert MatchProposal.objects.get(request=hr, volunteer=jef).status == ProposalStatus.ACCEPTED
    hr.refresh_from_db()
    assert hr.status == RequestStatus.MATCHED
    assert AuditLog.objects.filter(actor=coordinator, target_type="notifications.calltask").exists()
    screenshot(page, "day-4-jef-said-yes")

    # 5. Both confirmations are calls too: Jef hears the address, Godelieve hears who comes.
    to_jef = CallTask.objects.open().get(resident=jef, template="accepted_volunteer")
    to_godelieve = CallTask.objects.open().get(resident=godelieve, template="accepted_requester")
    assert "Kerkstraat 4" in to_jef.say and "Jef" in to_godelieve.say
    _answer(page, to_jef, "reached")
    _answer(page, to_godelieve, "reached")
    assert not CallTask.objects.open().exists()
    screenshot(page, "day-5-confirmations-told")

    # 6. A week later: the follow-up for both sides lands on the call list; she writes down their answers.
    HelpRequest.objects.filter(pk=hr.pk).update(matched_at=timezone.now() - timedelta(days=8))
    assert followups_create_due() == 2
    page.goto("/coordinator/call-list/")
    screenshot(page, "day-6-follow-ups")
    for task in CallTask.objects.open().filter(template="follow_up"):
        page.select_option(f"#happened-{task.pk}", "yes")
        _answer(page, task, "answered")
    assert FollowUp.objects.filter(request=hr, answered_at__isnull=False, happened="yes").count() == 2
    assert not CallTask.objects.open().exists()
    assert_accessible(page)
    screenshot(page, "day-7-nobody-to-call")
    assert_nobody_unreached()
