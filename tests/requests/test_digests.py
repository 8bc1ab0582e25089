"""The residents' weekly digest lists the open requests they could be proposed: the matching rules decide, the
requester's block list included (burenhulp/helprequests/selectors.py `requests_near`)."""

from __future__ import annotations

from datetime import date

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.digests import weekly_digests_due
from burenhulp.helprequests.models import HelpRequest, RequestStatus
from burenhulp.helprequests.selectors import requests_near
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident, ResidentBlock
from tests.factories import ResidentFactory


def open_request(requester: Resident, category: str = "hond") -> HelpRequest:
    return HelpRequest.objects.create(
        buurt=requester.buurt, requester=requester, category=category, description="De hond uitlaten", status="open"
    )


def test_the_digest_lists_what_the_rules_allow_nearest_first(buurt: Neighbourhood, volunteer: Resident) -> None:
    far = ResidentFactory(buurt=buurt, lat=buurt.lat + 0.010, lon=buurt.lon)  # about 1.1 km north
    near = ResidentFactory(buurt=buurt, lat=buurt.lat + 0.001, lon=buurt.lon)
    outside = ResidentFactory(buurt=buurt, lat=buurt.lat + 0.030, lon=buurt.lon)  # beyond the 1500 m radius
    wanted = [open_request(far), open_request(near)]
    open_request(outside)
    open_request(near, category="babysit")  # not offered by the volunteer
    HelpRequest.objects.create(
        buurt=buurt, requester=near, category="hond", description="x", status=RequestStatus.QUEUED
    )
    assert requests_near(volunteer) == [wanted[1], wanted[0]]


def test_the_digest_honours_the_requesters_block_list(buurt: Neighbourhood, volunteer: Resident) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(weekly_digest=True)
    requester = ResidentFactory(buurt=buurt)
    open_request(requester)
    assert weekly_digests_due(date(2030, 1, 7)) == 1  # the control: without a block the digest goes out
    ResidentBlock.objects.create(blocker=requester, blocked=volunteer)
    assert requests_near(volunteer) == []
    assert weekly_digests_due(date(2030, 1, 14)) == 0
    assert Notification.objects.filter(template="weekly_digest").count() == 1


def test_a_paused_volunteer_gets_no_digest(buurt: Neighbourhood, volunteer: Resident) -> None:
    open_request(ResidentFactory(buurt=buurt))
    assert requests_near(volunteer) != []
    Resident.objects.filter(pk=volunteer.pk).update(paused_until=date(2099, 1, 1))
    volunteer.refresh_from_db()
    assert requests_near(volunteer) == []
