"""The candidate statement decides and ranks exactly like the pure rules.

Several hard rules live twice: in the SQL of `matching/selection.py` (to narrow a city down with indexes) and in the
pure functions of `matching/rules.py`, and the statement counts each candidate's load, continuity, strain and
reciprocity itself. Here a seeded random neighbourhood (about 300 residents with mixed coordinates, pauses, blocks,
households, cars, birthdays, availability, loads, approvals and erased or withdrawn profiles) gets about 50 random
requests, and for each one the statement's ranking must equal the pure rules' ranking over candidates read with the
plain ORM (`matching/facts.py`): the same volunteers, in the same order, with the same scores, distances and reasons.

The data is built so that the edges are crossed: residents right at and beyond the radius, paused until today,
turning 18 on the day of the help, at the requester's address written differently, blocked by the requester,
declined or proposed in an earlier round. docs/contributing.md says how this test was seen to fail when one copy of
a rule changes (the SQL's pause, household, age or radius condition, or the pure rule alone).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest

from burenhulp.core.models import Neighbourhood, Street
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.residents.models import HelpEntry, HelpKind, Resident, ResidentBlock
from matching.facts import candidates_from, request_facts
from matching.rules import LOCAL_TZ, Point, distance_m
from matching.scoring import Ranked, rank
from matching.selection import select_candidates

pytestmark = pytest.mark.django_db

SEED = 20261130
RESIDENTS = 300
REQUESTS = 50
CATEGORIES = ("boodschappen", "chauffeur", "babysit", "hond", "planten", "tuin")
PARTS = ("morning", "afternoon", "evening")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=LOCAL_TZ)
TODAY = NOW.date()


@dataclass
class Neighbourhoods:
    main: Neighbourhood
    strict: Neighbourhood  # new profiles need approval here
    residents: list[Resident]
    requests: list[HelpRequest]


def metres_north(buurt: Neighbourhood, m: float) -> float:
    return buurt.lat + m / 111_195.0


def birthday(rng: random.Random) -> date | None:
    roll = rng.random()
    if roll < 0.1:
        return None
    if roll < 0.3:  # around the 18th birthday: on, just before and just after today and the next days
        day = TODAY + timedelta(days=rng.randint(-3, 10))
        return day.replace(year=day.year - 18)
    return TODAY.replace(year=TODAY.year - rng.randint(8, 90)) - timedelta(days=rng.randint(0, 364))


def build(rng: random.Random) -> Neighbourhoods:
    main = Neighbourhood.objects.create(slug="diff-main", name="Diff", lat=50.9325, lon=3.3990, match_radius_m=1500)
    strict = Neighbourhood.objects.create(
        slug="diff-strict", name="Diff strict", lat=50.9425, lon=3.4090, match_radius_m=900, requires_approval=True
    )
    streets = {
        b.pk: [
            Street.objects.create(
                buurt=b,
                name=f"Straat {b.pk}-{i}",
                lat=None if i % 4 == 0 else metres_north(b, rng.uniform(-1200, 1200)),
                lon=None if i % 4 == 0 else b.lon + rng.uniform(-0.01, 0.01),
            )
            for i in range(8)
        ]
        for b in (main, strict)
    }
    people: list[Resident] = []
    for i in range(RESIDENTS):
        buurt = main if i % 3 else strict
        radius = buurt.match_radius_m
        # Households: a fifth of the residents join one of the first forty (a household's first resident), and
        # live next door or at the same address written differently.
        roots = [p for p in people[:40] if p.buurt_id == buurt.pk and p.household_of_id is None]
        household = rng.choice(roots) if roots and rng.random() < 0.2 else None
        where = rng.random()
        if household is not None and household.lat is not None and household.lon is not None:
            lat, lon = household.lat + rng.uniform(-0.0002, 0.0002), household.lon
        elif where < 0.1:
            lat = lon = None  # no coordinates: counts as within, ranked last
        elif where < 0.25:  # on or right around the circle
            lat, lon = metres_north(buurt, radius + rng.choice([-2.0, -0.5, 0.0, 0.5, 2.0, 30.0])), buurt.lon
        else:
            lat, lon = metres_north(buurt, rng.uniform(-radius, radius)), buurt.lon + rng.uniform(-0.012, 0.012)
        street = rng.choice(streets[buurt.pk]) if rng.random() < 0.9 else None
        number = rng.choice(["1", "2", "3", "12", "12B", "12 b", "12b", "7 bus 2", "7bus2"])
        if household is not None and rng.random() < 0.5:
            street, number = household.street, household.house_number.upper().replace(" ", "")
        people.append(
            Resident(
                buurt=buurt,
                first_name=f"R{i}",
                street=street,
                house_number=number,
                lat=lat,
                lon=lon,
                household_of=household,
                paused_until=rng.choice(
                    [None, None, None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=9)]
                ),
                is_blocked=rng.random() < 0.04,
                approved=rng.random() < 0.85,
                consent_withdrawn_at=NOW if rng.random() < 0.03 else None,
                deleted_at=NOW if rng.random() < 0.02 else None,
                max_active_matches=rng.choice([0, 1, 2, 2, 3, 3]),
                max_matches_per_month=rng.choice([0, 2, 6, 6, 6]),
                has_car=rng.random() < 0.4,
                birth_date=birthday(rng),
                availability=[]
                if rng.random() < 0.6
                else [{"day": rng.randint(0, 6), "part": rng.choice(PARTS)} for _ in range(rng.randint(1, 5))],
                languages=rng.sample(["nl", "fr", "en", "ar", "tr"], rng.randint(0, 2)),
                last_active_at=NOW - timedelta(days=rng.choice([1, 10, 29, 31, 200])),
            )
        )
        people[-1].save()
    for r in people:
        for category in rng.sample(CATEGORIES, rng.randint(1, 4)):
            HelpEntry.objects.create(resident=r, buurt=r.buurt, category=category, kind=HelpKind.OFFER)
        for category in rng.sample(CATEGORIES, rng.randint(0, 2)):
            HelpEntry.objects.create(resident=r, buurt=r.buurt, category=category, kind=HelpKind.WANT)
    past_helps(rng, people)
    requests = [new_request(rng, people, n) for n in range(REQUESTS)]
    return Neighbourhoods(main, strict, people, requests)


def past_helps(rng: random.Random, people: list[Resident]) -> None:
    """Accepted proposals for loads (matched now), this month's limit, continuity (done for a requester) and strain
    ("too much" in a follow-up, recent or long ago)."""
    for n in range(160):
        requester, volunteer = rng.sample(people, 2)
        status = rng.choice([RequestStatus.MATCHED, RequestStatus.DONE, RequestStatus.DONE])
        answered = NOW - timedelta(days=rng.choice([0, 5, 29, 40, 90]), hours=rng.randint(0, 10))
        past = HelpRequest.objects.create(
            buurt=requester.buurt, requester=requester, category="boodschappen", description=f"past {n}", status=status
        )
        MatchProposal.objects.create(
            request=past, volunteer=volunteer, score=1, status=ProposalStatus.ACCEPTED, answered_at=answered
        )
        if status == RequestStatus.DONE and rng.random() < 0.3:
            FollowUp.objects.create(
                request=past,
                respondent=volunteer,
                role=FollowUp.Role.VOLUNTEER,
                too_much=True,
                answered_at=NOW - timedelta(days=rng.choice([3, 59, 61, 120])),
            )


def new_request(rng: random.Random, people: list[Resident], n: int) -> HelpRequest:
    # Half of the requests come from a household, so rule 3 has members to keep out.
    in_household = {r.household_of_id for r in people if r.household_of_id} | {
        r.pk for r in people if r.household_of_id
    }
    pool = [r for r in people if r.deleted_at is None and (r.pk in in_household or rng.random() < 0.5)]
    requester = rng.choice(pool)
    window = None
    if rng.random() < 0.6:
        day = TODAY + timedelta(days=rng.randint(0, 9))
        hours = rng.choice([(8, 12), (14, 16), (19, 21), (8, 22), (11, 13)])
        window = (
            datetime.combine(day, time(hours[0]), tzinfo=LOCAL_TZ),
            datetime.combine(day, time(hours[1]), tzinfo=LOCAL_TZ) if rng.random() < 0.8 else None,
        )
    level, status = "light", rng.choice([RequestStatus.OPEN, RequestStatus.PROPOSED])
    if rng.random() < 0.08:
        level, status = "heavy", RequestStatus.QUEUED  # rule 9: nobody, on both sides
    request = HelpRequest.objects.create(
        buurt=requester.buurt,
        requester=requester,
        category=rng.choice(CATEGORIES),
        description=f"request {n}",
        window_start=window[0] if window else None,
        window_end=window[1] if window else None,
        status=status,
        triage_level=level,
        current_round=2 if status == RequestStatus.PROPOSED else 0,
    )
    same_buurt = [r for r in people if r.buurt_id == requester.buurt_id and r.pk != requester.pk]
    for volunteer in rng.sample(same_buurt, 3):
        ResidentBlock.objects.get_or_create(blocker=requester, blocked=volunteer)
    if status == RequestStatus.PROPOSED:  # rule 8: declined, an earlier round, and the round still open
        for volunteer, (round_, answer) in zip(
            rng.sample(same_buurt, 4),
            [
                (1, ProposalStatus.DECLINED),
                (1, ProposalStatus.EXPIRED),
                (2, ProposalStatus.PROPOSED),
                (2, ProposalStatus.DECLINED),
            ],
            strict=True,
        ):
            MatchProposal.objects.get_or_create(
                request=request, volunteer=volunteer, defaults={"score": 1, "round": round_, "status": answer}
            )
    return request


def pure_ranking(request: HelpRequest, residents: list[Resident], *, include_current_round: bool) -> list[Ranked]:
    facts = request_facts(request, now=NOW, include_current_round=include_current_round)
    return rank(facts, candidates_from(residents, facts=facts, now=NOW), now=NOW)


def as_rows(ranked: list[Ranked]) -> list[tuple[int, float, float | None, tuple[object, ...]]]:
    return [(r.volunteer_id, r.score, r.distance_m, r.reasons) for r in ranked]


def test_the_candidate_statement_ranks_exactly_like_the_pure_rules() -> None:
    world = build(random.Random(SEED))
    everyone = list(Resident.objects.all())
    compared = nonempty = 0
    for request in world.requests:
        loaded = HelpRequest.objects.select_related("buurt", "requester__street").get(pk=request.pk)
        for current in (False, True):
            statement = select_candidates(loaded, now=NOW, limit=None, include_current_round=current).ranked
            expected = pure_ranking(loaded, everyone, include_current_round=current)
            assert as_rows(statement) == as_rows(expected), (request.pk, request.category, current)
            compared += 1
            nonempty += bool(expected)
        # A round reads the rows nearest first and stops once no later row can enter its top K
        # (`rank(nearest_first=True)`): its top K is the first K of the full pure ranking.
        top = select_candidates(loaded, now=NOW, limit=3).ranked
        assert as_rows(top) == as_rows(pure_ranking(loaded, everyone, include_current_round=False)[:3]), request.pk
    # The comparison means something: most requests have candidates, and the edges were reached.
    assert compared == 2 * REQUESTS and nonempty >= REQUESTS
    centre = Point(world.main.lat, world.main.lon)
    edge = [
        r for r in world.residents if r.lat is not None and abs(distance_m(centre, Point(r.lat, r.lon or 0)) - 1500) < 3
    ]
    assert edge, "some residents sit right at the radius"
