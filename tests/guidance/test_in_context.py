"""The guidance where people act: the proposal and accept page, the follow-up, and beside the referral form.

These pages belong to other areas; these tests check that the right guidance reaches them through the tag."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests import followups, services
from burenhulp.helprequests.models import FollowUp, MatchProposal
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.coordination.conftest import queued_request
from tests.requests.helpers import helper

pytestmark = pytest.mark.django_db


def proposal_page(client: Client, proposal: MatchProposal) -> str:
    return client.get(reverse("requests:proposal", args=[proposal.public_id])).content.decode()


def test_a_hond_proposal_carries_dog_walking_tips_and_the_accept_page_the_boundaries(
    buurt: Neighbourhood, requester: Resident
) -> None:
    walker = helper(buurt, 100, email="walker@example.org", offers=("hond",))
    hr = services.request_create(requester=requester, category="hond", description="Wie laat mijn hond Bobby uit?")
    proposal = MatchProposal.objects.get(request=hr, volunteer=walker)
    client = web_client(walker.user)
    before = proposal_page(client, proposal)
    assert 'href="/guidance/hond/"' in before and "De hond van een buur uitlaten" in before
    assert 'href="/guidance/chauffeur/"' not in before
    client.post(reverse("requests:proposal", args=[proposal.public_id]), {"action": "accept"})
    after = proposal_page(client, proposal)
    assert "Bewaak je grenzen" in after and 'href="/guidance/boundaries/"' in after
    assert "Voor je vertrekt" in after


def test_a_chauffeur_proposal_carries_driving_tips(buurt: Neighbourhood, requester: Resident) -> None:
    driver = helper(buurt, 100, email="driver@example.org", offers=("chauffeur",), has_car=True)
    hr = services.request_create(
        requester=requester, category="chauffeur", description="Een lift naar de dokter op dinsdag om tien uur."
    )
    html = proposal_page(web_client(driver.user), MatchProposal.objects.get(request=hr, volunteer=driver))
    assert 'href="/guidance/chauffeur/"' in html and "Een buur met de auto brengen" in html
    assert 'href="/guidance/hond/"' not in html


def test_the_volunteers_follow_up_shows_the_boundaries_guidance(buurt: Neighbourhood, requester: Resident) -> None:
    volunteer = helper(buurt, 100, email="v@example.org", offers=("boodschappen",))
    hr = services.request_create(
        requester=requester, category="boodschappen", description="Kan iemand melk en brood voor mij halen?"
    )
    services.proposal_accept(proposal=MatchProposal.objects.get(request=hr))
    followups.followups_create_due(timezone.now() + timedelta(days=8))
    mine = FollowUp.objects.get(request=hr, respondent=volunteer)
    html = web_client(volunteer.user).get(reverse("requests:follow_up", args=[mine.public_id])).content.decode()
    assert "Bewaak je grenzen" in html and 'href="/guidance/boundaries/"' in html
    theirs = FollowUp.objects.get(request=hr, respondent=requester)
    answer = web_client(requester.user).get(reverse("requests:follow_up", args=[theirs.public_id]))
    assert answer.status_code == 200 and 'href="/guidance/boundaries/"' in answer.content.decode()


def test_the_referral_form_has_the_referral_guidance_beside_it(coordinator_web: Client, requester: Resident) -> None:
    item = queued_request(requester)
    html = coordinator_web.get(f"/coordinator/item/{item.pk}/").content.decode()
    assert "Een bewoner doorverwijzen naar een dienst" in html
    assert 'href="/guidance/coordinator-referral/"' in html
