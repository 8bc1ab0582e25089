"""The neighbourhood's numbers (fiche L, DESIGN §8): requests per category and month, share matched, time to match,
referrals per kind of service, unmet needs and active helpers; the reports page, its CSV and the API read them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.coordination.models import QueueItem, QueueKind, Referral
from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import (
    REACHED_STATUSES,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TriageLevel,
)


class BadPeriod(ValueError):
    pass


#: The calendar a report may cover: years 1 and 9999 would overflow date arithmetic (a 500), and no data is older.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def _outside() -> str:
    return _("Choose dates between %(first)s and %(last)s.") % {
        "first": FIRST_DAY.isoformat(),
        "last": LAST_DAY.isoformat(),
    }


def period_from(raw_from: str | None, raw_to: str | None, *, today: date | None = None) -> tuple[date, date]:
    """Inclusive dates; default the last 365 days up to today. Raises BadPeriod with a clear message."""
    today = today or timezone.localdate()
    try:
        end = date.fromisoformat(raw_to) if raw_to else today
    except ValueError as exc:
        raise BadPeriod(_("“to” must be a date like 2025-12-31.")) from exc
    if not FIRST_DAY <= end <= LAST_DAY:
        raise BadPeriod(_outside())
    try:
        start = date.fromisoformat(raw_from) if raw_from else max(FIRST_DAY, end - timedelta(days=365))
    except ValueError as exc:
        raise BadPeriod(_("“from” must be a date like 2025-01-31.")) from exc
    if not FIRST_DAY <= start <= LAST_DAY:
        raise BadPeriod(_outside())
    if start > end:
        raise BadPeriod(_("“from” must be on or before “to”."))
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


@dataclass
class Report:
    start: date
    end: date
    requests_per_category: dict[str, int]
    per_month: list[tuple[str, dict[str, int]]]
    requests_total: int
    ever_open: int
    matched: int
    matched_share: float
    median_hours_to_match: float | None
    referrals_per_kind: dict[str, int]
    unmet_per_category: dict[str, dict[str, int]]
    active_helpers: int


def report_for(*, buurt: Neighbourhood, start: date, end: date) -> Report:
    """The neighbourhood's numbers for an inclusive period, by creation time.

    `matched_share` = requests that reached matched or done ÷ requests that were ever open. A request was ever open
    when it is light (released requests become light); heavy and crisis requests never went to neighbours.
    Hours to match run from creation to acceptance (`matched_at`)."""
    lo, hi = _bounds(start, end)
    reqs: QuerySet[HelpRequest] = HelpRequest.objects.in_buurt(buurt).filter(created_at__gte=lo, created_at__lt=hi)
    per_category = {
        row["category"]: row["n"] for row in reqs.values("category").annotate(n=Count("id")).order_by("category")
    }
    months: dict[str, dict[str, int]] = {}
    for row in (
        reqs.annotate(month=TruncMonth("created_at"))
        .values("month", "category")
        .annotate(n=Count("id"))
        .order_by("month")
    ):
        key = (
            timezone.localtime(row["month"]).strftime("%Y-%m")
            if timezone.is_aware(row["month"])
            else row["month"].strftime("%Y-%m")
        )
        months.setdefault(key, {})[row["category"]] = row["n"]
    reached = Q(status__in=REACHED_STATUSES) | Q(matched_at__isnull=False)
    agg = reqs.aggregate(
        total=Count("id"),
        ever_open=Count("id", filter=Q(triage_level=TriageLevel.LIGHT)),
        matched=Count("id", filter=Q(triage_level=TriageLevel.LIGHT) & reached),
    )
    durations = [
        (m - c).total_seconds() / 3600
        for c, m in reqs.filter(matched_at__isnull=False).values_list("created_at", "matched_at")
        if m is not None
    ]
    median = round(statistics.median(durations), 2) if durations else None
    referrals = {
        row["service__kind"]: row["n"]
        for row in Referral.objects.in_buurt(buurt)
        .filter(created_at__gte=lo, created_at__lt=hi)
        .values("service__kind")
        .annotate(n=Count("id"))
        .order_by("service__kind")
    }
    no_match_ids = QueueItem.objects.in_buurt(buurt).filter(kind=QueueKind.NO_MATCH).values("request_id")
    unmet: dict[str, dict[str, int]] = {}
    for row in (
        reqs.values("category")
        .annotate(
            queued=Count("id", filter=Q(status=RequestStatus.QUEUED) & ~Q(pk__in=no_match_ids)),
            no_match=Count("id", filter=Q(pk__in=no_match_ids) & ~reached),
            expired=Count("id", filter=Q(status=RequestStatus.EXPIRED)),
        )
        .order_by("category")
    ):
        if row["queued"] or row["no_match"] or row["expired"]:
            unmet[row["category"]] = {"queued": row["queued"], "no_match": row["no_match"], "expired": row["expired"]}
    helpers = (
        MatchProposal.objects.filter(
            request__buurt=buurt, status=ProposalStatus.ACCEPTED, answered_at__gte=lo, answered_at__lt=hi
        )
        .values("volunteer")
        .distinct()
        .count()
    )
    ever_open = agg["ever_open"]
    return Report(
        start=start,
        end=end,
        requests_per_category=per_category,
        per_month=sorted(months.items()),
        requests_total=agg["total"],
        ever_open=ever_open,
        matched=agg["matched"],
        matched_share=round(agg["matched"] / ever_open, 4) if ever_open else 0.0,
        median_hours_to_match=median,
        referrals_per_kind=referrals,
        unmet_per_category=unmet,
        active_helpers=helpers,
    )
