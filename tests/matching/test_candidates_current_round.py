"""The coordinator's candidate list keeps the volunteers of the round that is still open (rule 8 excludes only those
who declined or were proposed in an earlier round)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from burenhulp.core.models import User
from burenhulp.helprequests.services import proposal_decline, request_create
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_candidates_include_the_open_round_but_not_who_declined(
    requester: Resident, volunteer: Resident, coordinator_api: APIClient, coordinator: User
) -> None:
    far = ResidentFactory(
        buurt=requester.buurt, offers=["boodschappen"], lat=requester.buurt.lat + 0.008, lon=requester.buurt.lon
    )
    request = request_create(requester=requester, category="boodschappen", description="Brood en melk, graag.")
    assert request.proposals.count() == 2
    ids = [c["resident"] for c in coordinator_api.get(f"/api/v1/requests/{request.pk}/candidates/").json()]
    assert ids == [volunteer.pk, far.pk]  # the closer one first
    proposal_decline(proposal=request.proposals.get(volunteer=volunteer), by=volunteer.user)
    ids = [c["resident"] for c in coordinator_api.get(f"/api/v1/requests/{request.pk}/candidates/").json()]
    assert ids == [far.pk]
