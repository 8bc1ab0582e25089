"""Building help requests and proposals for the notification tests (plain ORM: the request workflow is not under
test here)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from burenhulp.core.models import Street
from burenhulp.helprequests.models import HelpRequest, MatchProposal, RequestStatus
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory, UserFactory


def open_request(requester: Resident, category: str = "boodschappen", days_ahead: int = 3) -> HelpRequest:
    street, _ = Street.objects.get_or_create(buurt=requester.buurt, name="Kerkstraat")
    Resident.objects.filter(pk=requester.pk).update(street=street, house_number="17", phone="0470 12 34 56")
    requester.refresh_from_db()
    start = (timezone.now() + timedelta(days=days_ahead)).replace(hour=14, minute=0, second=0, microsecond=0)
    return HelpRequest.objects.create(
        buurt=requester.buurt,
        requester=requester,
        category=category,
        description="Boodschappen bij de bakker & de apotheek, graag.",
        window_start=start,
        window_end=start + timedelta(hours=2),
        status=RequestStatus.PROPOSED,
    )


def propose(request: HelpRequest, volunteer: Resident, distance_m: float = 220.0) -> MatchProposal:
    return MatchProposal.objects.create(
        request=request,
        volunteer=volunteer,
        score=0.9,
        distance_m=distance_m,
        reasons=[
            {"code": "distance", "m": distance_m},
            {"code": "language", "lang": "nl"},
            {"code": "load", "active": 1},
        ],
    )


def volunteers(buurt: object, count: int, language: str = "nl-be") -> list[Resident]:
    made = []
    for _ in range(count):
        user = UserFactory()
        made.append(ResidentFactory(buurt=buurt, user=user, email=user.email, language=language))
    return made


def unreached_without_call() -> list[str]:
    """Over the whole database: messages a resident had to hear that were skipped (no email, paused), bounced or
    failed, and have neither an open call task nor a recorded answer (DESIGN §12). Should always be empty."""
    return [
        f"{n.template} #{n.pk} to resident {n.recipient_resident_id}: {n.status} ({n.last_error})"
        for n in Notification.objects.unreached().filter(call_task__isnull=True)
    ]


def assert_nobody_unreached() -> None:
    assert unreached_without_call() == []
