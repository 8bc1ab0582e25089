"""In a real browser at 375 px: a resident asks for help, a volunteer accepts by web, both see the right details,
and both answer the follow-up. axe-core on every page in nl, fr and en."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests import followups
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal
from burenhulp.residents.models import Resident
from tests.pages import assert_accessible, assert_accessible_in, browser_login, screenshot
from tests.requests.helpers import CRISIS, helper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WIDEST = """() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 376)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.evaluate(WIDEST)


def test_ask_accept_and_follow_up_at_375px(
    page: Any, live_server: Any, chromium: Any, buurt: Neighbourhood, requester: Resident
) -> None:
    requester.phone = "0470 99 88 77"
    requester.house_number = "23"
    requester.save()
    volunteer = helper(buurt, 150, email="vera@example.org", first_name="Vera", phone="0485 12 12 12")

    # 1. The resident asks for help.
    browser_login(page, live_server.url, requester.user)
    page.goto("/help/ask/")
    assert_accessible(page)
    fits(page)
    page.locator("input[value=boodschappen]").check()
    page.locator("textarea[name=description]").fill("Kan iemand zaterdag brood en melk meebrengen?")
    screenshot(page, "requests-ask")
    page.locator("button[type=submit].button-big").click()
    page.wait_for_url("**/help/request/**")
    assert_accessible(page)
    fits(page)
    screenshot(page, "requests-confirmation")
    hr = HelpRequest.objects.get()
    assert hr.status == "proposed"
    proposal = MatchProposal.objects.get(request=hr, volunteer=volunteer)

    # 2. The volunteer sees the proposal without the address, and accepts by web.
    other = chromium.new_context(viewport={"width": 375, "height": 812}, bypass_csp=True, locale="nl-BE")
    vpage = other.new_page()
    browser_login(vpage, live_server.url, volunteer.user)
    vpage.goto(live_server.url + "/help/proposals/")
    assert_accessible(vpage)
    vpage.locator(f"a[href='/help/proposals/{proposal.public_id}/']").click()
    assert "0470 99 88 77" not in vpage.content()
    assert_accessible(vpage)
    fits(vpage)
    screenshot(vpage, "requests-proposal")
    vpage.locator("button[name=action][value=accept]").click()
    vpage.wait_for_load_state()
    body = vpage.locator("main").inner_text()
    assert "0470 99 88 77" in body and "23" in body
    assert_accessible(vpage)
    fits(vpage)
    screenshot(vpage, "requests-accepted-volunteer")

    # 3. The requester sees who helps.
    page.reload()
    assert "Vera" in page.locator("main").inner_text() and "0485 12 12 12" in page.locator("main").inner_text()
    screenshot(page, "requests-matched-requester")

    # 4. After the date both answer the follow-up.
    followups.followups_create_due(timezone.now() + timedelta(days=8))
    fu_req = FollowUp.objects.get(request=hr, respondent=requester)
    fu_vol = FollowUp.objects.get(request=hr, respondent=volunteer)
    page.goto(f"/help/follow-up/{fu_req.public_id}/")
    assert_accessible(page)
    fits(page)
    page.locator("input[name=happened][value=yes]").check()
    page.locator("input[name=rating][value='5']").check()
    screenshot(page, "requests-follow-up")
    page.locator("main button[type=submit]:not([name])").click()
    page.wait_for_load_state()
    vpage.goto(live_server.url + f"/help/follow-up/{fu_vol.public_id}/")
    vpage.locator("input[name=happened][value=yes]").check()
    vpage.locator("input[name=too_much]").check()
    vpage.locator("main button[type=submit]:not([name])").click()
    vpage.wait_for_load_state()
    fu_req.refresh_from_db()
    fu_vol.refresh_from_db()
    assert fu_req.happened == "yes" and fu_req.rating == 5
    assert fu_vol.happened == "yes" and fu_vol.too_much
    screenshot(vpage, "requests-follow-up-done")
    other.close()


@pytest.mark.parametrize("language", ["nl-be", "fr", "en"])
def test_pages_pass_axe_in_three_languages(
    page: Any, live_server: Any, buurt: Neighbourhood, requester: Resident, language: str
) -> None:
    requester.user.language = language
    requester.user.save()
    browser_login(page, live_server.url, requester.user)
    page.context.add_cookies([{"name": "burenhulp_language", "value": language, "url": live_server.url}])
    page.goto("/help/ask/")
    assert page.locator("html").get_attribute("lang") == language[:2]
    assert_accessible_in(page, language)
    # A crisis confirmation: the emergency numbers at once.
    page.locator("input[value=andere]").check()
    page.locator("textarea[name=description]").fill(CRISIS)
    page.locator("button[type=submit].button-big").click()
    page.wait_for_url("**/help/request/**")
    # The suicide prevention line of the reader's language (French: the Centre de Prévention du Suicide).
    suicide_line = "080032123" if language.startswith("fr") else "1813"
    assert page.locator(f".emergency a[href='tel:{suicide_line}']").is_visible()
    assert_accessible_in(page, language)
    fits(page)
    screenshot(page, f"requests-crisis-{language}")
    page.goto("/help/mine/")
    assert_accessible_in(page, language)
    page.goto("/help/proposals/")
    assert_accessible_in(page, language)
