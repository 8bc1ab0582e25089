"""L3: the accepted volunteer's request and proposal pages work (with the requester's contact details) when the
requester has no account (entered by a coordinator, reached by phone)."""

from __future__ import annotations

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.residents.models import Resident
from tests.conftest import api_client, web_client
from tests.factories import ResidentFactory


def test_the_volunteer_pages_show_the_requester_without_an_account(buurt: Neighbourhood, volunteer: Resident) -> None:
    requester = ResidentFactory(buurt=buurt, first_name="Agnes", phone="051 11 22 33", email="")
    assert requester.user_id is None
    hr = HelpRequest.objects.create(
        buurt=buurt, requester=requester, category="boodschappen", description="Melk", status=RequestStatus.MATCHED
    )
    proposal = MatchProposal.objects.create(
        request=hr, volunteer=volunteer, score=0.9, distance_m=200, status=ProposalStatus.ACCEPTED
    )
    client = web_client(volunteer.user)
    for path in (f"/help/request/{hr.public_id}/", f"/help/proposals/{proposal.public_id}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "051 11 22 33" in response.content.decode(), path
    api = api_client(volunteer.user)
    assert api.get(f"/api/v1/requests/{hr.pk}/").status_code == 200
    assert api.get("/api/v1/proposals/").status_code == 200
