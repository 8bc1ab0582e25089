"""H1: 'Download my data' carries only rows about the person, never the volunteer's follow-up comment or the
coordinator's referral of the volunteer that hang off the requester's request."""

from __future__ import annotations

import pytest

from burenhulp.coordination.models import ContactLog, ProfessionalService, QueueItem, QueueKind, Referral
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, RequestStatus
from burenhulp.privacy.export import data_export
from burenhulp.residents.models import Resident

SECRET = "volunteer-private-remark-h1"


@pytest.fixture
def volunteer_item(buurt: Neighbourhood, requester: Resident, volunteer: Resident, coordinator: User) -> QueueItem:
    request = HelpRequest.objects.create(
        buurt=buurt, requester=requester, category="boodschappen", description="Melk", status=RequestStatus.DONE
    )
    item = QueueItem.objects.create(
        buurt=buurt, kind=QueueKind.FOLLOW_UP, request=request, resident=volunteer, summary=SECRET
    )
    service = ProfessionalService.objects.create(buurt=buurt, name="Praatlijn", kind="other")
    Referral.objects.create(
        buurt=buurt, queue_item=item, request=request, resident=volunteer, service=service, note=SECRET, consent=True
    )
    ContactLog.objects.create(buurt=buurt, resident=volunteer, queue_item=item, note=SECRET, by=coordinator)
    return item


def test_requester_export_leaves_out_rows_about_the_volunteer(
    requester: Resident, volunteer: Resident, volunteer_item: QueueItem
) -> None:
    assert requester.user is not None
    export = data_export(requester.user)
    assert SECRET not in repr(export)
    assert "coordination.Referral" not in export["records"]
    assert "coordination.ContactLog" not in export["records"]
    assert "coordination.QueueItem" not in export["records"]


def test_volunteer_export_keeps_the_rows_about_them(volunteer: Resident, volunteer_item: QueueItem) -> None:
    assert volunteer.user is not None
    export = data_export(volunteer.user)
    assert [r["id"] for r in export["records"]["coordination.QueueItem"]] == [volunteer_item.pk]
    assert SECRET in repr(export["records"]["coordination.Referral"])
    assert SECRET in repr(export["records"]["coordination.ContactLog"])


def test_requester_export_keeps_their_own_queue_item(
    buurt: Neighbourhood, requester: Resident, volunteer_item: QueueItem
) -> None:
    assert volunteer_item.request is not None
    own = QueueItem.objects.create(
        buurt=buurt, kind=QueueKind.TRIAGE, request=volunteer_item.request, resident=requester, summary="own words"
    )
    assert requester.user is not None
    export = data_export(requester.user)
    assert [r["id"] for r in export["records"]["coordination.QueueItem"]] == [own.pk]
