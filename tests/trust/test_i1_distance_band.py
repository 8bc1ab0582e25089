"""I1: before an acceptance, the API gives the distance to the requester in the same band as the email (50 m steps
below a kilometre, then 100 m), never the exact metres."""

from __future__ import annotations

import pytest

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import HelpRequest, MatchProposal, RequestStatus
from burenhulp.notifications.contexts import proposal as proposal_context
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident
from matching.reasons import distance_band, distance_words
from tests.conftest import api_client


@pytest.mark.parametrize(("exact", "band"), [(3.2, 50), (237.4, 250), (999.0, 1000), (1234.5, 1200), (4321, 4300)])
def test_the_band(exact: float, band: int) -> None:
    assert distance_band(exact) == band
    assert distance_words(exact).replace(",", ".").split()[0] in {str(band), f"{band / 1000:.1f}"}


def test_the_api_and_the_email_give_the_same_band(
    buurt: Neighbourhood, requester: Resident, volunteer: Resident
) -> None:
    hr = HelpRequest.objects.create(
        buurt=buurt, requester=requester, category="boodschappen", description="Melk", status=RequestStatus.PROPOSED
    )
    p = MatchProposal.objects.create(
        request=hr, volunteer=volunteer, score=0.8, distance_m=237.4, reasons=[{"code": "distance", "m": 237.4}]
    )
    listed = api_client(volunteer.user).get("/api/v1/proposals/").json()
    assert [row["distance_m"] for row in listed] == [250]
    assert not any("237" in reason for reason in listed[0]["reasons"])
    email = proposal_context(notify(template="proposal", key="i1", resident=volunteer, context={"proposal_id": p.pk}))
    assert email["distance_m"] == 250
