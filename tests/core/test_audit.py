from __future__ import annotations

import pytest

from burenhulp.core.models import AuditLog, User, audit
from burenhulp.residents.models import Resident

pytestmark = pytest.mark.django_db


def test_an_audit_of_a_resident_is_about_that_resident_and_their_neighbourhood(
    requester: Resident, coordinator: User
) -> None:
    row = audit(actor=coordinator, action=AuditLog.Action.VIEW, target=requester, reason="test")
    assert (row.subject_resident_id, row.buurt_id, row.target_type) == (
        requester.pk,
        requester.buurt_id,
        "residents.resident",
    )


def test_an_explicit_subject_and_neighbourhood_win(requester: Resident, volunteer: Resident, other_buurt) -> None:  # type: ignore[no-untyped-def]
    row = audit(
        actor=None, action=AuditLog.Action.VIEW, target=requester, buurt=other_buurt, subject_resident_id=volunteer.pk
    )
    assert (row.subject_resident_id, row.buurt_id, row.actor_id) == (volunteer.pk, other_buurt.pk, None)


def test_an_audit_of_a_request_is_about_its_requester_and_a_neighbourhood_about_itself(
    requester: Resident, coordinator: User
) -> None:
    from burenhulp.helprequests.models import HelpRequest

    hr = HelpRequest.objects.create(
        buurt=requester.buurt, requester=requester, category="boodschappen", description="x"
    )
    row = audit(actor=coordinator, action=AuditLog.Action.VIEW, target=hr)
    assert (row.subject_resident_id, row.buurt_id, row.target_type) == (
        requester.pk,
        requester.buurt_id,
        "helprequests.helprequest",
    )
    row = audit(actor=coordinator, action=AuditLog.Action.VIEW, target=requester.buurt, reason="list")
    assert (row.subject_resident_id, row.buurt_id) == (None, requester.buurt_id)
