"""Retention: closed requests older than the neighbourhood's retention period are anonymised by a beat task."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from burenhulp.coordination.models import ContactLog, ProfessionalService, QueueItem, Referral, ReferralCard
from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.privacy.erasure import is_anonymous_placeholder
from burenhulp.privacy.tasks import apply_retention
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory
from tests.trust.conftest import sentinel
from tests.trust.scan import database_hits
from worker.schedule import BEAT_SCHEDULE


def closed_request(
    buurt: Neighbourhood, requester: Resident, volunteer: Resident, days_ago: int, tag: str
) -> HelpRequest:
    closed_at = timezone.now() - timedelta(days=days_ago)
    request = HelpRequest.objects.create(
        buurt=buurt,
        requester=requester,
        category="boodschappen",
        description=sentinel(f"{tag}-description"),
        status=RequestStatus.DONE,
        created_at=closed_at - timedelta(days=3),
        matched_at=closed_at - timedelta(days=2),
        closed_at=closed_at,
    )
    other = ResidentFactory(buurt=buurt, offers=["boodschappen"])
    MatchProposal.objects.create(
        request=request, volunteer=volunteer, score=0.9, status=ProposalStatus.ACCEPTED, reasons=[{"code": "distance"}]
    )
    MatchProposal.objects.create(request=request, volunteer=other, score=0.5, status=ProposalStatus.DECLINED)
    FollowUp.objects.create(request=request, respondent=requester, role="requester", comment=sentinel(f"{tag}-fu"))
    FollowUp.objects.create(request=request, respondent=volunteer, role="volunteer", comment=sentinel(f"{tag}-fu2"))
    item = QueueItem.objects.create(buurt=buurt, kind="follow_up", request=request, summary=sentinel(f"{tag}-sum"))
    service = ProfessionalService.objects.create(buurt=buurt, name="LDC", kind="ldc")
    Referral.objects.create(buurt=buurt, queue_item=item, request=request, service=service, note=sentinel(f"{tag}-n"))
    return request


@pytest.fixture
def short_retention(buurt: Neighbourhood) -> Neighbourhood:
    buurt.retention_days = 30
    buurt.save(update_fields=["retention_days"])
    return buurt


def test_old_closed_requests_are_anonymised_once(
    short_retention: Neighbourhood, requester: Resident, volunteer: Resident
) -> None:
    old = closed_request(short_retention, requester, volunteer, days_ago=31, tag="old")
    recent = closed_request(short_retention, requester, volunteer, days_ago=10, tag="recent")
    still_open = HelpRequest.objects.create(
        buurt=short_retention,
        requester=requester,
        category="hond",
        description=sentinel("open-description"),
        created_at=timezone.now() - timedelta(days=400),
    )

    assert apply_retention.apply().get() == 1
    assert apply_retention.apply().get() == 0  # run twice, effect once

    assert database_hits(sentinel("old")) == []
    assert database_hits(sentinel("recent-description")) == ["helprequests_helprequest.description"]
    assert HelpRequest.objects.get(pk=still_open.pk).description == sentinel("open-description")

    old.refresh_from_db()
    # Kept for the statistics: category, status, dates, and that it was matched.
    assert (old.category, old.status, old.description) == ("boodschappen", RequestStatus.DONE, "")
    assert old.matched_at is not None and old.closed_at is not None and old.anonymised_at is not None
    # No longer about a person.
    assert old.requester_id != requester.pk
    assert is_anonymous_placeholder(old.requester)
    assert not Resident.objects.active().filter(pk=old.requester_id).exists()
    assert list(old.proposals.values_list("status", "volunteer_id", "reasons")) == [("accepted", old.requester_id, [])]
    assert not FollowUp.objects.filter(request=old).exists()
    # The people themselves are untouched, and so is the recent request.
    requester.refresh_from_db()
    assert requester.first_name == "Rita"
    recent.refresh_from_db()
    assert recent.requester_id == requester.pk and recent.anonymised_at is None


def test_the_retention_period_is_per_neighbourhood(
    short_retention: Neighbourhood,
    other_buurt: Neighbourhood,
    requester: Resident,
    volunteer: Resident,
    outsider: Resident,
) -> None:
    """Two years by default elsewhere: the same age is still kept there."""
    closed_request(short_retention, requester, volunteer, days_ago=40, tag="here")
    helper = ResidentFactory(buurt=other_buurt, offers=["boodschappen"])
    kept = closed_request(other_buurt, outsider, helper, days_ago=40, tag="there")
    assert apply_retention.apply().get() == 1
    assert HelpRequest.objects.get(pk=kept.pk).description == sentinel("there-description")


def test_old_cards_contact_notes_and_closed_queue_items_lose_their_words(
    short_retention: Neighbourhood, requester: Resident
) -> None:
    old = timezone.now() - timedelta(days=45)
    card = ReferralCard.objects.create(
        buurt=short_retention,
        professional_name=sentinel("pro"),
        professional_contact="x",
        resident_name=sentinel("res"),
        what=sentinel("what"),
        consent=True,
        created_at=old,
    )
    fresh_card = ReferralCard.objects.create(
        buurt=short_retention,
        professional_name="Dr. Peeters",
        professional_contact="x",
        resident_name="Mia",
        what=sentinel("fresh"),
        consent=True,
    )
    ContactLog.objects.create(buurt=short_retention, resident=requester, kind="call", note=sentinel("call"), at=old)
    QueueItem.objects.create(
        buurt=short_retention,
        kind="check_in",
        resident=requester,
        summary=sentinel("sum"),
        status="closed",
        closed_at=old,
        outcome=sentinel("out"),
    )
    still_open = QueueItem.objects.create(
        buurt=short_retention,
        kind="check_in",
        resident=requester,
        summary=sentinel("open-item"),
        created_at=old,
    )
    apply_retention.apply()
    for gone in ("pro", "res", "what", "call", "sum", "out"):
        assert database_hits(sentinel(gone)) == [], gone
    assert ReferralCard.objects.filter(pk=card.pk).exists()  # still counted
    assert ReferralCard.objects.get(pk=fresh_card.pk).what == sentinel("fresh")
    assert QueueItem.objects.get(pk=still_open.pk).summary == sentinel("open-item")


def test_retention_runs_every_night_from_beat() -> None:
    entry = BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "burenhulp.privacy.tasks.apply_retention"


@pytest.mark.worker
def test_the_worker_runs_retention(
    celery_worker_process: object, short_retention: Neighbourhood, requester: Resident, volunteer: Resident
) -> None:
    old = closed_request(short_retention, requester, volunteer, days_ago=60, tag="worker")
    apply_retention.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if HelpRequest.objects.get(pk=old.pk).anonymised_at is not None:
            break
        time.sleep(0.2)
    assert HelpRequest.objects.get(pk=old.pk).description == ""
    assert database_hits(sentinel("worker")) == []
