"""Every destructive action asks first: the first POST shows a confirmation page and changes nothing; only the
confirmed POST acts. Works without JavaScript (plain forms)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from burenhulp.helprequests.models import HelpRequest
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def _request_of(requester: Resident) -> HelpRequest:
    return HelpRequest.objects.create(
        buurt=requester.buurt, requester=requester, category="boodschappen", description="Melk", status="queued"
    )


def test_cancelling_a_request_asks_first(requester: Resident) -> None:
    hr = _request_of(requester)
    client = web_client(requester.user)
    url = reverse("requests:detail", args=[hr.public_id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'class="button button-secondary"' in page and "niet meer nodig" in page
    first = client.post(url, {"cancel": "1"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert first.status_code == 200
    html = first.content.decode()
    assert 'name="confirmed" value="1"' in html and f'href="{url}"' in html
    hr.refresh_from_db()
    assert hr.status == "queued"
    done = client.post(url, {"cancel": "1", "confirmed": "1"})
    assert done.status_code == 302
    hr.refresh_from_db()
    assert hr.status == "cancelled"


def test_stopping_the_burenbox_asks_first(requester: Resident) -> None:
    client = web_client(requester.user)
    client.post("/burenbox/consent/", {"purpose": "platform", "give": "1"})
    first = client.post("/burenbox/consent/", {"purpose": "platform", "give": "0"})
    assert first.status_code == 200 and 'name="confirmed" value="1"' in first.content.decode()
    requester.refresh_from_db()
    assert requester.consent_withdrawn_at is None
    client.post("/burenbox/consent/", {"purpose": "platform", "give": "0", "confirmed": "1"})
    requester.refresh_from_db()
    assert requester.consent_withdrawn_at is not None


def test_blocking_asks_first(coordinator_web: Client, requester: Resident) -> None:
    person = ResidentFactory(buurt=requester.buurt, first_name="Bram")
    first = coordinator_web.post("/coordinator/moderation/", {"action": "block", "resident": person.pk})
    assert first.status_code == 200 and "Bram" in first.content.decode()
    person.refresh_from_db()
    assert not person.is_blocked
    coordinator_web.post("/coordinator/moderation/", {"action": "block", "resident": person.pk, "confirmed": "1"})
    person.refresh_from_db()
    assert person.is_blocked
