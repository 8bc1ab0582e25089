"""Asking for help on a resident's behalf in the dashboard (DESIGN §12): the resident's form plus how the request
came in, for any resident of the neighbourhood (email or not), through the same request_create (triage, matching);
audited. A phone-only volunteer asked lands on the call list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, RequestStatus
from burenhulp.notifications.models import CallTask
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.factories import ResidentFactory
from tests.notifications.helpers import assert_nobody_unreached

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {"came_in_by": "phone", "category": "chauffeur", "description": "Naar de dokter dinsdag", "when": "flexible"}


def _elderly(buurt: Neighbourhood) -> Resident:
    return ResidentFactory(
        buurt=buurt, email="", first_name="Godelieve", phone="051 44 55 66", birth_date=date(1942, 3, 1)
    )


def test_a_coordinator_asks_for_a_lift_on_behalf_of_someone_without_email(
    buurt: Neighbourhood, coordinator: User
) -> None:
    godelieve = _elderly(buurt)
    jef = ResidentFactory(
        buurt=buurt, email="", first_name="Jef", phone="051 22 33 44", offers=["chauffeur"], has_car=True
    )
    client: Client = web_client(coordinator)
    assert (
        client.get(f"/coordinator/residents/{godelieve.pk}/")
        .content.decode()
        .count(f"/coordinator/residents/{godelieve.pk}/ask/")
    )
    response = client.post(f"/coordinator/residents/{godelieve.pk}/ask/", FORM, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    hr = HelpRequest.objects.get(requester=godelieve)
    assert (hr.came_in_by, hr.created_via, hr.created_by, hr.status) == (
        "phone",
        "coordinator",
        coordinator,
        RequestStatus.PROPOSED,
    )
    assert AuditLog.objects.filter(actor=coordinator, action="create", target_id=str(hr.pk)).exists()
    assert CallTask.objects.open().get(resident=jef).proposal.request == hr  # type: ignore[union-attr]
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 of them have no email: they are on the call list." in html
    assert_nobody_unreached()


def test_without_how_it_came_in_nothing_is_lost(buurt: Neighbourhood, coordinator: User) -> None:
    godelieve = _elderly(buurt)
    response = web_client(coordinator).post(
        f"/coordinator/residents/{godelieve.pk}/ask/", {**FORM, "came_in_by": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say how the request came in." in html and "Naar de dokter dinsdag" in html
    assert not HelpRequest.objects.exists()


def test_a_heavy_request_goes_to_the_queue(buurt: Neighbourhood, coordinator: User) -> None:
    godelieve = _elderly(buurt)
    body = {
        **FORM,
        "category": "documenten",
        "description": "Brief van de deurwaarder, schulden",
        "came_in_by": "visit",
    }
    response = web_client(coordinator).post(f"/coordinator/residents/{godelieve.pk}/ask/", body)
    assert response.status_code == 302
    assert HelpRequest.objects.get().status == RequestStatus.QUEUED


def test_another_neighbourhoods_resident_is_not_found(outsider: Resident, coordinator: User) -> None:
    client = web_client(coordinator)
    assert client.get(f"/coordinator/residents/{outsider.pk}/ask/").status_code == 404
    assert client.post(f"/coordinator/residents/{outsider.pk}/ask/", FORM).status_code == 404
    assert not HelpRequest.objects.exists()


def test_the_coordinator_form_is_the_residents_form_with_a_date_range(buurt: Neighbourhood, coordinator: User) -> None:
    godelieve = _elderly(buurt)
    client: Client = web_client(coordinator)
    page = client.get(f"/coordinator/residents/{godelieve.pk}/ask/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="end_day"' in page and 'name="came_in_by"' in page
    first = timezone.localdate() + timedelta(days=3)
    last = first + timedelta(days=4)
    data = {**FORM, "when": "days", "day": first.isoformat(), "end_day": last.isoformat(), "part": "morning"}
    assert client.post(f"/coordinator/residents/{godelieve.pk}/ask/", data).status_code == 302
    hr = HelpRequest.objects.get(requester=godelieve)
    assert hr.window_start is not None and hr.window_end is not None
    assert (timezone.localdate(hr.window_start), timezone.localdate(hr.window_end)) == (first, last)
