"""A resident who withdrew the platform consent is never proposed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from burenhulp.helprequests.services import request_create
from burenhulp.residents.models import Resident

pytestmark = pytest.mark.django_db


def test_withdrawn_consent_keeps_a_volunteer_out_of_matching(requester: Resident, volunteer: Resident) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(consent_withdrawn_at=timezone.now())
    request = request_create(requester=requester, category="boodschappen", description="Brood en melk, graag.")
    assert not request.proposals.filter(volunteer=volunteer).exists()


def test_with_consent_the_same_volunteer_is_proposed(requester: Resident, volunteer: Resident) -> None:
    request = request_create(requester=requester, category="boodschappen", description="Brood en melk, graag.")
    assert request.proposals.filter(volunteer=volunteer).exists()
