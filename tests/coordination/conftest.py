"""Helpers for the coordinator tests: queue items made the way producers make them (queue_item_open)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from burenhulp.coordination.models import ProfessionalService, QueueItem, QueueKind
from burenhulp.coordination.queue import queue_item_open
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import HelpRequest, RequestStatus, TriageLevel
from burenhulp.residents.models import Resident
from tests.conftest import enrol_totp
from tests.factories import UserFactory


def queued_request(
    requester: Resident,
    *,
    level: str = TriageLevel.HEAVY,
    kind: str = QueueKind.TRIAGE,
    category: str = "documenten",
    description: str = "Ik krijg brieven van een deurwaarder en weet niet wat te doen.",
    age: timedelta = timedelta(hours=1),
    urgent: bool = False,
    status: str = RequestStatus.QUEUED,
) -> QueueItem:
    created = timezone.now() - age
    req = HelpRequest.objects.create(
        buurt=requester.buurt,
        requester=requester,
        category=category,
        description=description,
        status=status,
        triage_level=level,
        triage_reasons=[],
        urgent=urgent,
        created_at=created,
    )
    item = queue_item_open(
        buurt=requester.buurt, kind=kind, level=level, reasons=[], request=req, urgent=urgent, summary=description
    )
    QueueItem.objects.filter(pk=item.pk).update(created_at=created)
    item.refresh_from_db()
    return item


@pytest.fixture
def service(buurt: Neighbourhood) -> ProfessionalService:
    return ProfessionalService.objects.create(
        buurt=buurt, name="Sociaal Huis Wakken", kind="ocmw", phone="056 00 00 00", what_for="Budget en schulden"
    )


@pytest.fixture
def other_service(other_buurt: Neighbourhood) -> ProfessionalService:
    return ProfessionalService.objects.create(buurt=other_buurt, name="CAW Elders", kind="caw")


@pytest.fixture
def two_buurt_coordinator(buurt: Neighbourhood, other_buurt: Neighbourhood) -> User:
    user: Any = UserFactory(email="both@example.org", first_name="Bo")
    buurt.coordinators.add(user)
    other_buurt.coordinators.add(user)
    enrol_totp(user)
    return user
