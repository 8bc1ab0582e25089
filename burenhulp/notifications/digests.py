"""Messages found by the clock (beat tasks): reminders the day before, the coordinators' daily queue digest and the
residents' weekly digest of open requests nearby. Each writes outbox rows with a key that includes the day or week,
so running it twice the same day sends nothing twice."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from burenhulp.coordination.models import QueueItem
from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import HelpRequest, MatchProposal, ProposalStatus, TriageLevel
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import HelpKind, Resident

DIGEST_SIZE = 10


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def open_requests_near(resident: Resident, limit: int = DIGEST_SIZE) -> list[HelpRequest]:
    """Open light requests in the resident's neighbourhood, within its match radius, for kinds of help the resident
    offers (any kind if they ticked none), nearest first. Never their own household's requests."""
    offers = set(resident.help_entries.filter(kind=HelpKind.OFFER).values_list("category", flat=True))
    qs = (
        HelpRequest.objects.in_buurt(resident.buurt_id)
        .open()
        .filter(triage_level=TriageLevel.LIGHT)
        .exclude(requester_id=resident.pk)
        .exclude(requester__household_of_id=resident.household_root_id)
        .exclude(requester_id=resident.household_root_id)
        .select_related("requester__street")
        .order_by("window_start", "created_at")
    )
    if offers:
        qs = qs.filter(category__in=offers)
    radius = resident.buurt.match_radius_m
    found: list[tuple[float, HelpRequest]] = []
    for request in qs[:200]:
        requester = request.requester
        if None in (resident.lat, resident.lon, requester.lat, requester.lon):
            distance = 0.0
        else:
            distance = _distance_m(resident.lat, resident.lon, requester.lat, requester.lon)  # type: ignore[arg-type]
        if distance <= radius:
            found.append((distance, request))
    found.sort(key=lambda pair: pair[0])
    return [request for _, request in found[:limit]]


def reminders_due(today: date | None = None) -> int:
    """Outbox rows for helps that happen tomorrow: to the volunteer and to the requester. Returns rows written."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(tomorrow, time.min), tz)
    end = start + timedelta(days=1)
    proposals = MatchProposal.objects.filter(
        status=ProposalStatus.ACCEPTED, request__window_start__gte=start, request__window_start__lt=end
    ).select_related("request__requester__user", "volunteer__user")
    written = 0
    for p in proposals:
        with transaction.atomic():
            for resident in (p.volunteer, p.request.requester):
                notify(
                    template="reminder",
                    key=f"reminder:{p.pk}:{resident.pk}",
                    resident=resident,
                    context={"proposal_id": p.pk},
                )
                written += 1
    return written


def queue_digests_due(today: date | None = None) -> int:
    """One digest a day to each coordinator of each neighbourhood with open queue items."""
    today = today or timezone.localdate()
    buurt_ids = QueueItem.objects.open().values_list("buurt_id", flat=True).distinct()
    written = 0
    for buurt in Neighbourhood.objects.filter(pk__in=buurt_ids).prefetch_related("coordinators"):
        with transaction.atomic():
            for user in buurt.coordinators.all():
                if not user.is_active:
                    continue
                notify(
                    template="queue_digest",
                    key=f"queue_digest:{buurt.pk}-{today.isoformat()}:{user.pk}",
                    user=user,
                    buurt=buurt,
                    context={"buurt_id": buurt.pk},
                )
                written += 1
    return written


def weekly_digests_due(today: date | None = None) -> int:
    """One digest a week to each resident who asked for it and has open requests nearby."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    residents = (
        Resident.objects.active()
        .filter(weekly_digest=True, emails_paused=False)
        .select_related("buurt", "user")
        .order_by("pk")
    )
    written = 0
    for resident in residents.iterator(chunk_size=500):
        if not open_requests_near(resident, limit=1):
            continue
        notify(
            template="weekly_digest",
            key=f"weekly_digest:{resident.pk}-{year}w{week:02d}:{resident.pk}",
            resident=resident,
            context={"resident_id": resident.pk},
        )
        written += 1
    return written
