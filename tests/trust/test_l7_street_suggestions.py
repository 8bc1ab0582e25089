"""Issue #14, L7: a street name one resident typed is never suggested to other residents (it may be a typo, a joke,
injected text, and it shows where someone lives). Suggestions come from the neighbourhood's street list only."""

from __future__ import annotations

import pytest
from django.test import Client

from burenhulp.core.models import Neighbourhood, Street
from burenhulp.residents import services
from burenhulp.residents.models import Resident
from tests.conftest import api_client, web_client

pytestmark = pytest.mark.django_db

INJECTED = "Bel 0470 99 99 99 voor gratis geld"


def test_a_typed_street_is_not_suggested_to_neighbours(
    buurt: Neighbourhood, requester: Resident, volunteer: Resident, coordinator_web: Client
) -> None:
    Street.objects.create(buurt=buurt, name="Kerkstraat")
    services.resident_update(resident=requester, data={"street": INJECTED})
    assert volunteer.user is not None
    html = web_client(volunteer.user).get("/burenbox/step/me/").content.decode()
    assert 'id="street-names"' in html and '<option value="Kerkstraat">' in html
    assert INJECTED not in html
    for path in ("/coordinator/residents/new/", "/coordinator/residents/blank-cards/"):
        assert INJECTED not in coordinator_web.get(path).content.decode(), path


def test_the_resident_keeps_seeing_what_they_typed(requester: Resident) -> None:
    services.resident_update(resident=requester, data={"street": "Achter de Kerk"})
    assert requester.user is not None
    html = web_client(requester.user).get("/burenbox/step/me/").content.decode()
    assert 'value="Achter de Kerk"' in html
    body = api_client(requester.user).get("/api/v1/me/profile/").json()
    assert body["street"] == "Achter de Kerk" and body["street_confirmed"] is False
