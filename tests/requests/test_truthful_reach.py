"""The requester is told only what is true (DESIGN §12): a round that reaches a phone-only neighbour says "we are
calling a neighbour", never "we asked neighbours by email" when nobody was emailed."""

from __future__ import annotations

import pytest

from burenhulp.core.models import Neighbourhood
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.factories import ResidentFactory
from tests.notifications.helpers import open_request, propose

pytestmark = pytest.mark.django_db


def _page(requester: Resident, public_id: object) -> str:
    client = web_client(requester.user)
    return client.get(f"/help/request/{public_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_only_a_phone_only_neighbour_asked(buurt: Neighbourhood, requester: Resident) -> None:
    request = open_request(requester)
    propose(request, ResidentFactory(buurt=buurt, email="", phone="051 22 33 44"))
    html = _page(requester, request.public_id)
    assert "We are calling a neighbour close to you" in html
    assert "by email" not in html


def test_neighbours_by_email_and_by_phone(buurt: Neighbourhood, requester: Resident, volunteer: Resident) -> None:
    request = open_request(requester)
    propose(request, volunteer)
    html = _page(requester, request.public_id)
    assert "We asked a few neighbours close to you by email." in html and "calling" not in html
    propose(request, ResidentFactory(buurt=buurt, email="", phone="051 22 33 44"))
    assert "we are calling one who has no email" in _page(requester, request.public_id)


def test_paused_emails_count_as_a_call(buurt: Neighbourhood, requester: Resident, volunteer: Resident) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(emails_paused=True)
    request = open_request(requester)
    propose(request, volunteer)
    assert "We are calling a neighbour close to you" in _page(requester, request.public_id)
