"""Resident pages: asking, confirmation (crisis numbers), proposals, contact details only after acceptance, follow-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from burenhulp.coordination.models import QueueItem
from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests import followups, services
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.requests.helpers import CRISIS, LIGHT, helper

pytestmark = pytest.mark.django_db


def post_ask(client: Client, **data: str) -> object:
    return client.post(
        reverse("requests:new"), {"category": "boodschappen", "description": LIGHT, "when": "flexible", **data}
    )


def test_asking_shows_every_category_with_words(requester: Resident) -> None:
    page = web_client(requester.user).get(reverse("requests:new"))
    assert page.status_code == 200
    html = page.content.decode()
    for slug in ("boodschappen", "babysit", "andere"):
        assert f'value="{slug}"' in html
    assert 'type="radio"' in html and "aria-hidden" in html


def test_bad_input_keeps_what_was_typed(requester: Resident) -> None:
    client = web_client(requester.user)
    answer = post_ask(client, description="Melk graag", category="nope")
    assert answer.status_code == 200
    assert "Melk graag" in answer.content.decode()
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    answer = post_ask(client, when="day", day=past)
    assert answer.status_code == 200 and 'aria-invalid="true"' in answer.content.decode()
    long = post_ask(client, description="x" * 10_000)
    assert long.status_code == 200
    assert HelpRequest.objects.count() == 0


def test_light_request_confirmation_says_what_happens_next(buurt: Neighbourhood, requester: Resident) -> None:
    helper(buurt, 100)
    client = web_client(requester.user)
    answer = post_ask(client)
    hr = HelpRequest.objects.get()
    assert (
        answer.status_code == 302 and answer["Location"] == reverse("requests:detail", args=[hr.public_id]) + "?sent=1"
    )
    page = client.get(answer["Location"])
    assert page.status_code == 200
    assert "1813" not in page.content.decode()


def test_crisis_confirmation_shows_the_emergency_numbers_first(requester: Resident) -> None:
    client = web_client(requester.user)
    answer = post_ask(client, category="andere", description=CRISIS)
    page = client.get(answer["Location"])  # type: ignore[index]
    html = page.content.decode()
    for number in ("112", "1813", "106", "1712"):
        assert f'href="tel:{number}"' in html
    assert html.index("tel:112") < html.index("<h1")
    assert not MatchProposal.objects.exists()


def test_contact_details_only_for_the_accepted_volunteer(buurt: Neighbourhood) -> None:
    requester = helper(buurt, 0, email="rita@example.org", offers=(), phone="0470 11 22 33", house_number="41")
    one = helper(buurt, 100, email="one@example.org")
    two = helper(buurt, 200, email="two@example.org")
    hr = services.request_create(requester=requester, category="boodschappen", description=LIGHT)
    p1 = MatchProposal.objects.get(request=hr, volunteer=one)
    p2 = MatchProposal.objects.get(request=hr, volunteer=two)
    c1, c2 = web_client(one.user), web_client(two.user)
    before = c1.get(reverse("requests:proposal", args=[p1.public_id])).content.decode()
    assert "0470 11 22 33" not in before and "rita@example.org" not in before
    assert requester.street.name in before  # roughly where
    # Someone else's proposal is not found.
    assert c2.get(reverse("requests:proposal", args=[p1.public_id])).status_code == 404
    c1.post(reverse("requests:proposal", args=[p1.public_id]), {"action": "accept"})
    after = c1.get(reverse("requests:proposal", args=[p1.public_id])).content.decode()
    assert "0470 11 22 33" in after and "41" in after and "rita@example.org" in after
    late = c2.post(reverse("requests:proposal", args=[p2.public_id]), {"action": "accept"}, follow=True)
    text = late.content.decode()
    assert "0470 11 22 33" not in text
    assert MatchProposal.objects.get(pk=p2.pk).status == "withdrawn"
    # The requester sees who helps; the other volunteer cannot open the request.
    assert (
        one.first_name
        in web_client(requester.user).get(reverse("requests:detail", args=[hr.public_id])).content.decode()
    )
    assert c2.get(reverse("requests:detail", args=[hr.public_id])).status_code == 404


def test_follow_up_with_one_tap_hand_over(buurt: Neighbourhood, requester: Resident) -> None:
    volunteer = helper(buurt, 100, email="v@example.org")
    hr = services.request_create(requester=requester, category="boodschappen", description=LIGHT)
    services.proposal_accept(proposal=MatchProposal.objects.get(request=hr))
    followups.followups_create_due(timezone.now() + timedelta(days=8))
    mine = FollowUp.objects.get(request=hr, respondent=volunteer)
    client = web_client(volunteer.user)
    url = reverse("requests:follow_up", args=[mine.public_id])
    assert client.get(url).status_code == 200
    assert web_client(requester.user).get(url).status_code == 404
    client.post(url, {"hand_over": "1"})
    mine.refresh_from_db()
    assert mine.hand_to_coordinator and mine.answered_at is not None
    assert QueueItem.objects.filter(kind="follow_up", follow_up=mine).exists()


def test_mine_lists_requests_and_pending_follow_ups(requester: Resident) -> None:
    HelpRequest.objects.create(buurt=requester.buurt, requester=requester, category="hond", description="Wandelen")
    page = web_client(requester.user).get(reverse("requests:mine"))
    assert page.status_code == 200 and "Wandelen" in page.content.decode()


def test_pages_need_a_login(requester: Resident) -> None:
    answer = Client().get(reverse("requests:new"))
    assert answer.status_code == 302 and "login" in answer["Location"]
