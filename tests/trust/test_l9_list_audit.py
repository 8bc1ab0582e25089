"""L9: a coordinator's reads of lists (queue, proposals, candidates, moderation, referral cards), on pages and the
API, write "view" audit rows about each resident shown, in one INSERT, so pages stay within 15 queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from burenhulp.coordination.models import QueueItem, QueueKind, ReferralCard
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, MatchProposal, RequestStatus, TriageLevel
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.factories import ResidentFactory

MAX_QUERIES = 15


@pytest.fixture
def world(buurt: Neighbourhood, requester: Resident, volunteer: Resident) -> dict[str, object]:
    hr = HelpRequest.objects.create(
        buurt=buurt,
        requester=requester,
        category="boodschappen",
        description="Melk en brood",
        status=RequestStatus.QUEUED,
        triage_level=TriageLevel.LIGHT,
    )
    item = QueueItem.objects.create(buurt=buurt, kind=QueueKind.NO_MATCH, request=hr, resident=requester)
    MatchProposal.objects.create(request=hr, volunteer=volunteer, score=0.5, distance_m=220)
    ResidentFactory(buurt=buurt, first_name="Hanne", offers=["boodschappen"], lat=buurt.lat + 0.001, lon=buurt.lon)
    newcomer = ResidentFactory(buurt=buurt, approved=False)
    card_item = QueueItem.objects.create(buurt=buurt, kind=QueueKind.CHECK_IN, resident=newcomer)
    card = ReferralCard.objects.create(
        buurt=buurt,
        professional_name="Huisarts",
        professional_contact="051 00 00 00",
        resident_name="Mevrouw X",
        what="Eenzaam",
        consent=True,
        queue_item=card_item,
    )
    return {"request": hr, "item": item, "newcomer": newcomer, "card": card}


def _views(reason_part: str) -> set[int | None]:
    rows = AuditLog.objects.filter(action="view", reason__icontains=reason_part)
    return set(rows.values_list("subject_resident_id", flat=True))


def test_pages_write_one_row_per_resident_shown(
    coordinator: User, requester: Resident, volunteer: Resident, world: dict[str, object]
) -> None:
    client = web_client(coordinator)
    item = world["item"]
    newcomer = world["newcomer"]
    assert isinstance(item, QueueItem) and isinstance(newcomer, Resident)
    for path in ("/coordinator/", f"/coordinator/item/{item.pk}/", f"/coordinator/item/{item.pk}/match/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        assert len(queries) <= MAX_QUERIES, (path, len(queries))
    assert client.get("/coordinator/moderation/").status_code == 200
    assert client.get("/coordinator/cards/").status_code == 200
    assert requester.pk in _views("queue list")
    assert volunteer.pk in _views("proposals of queue item")
    assert Resident.objects.get(first_name="Hanne").pk in _views("candidates for queue item")
    assert newcomer.pk in _views("moderation list")
    assert newcomer.pk in _views("referral card list")


def test_the_api_writes_one_row_per_resident_shown(
    coordinator: User, requester: Resident, volunteer: Resident, world: dict[str, object]
) -> None:
    api = APIClient()
    api.force_authenticate(coordinator)
    hr = world["request"]
    assert isinstance(hr, HelpRequest)
    assert api.get("/api/v1/queue/").status_code == 200
    assert api.get("/api/v1/proposals/").status_code == 200
    candidates = api.get(f"/api/v1/requests/{hr.pk}/candidates/")
    assert candidates.status_code == 200
    assert requester.pk in _views("queue list (API)")
    assert {requester.pk, volunteer.pk} <= _views("proposal list (API)")
    shown = {row["resident"] for row in candidates.json()} | {requester.pk}
    assert _views(f"candidates for request {hr.pk} (API)") == shown


def test_a_queue_page_of_many_items_stays_within_the_query_budget(
    buurt: Neighbourhood, coordinator: User, world: dict[str, object]
) -> None:
    people = [ResidentFactory(buurt=buurt) for _ in range(30)]
    for person in people:
        QueueItem.objects.create(buurt=buurt, kind=QueueKind.CHECK_IN, resident=person)
    client = web_client(coordinator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/coordinator/").status_code == 200
    assert len(queries) <= MAX_QUERIES
    assert AuditLog.objects.filter(reason="queue list").count() == 25  # one page
