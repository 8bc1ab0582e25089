"""The call list page (DESIGN §12): oldest first, tel: links, what to say, age warning after a day, answers recorded
through the same workflows as the email links, audited, at most 15 queries whatever its size."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests.models import MatchProposal, ProposalStatus, RequestStatus
from burenhulp.notifications.models import CallOutcome, CallTask
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.factories import ResidentFactory
from tests.notifications.helpers import assert_nobody_unreached, open_request, propose

pytestmark = pytest.mark.django_db

URL = "/coordinator/call-list/"


def _call(buurt: Neighbourhood, requester: Resident, age: timedelta = timedelta(0), name: str = "Jef") -> CallTask:
    person = ResidentFactory(buurt=buurt, email="", first_name=name, phone="051 22 33 44")
    proposal = propose(open_request(requester), person)
    with transaction.atomic():
        notify(
            template="proposal",
            key=f"proposal:{proposal.pk}:{person.pk}",
            resident=person,
            context={"proposal_id": proposal.pk},
        )
    task = CallTask.objects.get(proposal=proposal)
    CallTask.objects.filter(pk=task.pk).update(created_at=timezone.now() - age)
    return task


def test_the_list_shows_oldest_first_with_phone_what_to_say_and_age(
    coordinator_web: Client, coordinator: User, buurt: Neighbourhood, requester: Resident, other_buurt: Neighbourhood
) -> None:
    new = _call(buurt, requester, name="Nieuw")
    old = _call(buurt, requester, age=timedelta(days=2), name="Oud")
    html = coordinator_web.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index(f'id="call-{old.pk}"') < html.index(f'id="call-{new.pk}"')
    assert 'href="tel:051 22 33 44"' in html and "Kerkstraat" in html
    assert "2 days — too long" in html and html.count("too long") == 1
    assert AuditLog.objects.filter(actor=coordinator, action="view", reason__startswith="call list").exists()
    outsider = ResidentFactory(buurt=other_buurt, email="", first_name="Elders")
    assert "Elders" not in html and outsider.pk


def test_recording_a_yes_on_the_page_matches_the_request(
    coordinator_web: Client, coordinator: User, buurt: Neighbourhood, requester: Resident
) -> None:
    task = _call(buurt, requester)
    response = coordinator_web.post(URL, {"task": task.pk, "outcome": "accepted"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    proposal = MatchProposal.objects.get(pk=task.proposal_id)
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.request.status == RequestStatus.MATCHED
    task.refresh_from_db()
    assert task.outcome == CallOutcome.ACCEPTED and task.done_by == coordinator
    html = coordinator_web.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Written down for Jef" in html
    assert_nobody_unreached()


def test_a_yes_for_a_taken_proposal_says_so_and_changes_nothing(
    coordinator_web: Client, buurt: Neighbourhood, requester: Resident, volunteer: Resident
) -> None:
    task = _call(buurt, requester)
    coordinator_web.post(URL, {"task": task.pk, "outcome": "not_reached"})
    other = propose(MatchProposal.objects.get(pk=task.proposal_id).request, volunteer)
    MatchProposal.objects.filter(pk=task.proposal_id).update(status=ProposalStatus.WITHDRAWN)
    MatchProposal.objects.filter(pk=other.pk).update(status=ProposalStatus.ACCEPTED)
    response = coordinator_web.post(
        URL, {"task": task.pk, "outcome": "accepted"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "Jef: This proposal is no longer open." in response.content.decode()
    task.refresh_from_db()
    assert task.is_open() and task.attempts == 1
    assert MatchProposal.objects.get(pk=task.proposal_id).status == ProposalStatus.WITHDRAWN
    # The page now offers to just tell him.
    assert "no longer needed" in response.content.decode()


@pytest.mark.parametrize("task_id", ["abc", "", "999999", "1e3"])
def test_bad_ids_say_so(coordinator_web: Client, task_id: str) -> None:
    response = coordinator_web.post(
        URL, {"task": task_id, "outcome": "reached"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert response.status_code == 200 and "not on the list" in response.content.decode()


def test_another_neighbourhoods_call_is_not_found(
    buurt: Neighbourhood, requester: Resident, outsider_coordinator: User
) -> None:
    task = _call(buurt, requester)
    client = web_client(outsider_coordinator)
    client.post(URL, {"task": task.pk, "outcome": "reached"})
    task.refresh_from_db()
    assert task.is_open()
    assert "Jef" not in client.get(URL).content.decode()


def test_the_list_stays_under_15_queries(
    coordinator_web: Client, buurt: Neighbourhood, requester: Resident, django_assert_max_num_queries: Any
) -> None:
    for i in range(60):
        _call(buurt, requester, age=timedelta(hours=i), name=f"P{i}")
    with django_assert_max_num_queries(15):
        assert coordinator_web.get(URL).status_code == 200
    with django_assert_max_num_queries(15):
        assert coordinator_web.get(URL + "?page=2").status_code == 200
