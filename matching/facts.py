"""The rules' plain data, read with the ORM: a request's `RequestFacts` and residents as `Candidate`s.

The candidate statement (`matching.selection`) builds the same values from one SQL statement, for speed. These
ORM readers are the plain reference: the weekly digest uses them, and the differential test
(`tests/matching/test_differential.py`) checks that the statement decides and ranks exactly like the pure rules over
candidates built here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta

from django.db.models import Q

from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.residents.models import HelpEntry, HelpKind, Resident, ResidentBlock
from matching.rules import LOCAL_TZ, Candidate, Point, RequestFacts

# A volunteer's "too much" in a follow-up counts as load for this many days.
TOO_MUCH_DAYS = 60


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


def base_facts(request: HelpRequest, *, now: datetime) -> RequestFacts:
    """What the rules need to know about the request, from the loaded request alone (no query): without the
    exclusions of rule 8 and the requester's offers, which `request_facts` (or the candidate statement) adds."""
    requester = request.requester
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
        languages=tuple(requester.languages or ()),
    )


def request_facts(request: HelpRequest, *, now: datetime, include_current_round: bool = False) -> RequestFacts:
    """The request's facts with the volunteers excluded by rule 8 and the requester's offers, read with the ORM.

    For the next round everyone proposed before is excluded. For the coordinator's list of candidates
    (`include_current_round`), the volunteers of the round still open stay in the list: rule 8 excludes only those
    who declined or were proposed in an earlier round."""
    # No ORDER BY inside a UNION (SQLite refuses it; the models have a default ordering).
    proposals = MatchProposal.objects.filter(request=request)
    if include_current_round:
        proposals = proposals.filter(Q(status=ProposalStatus.DECLINED) | Q(round__lt=request.current_round))
    proposed = proposals.order_by().values_list("volunteer_id", flat=True)
    blocked = ResidentBlock.objects.filter(blocker=request.requester).order_by().values_list("blocked_id", flat=True)
    excluded = frozenset(proposed.union(blocked)) if request.pk else frozenset(blocked)
    offers = frozenset(request.requester.help_entries.filter(kind=HelpKind.OFFER).values_list("category", flat=True))
    return replace(base_facts(request, now=now), excluded_ids=excluded, offers=offers)


def candidates_from(residents: Iterable[Resident], *, facts: RequestFacts, now: datetime) -> list[Candidate]:
    """Residents as the rules see them, every value read with plain ORM queries (a few per call, not per resident).

    Loads, limits and continuity count accepted proposals the way DESIGN §5 words them: active matches are accepted
    proposals whose request is matched; this month's are those accepted since the first of the month (local time);
    continuity counts done requests of this requester."""
    people = list(residents)
    ids = [r.pk for r in people]
    offers: dict[int, set[str]] = {pk: set() for pk in ids}
    wants: dict[int, set[str]] = {pk: set() for pk in ids}
    for pk, kind, category in HelpEntry.objects.filter(resident_id__in=ids).values_list(
        "resident_id", "kind", "category"
    ):
        (offers if kind == HelpKind.OFFER else wants)[pk].add(category)
    active: Counter[int] = Counter()
    this_month: Counter[int] = Counter()
    helped: Counter[int] = Counter()
    first_of_month = month_start(now)
    for pk, status, requester_id, answered_at in MatchProposal.objects.filter(
        volunteer_id__in=ids, status=ProposalStatus.ACCEPTED
    ).values_list("volunteer_id", "request__status", "request__requester_id", "answered_at"):
        if status == RequestStatus.MATCHED:
            active[pk] += 1
        if answered_at is not None and answered_at >= first_of_month:
            this_month[pk] += 1
        if status == RequestStatus.DONE and requester_id == facts.requester_id:
            helped[pk] += 1
    strained = set(
        FollowUp.objects.filter(
            respondent_id__in=ids,
            role=FollowUp.Role.VOLUNTEER,
            too_much=True,
            answered_at__gte=now - timedelta(days=TOO_MUCH_DAYS),
        ).values_list("respondent_id", flat=True)
    )
    return [
        Candidate(
            id=r.pk,
            buurt_id=r.buurt_id,
            point=Point(r.lat, r.lon) if r.lat is not None and r.lon is not None else None,
            offers=frozenset(offers[r.pk]),
            household_root_id=r.household_root_id,
            street_id=r.street_id,
            house_number=r.house_number,
            paused_until=r.paused_until,
            is_blocked=r.is_blocked,
            in_use=r.deleted_at is None and r.consent_withdrawn_at is None,
            approved=r.approved,
            active_matches=active[r.pk],
            matches_this_month=this_month[r.pk],
            max_active_matches=r.max_active_matches,
            max_matches_per_month=r.max_matches_per_month,
            has_car=r.has_car,
            birth_date=r.birth_date,
            availability=tuple(
                (int(slot["day"]), str(slot["part"]))
                for slot in r.availability or []
                if isinstance(slot, dict) and "day" in slot and "part" in slot
            ),
            languages=tuple(r.languages or ()),
            wants=frozenset(wants[r.pk]) & facts.offers,
            helped_requester_before=helped[r.pk],
            recent_too_much=1 if r.pk in strained else 0,
            last_active_at=r.last_active_at,
        )
        for r in people
    ]
