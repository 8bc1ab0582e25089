"""Candidate selection: indexed queries that narrow a whole city down to the few neighbours worth ranking.

At most four queries per request, whatever the number of residents:

1. the request with its requester, street and neighbourhood (skipped when they are already loaded);
2. what the requester offers (for reciprocity);
3. who is excluded by rule 8 (proposed or declined this request before, blocked by the requester);
4. the candidates: help entries (buurt, kind, category) joined to residents inside the bounding box of the radius
   (or without coordinates), with the household, activity, car and age rules in SQL and the load, month, continuity,
   reciprocity and "too much" figures as aggregated subqueries, nearest first, capped at `POOL`.

The pure rules of `matching.rules` then decide on every row (availability lives in JSON and is checked there), and
`matching.scoring` ranks the survivors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.residents.models import HelpEntry, HelpKind, Resident, ResidentBlock
from matching.rules import LOCAL_TZ, MIN_AGE, NEEDS_CAR, Candidate, Point, RequestFacts, bounding_box
from matching.scoring import Ranked, rank

# The most rows one request reads; nearest first. A neighbourhood rarely has this many volunteers for one kind of
# help inside the radius, and if it does, the farthest are the least likely to be proposed anyway.
POOL = 400
TOO_MUCH_DAYS = 60


@dataclass(frozen=True)
class Selection:
    facts: RequestFacts
    ranked: list[Ranked]


def request_place(request: HelpRequest) -> Point:
    """The requester's coordinates, else their street's centroid, else the neighbourhood's centre (DESIGN §5)."""
    r = request.requester
    if r.lat is not None and r.lon is not None:
        return Point(r.lat, r.lon)
    street = r.street
    if street is not None and street.lat is not None and street.lon is not None:
        return Point(street.lat, street.lon)
    return Point(request.buurt.lat, request.buurt.lon)


def month_start(now: datetime) -> datetime:
    local = now.astimezone(LOCAL_TZ)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def request_facts(request: HelpRequest, *, now: datetime) -> RequestFacts:
    """Queries 2 and 3: the requester's offers and the excluded volunteers."""
    requester = request.requester
    offers = frozenset(
        HelpEntry.objects.filter(resident=requester, kind=HelpKind.OFFER).values_list("category", flat=True)
    )
    proposed = MatchProposal.objects.filter(request=request).values_list("volunteer_id", flat=True)
    blocked = ResidentBlock.objects.filter(blocker=requester).values_list("blocked_id", flat=True)
    excluded = frozenset(proposed.union(blocked)) if request.pk else frozenset(blocked)
    return RequestFacts(
        buurt_id=request.buurt_id,
        requester_id=requester.pk,
        category=request.category,
        place=request_place(request),
        radius_m=request.buurt.match_radius_m,
        household_root_id=requester.household_root_id,
        street_id=requester.street_id,
        house_number=requester.house_number,
        requires_approval=request.buurt.requires_approval,
        triage_level=request.triage_level,
        status=request.status,
        window_start=request.window_start,
        window_end=request.window_end,
        today=now.astimezone(LOCAL_TZ).date(),
        excluded_ids=excluded,
        languages=tuple(requester.languages or ()),
        offers=offers,
    )


def candidate_rows(facts: RequestFacts, *, now: datetime) -> list[dict[str, object]]:
    """Query 4: the rows that can pass the hard rules, nearest first."""
    lat0, lat1, lon0, lon1 = bounding_box(facts.place, facts.radius_m)
    coslat = max(0.01, abs(_cos_deg(facts.place.lat)))
    # A join, not EXISTS: the (buurt, kind, category) index then drives the query; (resident, category, kind) is
    # unique, so no row appears twice.
    qs = Resident.objects.filter(
        help_entries__buurt_id=facts.buurt_id,
        help_entries__kind=HelpKind.OFFER,
        help_entries__category=facts.category,
        buurt_id=facts.buurt_id,
        is_blocked=False,
        deleted_at__isnull=True,
    )
    qs = qs.filter(Q(lat__range=(lat0, lat1), lon__range=(lon0, lon1)) | Q(lat__isnull=True) | Q(lon__isnull=True))
    # Rule 3: not the requester, not the household, not at the same address.
    qs = (
        qs.exclude(pk=facts.requester_id)
        .exclude(pk=facts.household_root_id)
        .exclude(household_of_id=facts.household_root_id)
    )
    if facts.street_id is not None and facts.house_number:
        qs = qs.exclude(street_id=facts.street_id, house_number__iexact=facts.house_number.strip())
    # Rule 4: not paused today, approved where required.
    qs = qs.filter(Q(paused_until__isnull=True) | Q(paused_until__lt=facts.today))
    if facts.requires_approval:
        qs = qs.filter(approved=True)
    # Rule 6: the category's own rule.
    if facts.category in NEEDS_CAR:
        qs = qs.filter(has_car=True)
    if facts.category in MIN_AGE:
        day = facts.window_start.astimezone(LOCAL_TZ).date() if facts.window_start else facts.today
        qs = qs.filter(birth_date__isnull=False, birth_date__lte=years_before(day, MIN_AGE[facts.category]))
    # Rule 8.
    if facts.excluded_ids:
        qs = qs.exclude(pk__in=sorted(facts.excluded_ids))

    # Rule 5 and the ranking figures, as aggregated subqueries (one row each).
    accepted = MatchProposal.objects.filter(volunteer=OuterRef("pk"), status=ProposalStatus.ACCEPTED)
    active = _count(accepted.filter(request__status=RequestStatus.MATCHED), "volunteer_id")
    this_month = _count(accepted.filter(answered_at__gte=month_start(now)), "volunteer_id")
    continuity = _count(
        accepted.filter(request__requester_id=facts.requester_id, request__status=RequestStatus.DONE), "volunteer_id"
    )
    too_much = _count(
        FollowUp.objects.filter(
            respondent=OuterRef("pk"),
            role=FollowUp.Role.VOLUNTEER,
            too_much=True,
            answered_at__gte=now - timedelta(days=TOO_MUCH_DAYS),
        ),
        "respondent_id",
    )
    wants_back: Exists | Value
    if facts.offers:
        wants_back = Exists(
            HelpEntry.objects.filter(resident=OuterRef("pk"), kind=HelpKind.WANT, category__in=sorted(facts.offers))
        )
    else:
        wants_back = Value(False, output_field=BooleanField())
    qs = qs.annotate(active_n=active, month_n=this_month).filter(
        active_n__lt=F("max_active_matches"), month_n__lt=F("max_matches_per_month")
    )
    # Nearest first on a flat-earth approximation (portable SQL); unknown coordinates last.
    d2 = ExpressionWrapper(
        (F("lat") - Value(facts.place.lat)) * (F("lat") - Value(facts.place.lat))
        + (F("lon") - Value(facts.place.lon)) * (F("lon") - Value(facts.place.lon)) * Value(coslat * coslat),
        output_field=FloatField(),
    )
    qs = qs.annotate(d2=d2, continuity_n=continuity, too_much_n=too_much, wants_back=wants_back)
    qs = qs.order_by(F("d2").asc(nulls_last=True), "pk")[:POOL]
    return list(
        qs.values(
            "pk",
            "buurt_id",
            "lat",
            "lon",
            "household_of_id",
            "street_id",
            "house_number",
            "paused_until",
            "is_blocked",
            "approved",
            "max_active_matches",
            "max_matches_per_month",
            "has_car",
            "birth_date",
            "availability",
            "languages",
            "last_active_at",
            "active_n",
            "month_n",
            "continuity_n",
            "too_much_n",
            "wants_back",
        )
    )


