"""Concurrent accepts on SQLite answer one 200 and then 409s, never 500 (issue #14, "found by other checks").

`make run` uses SQLite. Before, two volunteers saying yes at the same moment made one of them a 500 ("database is
locked"): both transactions read, then both wanted to write. SQLite now runs as a server would (write-ahead log,
transactions that take the write lock when they begin, a busy timeout), so the second waits and then finds the
request taken. `make test-sqlite` runs this on SQLite (a test database in a file, threads with their own
connections); the PostgreSQL pass runs it too, where the same answers are required.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connections
from rest_framework.test import APIClient

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import HelpRequest, MatchProposal
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory, UserFactory

VOLUNTEERS = 6
ROUNDS = 3

pytestmark = pytest.mark.django_db(transaction=True)


def race(buurt: Neighbourhood, requester: Resident) -> Counter[int]:
    request = HelpRequest.objects.create(
        buurt=buurt, requester=requester, category="boodschappen", description="melk", status="proposed"
    )
    clients: list[tuple[APIClient, int]] = []
    for _ in range(VOLUNTEERS):
        user = UserFactory()
        volunteer = ResidentFactory(buurt=buurt, user=user, email=user.email, offers=["boodschappen"])
        proposal = MatchProposal.objects.create(request=request, volunteer=volunteer, score=1.0)
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(user)
        clients.append((client, proposal.pk))
    barrier = threading.Barrier(VOLUNTEERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def accept(client: APIClient, proposal_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            status = client.post(f"/api/v1/proposals/{proposal_id}/accept/").status_code
        finally:
            connections.close_all()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=accept, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(statuses)


def test_simultaneous_accepts_answer_one_200_and_409s_never_500(buurt: Neighbourhood, requester: Resident) -> None:
    for _ in range(ROUNDS):
        assert race(buurt, requester) == Counter({200: 1, 409: VOLUNTEERS - 1})
    assert MatchProposal.objects.filter(status="accepted").count() == ROUNDS
