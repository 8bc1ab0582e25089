"""Messages about requests found by the clock (beat tasks): reminders the day before, and the residents' weekly
digest of open requests they could help with. Each writes outbox rows with a key that includes the day or week, so
running it twice sends nothing twice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from burenhulp.helprequests.models import MatchProposal, ProposalStatus
from burenhulp.helprequests.selectors import requests_near
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident


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


def weekly_digests_due(today: date | None = None) -> int:
    """One digest a week to each resident who asked for it and could be proposed an open request nearby."""
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
        if not requests_near(resident, limit=1):
            continue
        notify(
            template="weekly_digest",
            key=f"weekly_digest:{resident.pk}-{year}w{week:02d}:{resident.pk}",
            resident=resident,
            context={"resident_id": resident.pk},
        )
        written += 1
    return written