def _count(qs: QuerySet[Any], group: str) -> Coalesce:
    """COUNT(*) of a correlated subquery, grouped on the outer key so that it is one row (or none: 0)."""
    inner = qs.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def _cos_deg(deg: float) -> float:
    return math.cos(math.radians(deg))


def to_candidate(row: dict[str, object], facts: RequestFacts) -> Candidate:
    lat, lon = row["lat"], row["lon"]
    availability = tuple(
        (int(slot["day"]), str(slot["part"]))
        for slot in (row["availability"] or [])  # type: ignore[attr-defined]
        if isinstance(slot, dict) and "day" in slot and "part" in slot
    )
    wants = facts.offers if row["wants_back"] else frozenset()
    return Candidate(
        id=int(row["pk"]),  # type: ignore[call-overload]
        buurt_id=int(row["buurt_id"]),  # type: ignore[call-overload]
        point=Point(float(lat), float(lon)) if lat is not None and lon is not None else None,  # type: ignore[arg-type]
        # The query only returns residents who offer the category.
        offers=frozenset({facts.category}),
        household_root_id=int(row["household_of_id"] or row["pk"]),  # type: ignore[call-overload]
        street_id=row["street_id"],  # type: ignore[arg-type]
        house_number=str(row["house_number"] or ""),
        paused_until=row["paused_until"],  # type: ignore[arg-type]
        is_blocked=bool(row["is_blocked"]),
        approved=bool(row["approved"]),
        active_matches=int(row["active_n"]),  # type: ignore[call-overload]
        matches_this_month=int(row["month_n"]),  # type: ignore[call-overload]
        max_active_matches=int(row["max_active_matches"]),  # type: ignore[call-overload]
        max_matches_per_month=int(row["max_matches_per_month"]),  # type: ignore[call-overload]
        has_car=bool(row["has_car"]),
        birth_date=row["birth_date"],  # type: ignore[arg-type]
        availability=availability,
        languages=tuple(str(x) for x in (row["languages"] or [])),  # type: ignore[attr-defined]
        wants=wants,
        helped_requester_before=int(row["continuity_n"]),  # type: ignore[call-overload]
        recent_too_much=int(row["too_much_n"]),  # type: ignore[call-overload]
        last_active_at=row["last_active_at"],  # type: ignore[arg-type]
    )


def select_candidates(request: HelpRequest, *, now: datetime | None = None, limit: int | None = 20) -> Selection:
    """Rank the neighbours who may be proposed `request`, best first (hard rules applied; at most four queries)."""
    now = now or timezone.now()
    if not _loaded(request):
        request = HelpRequest.objects.select_related("buurt", "requester__street").get(pk=request.pk)
    facts = request_facts(request, now=now)
    if facts.triage_level != "light" or facts.status not in {"open", "proposed"}:
        return Selection(facts=facts, ranked=[])  # rule 9: nobody, and no query needed
    rows = candidate_rows(facts, now=now)
    candidates = [to_candidate(row, facts) for row in rows]
    return Selection(facts=facts, ranked=rank(facts, candidates, now=now, limit=limit))


def _loaded(request: HelpRequest) -> bool:
    state = request._state.fields_cache
    if "buurt" not in state or "requester" not in state:
        return False
    return "street" in request.requester._state.fields_cache
