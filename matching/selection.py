"""Candidate selection: indexed queries that narrow a whole city down to the few neighbours worth ranking.

At most five queries per request, whatever the number of residents (four when the request is already loaded):

0. the request with its requester, street and neighbourhood (skipped when they are already loaded);
1. who is excluded by rule 8 (proposed or declined this request before, blocked by the requester), one UNION;
2. the candidates: help entries (buurt, kind, category) joined to residents inside the bounding box of the radius
   (or without coordinates), with the household, activity, car and age rules in SQL, nearest first, at most
   `POOL` rows;
3. the load of those candidates (active matches, matches this month, helps for this requester), one GROUP BY over
   their accepted proposals;
4. one UNION for reciprocity and strain: what the requester offers, what the candidates could use, and who said
   "too much" in a recent follow-up.

The pure rules of `matching.rules` then decide on every row (limits and availability included), and
`matching.scoring` ranks the survivors. Nothing is loaded per resident, so the cost depends on how many neighbours
offer this help nearby, not on the size of the city.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    CharField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.utils import timezone

from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.residents.models import HelpEntry, HelpKind, Resident, ResidentBlock
from matching.rules import LOCAL_TZ, MIN_AGE, NEEDS_CAR, Candidate, Point, RequestFacts, bounding_box
from matching.scoring import Ranked, rank

# The most rows one request reads; nearest first. A neighbourhood rarely has this many volunteers for one kind of
# help inside the radius, and if it does, the farthest are the least likely to be proposed anyway.
POOL = 400
TOO_MUCH_DAYS = 60
TOO_MUCH_TAG = "!too_much"


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


def request_facts(request: HelpRequest, *, now: datetime, include_current_round: bool = False) -> RequestFacts:
    """Query 1: the volunteers excluded by rule 8. The requester's offers are filled in by query 4.

    For the next round everyone proposed before is excluded. For the coordinator's list of candidates
    (`include_current_round`), the volunteers of the round still open stay in the list: rule 8 excludes only those
    who declined or were proposed in an earlier round."""
    requester = request.requester
    # No ORDER BY inside a UNION (SQLite refuses it; the models have a default ordering).
    proposals = MatchProposal.objects.filter(request=request)
    if include_current_round:
        proposals = proposals.filter(Q(status=ProposalStatus.DECLINED) | Q(round__lt=request.current_round))
    proposed = proposals.order_by().values_list("volunteer_id", flat=True)
    blocked = ResidentBlock.objects.filter(blocker=requester).order_by().values_list("blocked_id", flat=True)
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
    )


ROW_FIELDS = (
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
)


def candidate_rows(facts: RequestFacts) -> list[dict[str, Any]]:
    """Query 2: the residents who can pass the hard rules, nearest first, at most POOL."""
    lat0, lat1, lon0, lon1 = bounding_box(facts.place, facts.radius_m)
    coslat = max(0.01, abs(math.cos(math.radians(facts.place.lat))))
    # A join, not EXISTS: the (buurt, kind, category) index then drives the query; (resident, category, kind) is
    # unique, so no row appears twice.
    qs = Resident.objects.filter(
        help_entries__buurt_id=facts.buurt_id,
        help_entries__kind=HelpKind.OFFER,
        help_entries__category=facts.category,
        buurt_id=facts.buurt_id,
        is_blocked=False,
        deleted_at__isnull=True,
        # A resident who withdrew the platform consent is never matched again.
        consent_withdrawn_at__isnull=True,
    )
    qs = qs.filter(Q(lat__range=(lat0, lat1), lon__range=(lon0, lon1)) | Q(lat__isnull=True) | Q(lon__isnull=True))
    # Rule 3: not the requester, not the household, not at the same address.
    qs = qs.exclude(pk__in=sorted({facts.requester_id, facts.household_root_id})).exclude(
        household_of_id=facts.household_root_id
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
    # Rule 5 is decided on the figures of query 3, in Python.
    # Nearest first on a flat-earth approximation (portable SQL); unknown coordinates last.
    d2 = ExpressionWrapper(
        (F("lat") - Value(facts.place.lat)) * (F("lat") - Value(facts.place.lat))
        + (F("lon") - Value(facts.place.lon)) * (F("lon") - Value(facts.place.lon)) * Value(coslat * coslat),
        output_field=FloatField(),
    )
    qs = qs.annotate(d2=d2).order_by(F("d2").asc(nulls_last=True), "pk")[:POOL]
    return list(qs.values(*ROW_FIELDS))


def load_figures(ids: list[int], facts: RequestFacts, *, now: datetime) -> dict[int, tuple[int, int, int]]:
    """Query 3: per candidate, (active matches, matches this month, helps done for this requester), from the
    accepted proposals of these candidates only (index on volunteer, status). The request's status and requester
    come from scalar subqueries on its primary key: a join would make the planner scan every request of the city."""
    if not ids:
        return {}
    request = HelpRequest.objects.filter(pk=OuterRef("request_id"))
    rows = (
        MatchProposal.objects.filter(volunteer_id__in=ids, status=ProposalStatus.ACCEPTED)
        .order_by()
        .annotate(
            req_status=Subquery(request.values("status")[:1]),
            req_requester=Subquery(request.values("requester_id")[:1]),
        )
        .values_list("volunteer_id", "answered_at", "req_status", "req_requester")
    )
    since = month_start(now)
    figures: dict[int, list[int]] = {}
    for vid, answered_at, status, requester_id in rows:
        f = figures.setdefault(vid, [0, 0, 0])
        f[0] += status == RequestStatus.MATCHED
        f[1] += answered_at is not None and answered_at >= since
        f[2] += status == RequestStatus.DONE and requester_id == facts.requester_id
    return {vid: (f[0], f[1], f[2]) for vid, f in figures.items()}


def side_facts(
    ids: list[int], facts: RequestFacts, *, now: datetime
) -> tuple[frozenset[str], dict[int, set[str]], set[int]]:
    """Query 4, one UNION: what the requester offers, what each candidate could use (reciprocity), and who said
    "too much" lately. The requester is never a candidate, so their rows are told apart by id."""
    if not ids:
        return frozenset(), {}, set()
    wants = (
        HelpEntry.objects.filter(
            Q(resident_id__in=ids, kind=HelpKind.WANT) | Q(resident_id=facts.requester_id, kind=HelpKind.OFFER)
        )
        .order_by()
        .values_list("resident_id", "category")
    )
    strained = (
        FollowUp.objects.filter(
            respondent_id__in=ids,
            role=FollowUp.Role.VOLUNTEER,
            too_much=True,
            answered_at__gte=now - timedelta(days=TOO_MUCH_DAYS),
        )
        .order_by()
        .annotate(tag=Value(TOO_MUCH_TAG, output_field=CharField()))
        .values_list("respondent_id", "tag")
    )
    offers: set[str] = set()
    wanted: dict[int, set[str]] = {}
    too_much: set[int] = set()
    for rid, value in wants.union(strained, all=True):
        if value == TOO_MUCH_TAG:
            too_much.add(rid)
        elif rid == facts.requester_id:
            offers.add(value)
        else:
            wanted.setdefault(rid, set()).add(value)
    return frozenset(offers), wanted, too_much


def to_candidate(
    row: dict[str, Any],
    facts: RequestFacts,
    figures: tuple[int, int, int],
    wants: set[str] | frozenset[str],
    strained: bool,
) -> Candidate:
    lat, lon = row["lat"], row["lon"]
    availability = tuple(
        (int(slot["day"]), str(slot["part"]))
        for slot in (row["availability"] or [])
        if isinstance(slot, dict) and "day" in slot and "part" in slot
    )
    active, month, continuity = figures
    return Candidate(
        id=row["pk"],
        buurt_id=row["buurt_id"],
        point=Point(lat, lon) if lat is not None and lon is not None else None,
        # The query only returns residents who offer the category.
        offers=frozenset({facts.category}),
        household_root_id=row["household_of_id"] or row["pk"],
        street_id=row["street_id"],
        house_number=row["house_number"] or "",
        paused_until=row["paused_until"],
        is_blocked=row["is_blocked"],
        approved=row["approved"],
        active_matches=active,
        matches_this_month=month,
        max_active_matches=row["max_active_matches"],
        max_matches_per_month=row["max_matches_per_month"],
        has_car=row["has_car"],
        birth_date=row["birth_date"],
        availability=availability,
        languages=tuple(row["languages"] or ()),
        wants=frozenset(wants) & facts.offers,
        helped_requester_before=continuity,
        recent_too_much=1 if strained else 0,
        last_active_at=row["last_active_at"],
    )


def select_candidates(
    request: HelpRequest, *, now: datetime | None = None, limit: int | None = 20, include_current_round: bool = False
) -> Selection:
    """Rank the neighbours who may be proposed `request`, best first (hard rules applied; at most four queries)."""
    now = now or timezone.now()
    if not _loaded(request):
        request = HelpRequest.objects.select_related("buurt", "requester__street").get(pk=request.pk)
    facts = request_facts(request, now=now, include_current_round=include_current_round)
    if facts.triage_level != "light" or facts.status not in {"open", "proposed"}:
        return Selection(facts=facts, ranked=[])  # rule 9: nobody, and no query needed
    rows = candidate_rows(facts)
    ids = [row["pk"] for row in rows]
    figures = load_figures(ids, facts, now=now)
    offers, wants, strained = side_facts(ids, facts, now=now)
    facts = replace(facts, offers=offers)
    none = (0, 0, 0)
    candidates = [
        to_candidate(row, facts, figures.get(row["pk"], none), wants.get(row["pk"], frozenset()), row["pk"] in strained)
        for row in rows
    ]
    return Selection(facts=facts, ranked=rank(facts, candidates, now=now, limit=limit))


def _loaded(request: HelpRequest) -> bool:
    state = request._state.fields_cache
    if "buurt" not in state or "requester" not in state:
        return False
    return "street" in request.requester._state.fields_cache
