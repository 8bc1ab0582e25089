"""Accepting is safe under concurrency: real concurrent transactions on PostgreSQL, one connection per thread."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, connections, transaction

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests import services
from burenhulp.helprequests.models import HelpRequest, MatchProposal, TransitionError
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory

N = 50

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


def setup_request(buurt: Neighbourhood, requester: Resident) -> tuple[HelpRequest, list[MatchProposal]]:
    hr = HelpRequest.objects.create(
        buurt=buurt, requester=requester, category="boodschappen", description="melk", status="proposed"
    )
    volunteers = [ResidentFactory(buurt=buurt, offers=["boodschappen"]) for _ in range(N)]
    proposals = [MatchProposal.objects.create(request=hr, volunteer=v, score=1.0) for v in volunteers]
    return hr, proposals


def race(work: Callable[[int], str]) -> Counter[str]:
    """Run `work(i)` in N threads released at the same moment; each thread uses (and closes) its own connection."""
    barrier = threading.Barrier(N)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            result = work(i)
        except Exception as exc:  # recorded, so the assertion shows what went wrong
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return Counter(outcomes)


def test_fifty_simultaneous_accepts_give_exactly_one_acceptance(buurt: Neighbourhood, requester: Resident) -> None:
    hr, proposals = setup_request(buurt, requester)

    def accept(i: int) -> str:
        try:
            services.proposal_accept(proposal=MatchProposal.objects.get(pk=proposals[i].pk))
        except TransitionError:
            return "taken"
        return "accepted"

    outcomes = race(accept)
    assert outcomes == Counter({"accepted": 1, "taken": N - 1}), outcomes
    hr.refresh_from_db()
    assert hr.status == "matched"
    statuses = Counter(MatchProposal.objects.filter(request=hr).values_list("status", flat=True))
    assert statuses == Counter({"accepted": 1, "withdrawn": N - 1})


def test_the_same_proposal_accepted_fifty_times_at_once_is_accepted_once(
    buurt: Neighbourhood, requester: Resident
) -> None:
    hr, proposals = setup_request(buurt, requester)
    target = proposals[7].pk

    def accept(i: int) -> str:
        try:
            services.proposal_accept(proposal=MatchProposal.objects.get(pk=target))
        except TransitionError:
            return "refused"
        return "accepted"

    assert race(accept) == Counter({"accepted": 1, "refused": N - 1})
    assert MatchProposal.objects.filter(request=hr, status="accepted").count() == 1


def test_the_database_constraint_alone_allows_one_acceptance(buurt: Neighbourhood, requester: Resident) -> None:
    """Without the row lock of the workflow, the partial unique index is still the last line of defence."""
    hr, proposals = setup_request(buurt, requester)

    def raw_update(i: int) -> str:
        try:
            with transaction.atomic():
                n = MatchProposal.objects.filter(pk=proposals[i].pk, status="proposed").update(status="accepted")
        except IntegrityError:
            return "constraint"
        return "accepted" if n == 1 else "lost"

    assert race(raw_update) == Counter({"accepted": 1, "constraint": N - 1})
    assert MatchProposal.objects.filter(request=hr, status="accepted").count() == 1
