"""The nine hard rules of DESIGN §5, on plain data: no database."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime

import pytest

from matching import rules
from matching.rules import LOCAL_TZ, Candidate, Point, RequestFacts, bounding_box, distance_m, failed_rules

CENTRE = Point(50.9325, 3.3990)


def metres_north(m: float) -> Point:
    return Point(CENTRE.lat + m / 111_195.0, CENTRE.lon)


def req(**kw: object) -> RequestFacts:
    base = RequestFacts(
        buurt_id=1,
        requester_id=100,
        category="boodschappen",
        place=CENTRE,
        radius_m=1500,
        household_root_id=100,
        street_id=7,
        house_number="12",
        today=date(2026, 3, 10),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def cand(**kw: object) -> Candidate:
    base = Candidate(
        id=1,
        buurt_id=1,
        point=metres_north(300),
        offers=frozenset({"boodschappen", "babysit", "chauffeur"}),
        household_root_id=1,
        street_id=8,
        house_number="3",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_a_plain_neighbour_passes_every_rule() -> None:
    assert failed_rules(req(), cand()) == []


def test_rule_1_needs_the_category_on_offer() -> None:
    assert failed_rules(req(category="tuin"), cand()) == [rules.OFFERS]


def test_rule_2_other_buurt_is_out() -> None:
    assert rules.NEARBY in failed_rules(req(), cand(buurt_id=2))


def test_rule_2_radius_is_inclusive_and_excludes_beyond() -> None:
    edge = distance_m(CENTRE, metres_north(1500))
    on_circle = req(radius_m=1500)
    assert rules.in_buurt_and_radius(replace(on_circle, radius_m=edge), cand(point=metres_north(1500)))
    assert not rules.in_buurt_and_radius(on_circle, cand(point=metres_north(1510)))


def test_rule_2_no_coordinates_counts_as_within() -> None:
    assert rules.in_buurt_and_radius(req(), cand(point=None))


@pytest.mark.parametrize(
    "change",
    [
        {"id": 100},  # the requester
        {"household_root_id": 100},  # linked by household_of
        {"street_id": 7, "house_number": " 12 "},  # same address
    ],
)
def test_rule_3_excludes_requester_and_household(change: dict[str, object]) -> None:
    assert failed_rules(req(), cand(**change)) == [rules.NOT_HOUSEHOLD]


def test_rule_3_same_number_on_another_street_is_fine() -> None:
    assert failed_rules(req(), cand(street_id=9, house_number="12")) == []


def test_rule_4_paused_through_the_last_day_inclusive() -> None:
    today = date(2026, 3, 10)
    assert not rules.active(req(today=today), cand(paused_until=today))
    assert rules.active(req(today=today), cand(paused_until=date(2026, 3, 9)))


def test_rule_4_blocked_and_unapproved() -> None:
    assert not rules.active(req(), cand(is_blocked=True))
    assert rules.active(req(), cand(approved=False))  # approval not required by default
    assert not rules.active(req(requires_approval=True), cand(approved=False))


def test_rule_5_limits() -> None:
    assert not rules.under_limits(req(), cand(active_matches=2, max_active_matches=2))
    assert not rules.under_limits(req(), cand(matches_this_month=6, max_matches_per_month=6))
    assert rules.under_limits(req(), cand(active_matches=1, matches_this_month=5))


def test_rule_6_chauffeur_needs_a_car() -> None:
    assert not rules.category_rule(req(category="chauffeur"), cand(has_car=False))
    assert rules.category_rule(req(category="chauffeur"), cand(has_car=True))


def test_rule_6_babysit_age_on_the_window_start() -> None:
    start = datetime(2026, 6, 1, 14, tzinfo=LOCAL_TZ)
    r = req(category="babysit", window_start=start, window_end=start.replace(hour=17))
    assert rules.category_rule(r, cand(birth_date=date(2008, 6, 1)))  # 18 that very day
    assert not rules.category_rule(r, cand(birth_date=date(2008, 6, 2)))
    assert not rules.category_rule(r, cand(birth_date=None))  # unknown is not eligible
    # Without a window, today counts.
    assert not rules.category_rule(req(category="babysit"), cand(birth_date=date(2008, 6, 1)))


def test_rule_7_availability_against_the_window() -> None:
    tuesday_evening = datetime(2026, 3, 10, 19, 0, tzinfo=LOCAL_TZ)  # a Tuesday
    r = req(window_start=tuesday_evening, window_end=tuesday_evening.replace(hour=21))
    assert rules.available(r, cand(availability=((1, "evening"),)))
    assert not rules.available(r, cand(availability=((1, "morning"), (2, "evening"))))
    assert rules.available(r, cand(availability=()))  # flexible volunteer
    assert rules.available(req(), cand(availability=((0, "morning"),)))  # flexible request


def test_rule_7_window_ending_exactly_when_a_part_starts_does_not_touch_it() -> None:
    start = datetime(2026, 3, 10, 10, 0, tzinfo=LOCAL_TZ)
    r = req(window_start=start, window_end=start.replace(hour=12))
    assert not rules.available(r, cand(availability=((1, "afternoon"),)))
    assert rules.available(r, cand(availability=((1, "morning"),)))


def test_rule_7_window_over_midnight_spans_two_days() -> None:
    start = datetime(2026, 3, 10, 21, 0, tzinfo=LOCAL_TZ)
    r = req(window_start=start, window_end=datetime(2026, 3, 11, 9, 0, tzinfo=LOCAL_TZ))
    assert rules.available(r, cand(availability=((2, "morning"),)))
    assert not rules.available(r, cand(availability=((2, "afternoon"),)))


def test_rule_8_excluded_volunteers() -> None:
    assert failed_rules(req(excluded_ids=frozenset({1})), cand()) == [rules.NOT_EXCLUDED]


@pytest.mark.parametrize(("level", "status"), [("heavy", "open"), ("crisis", "open"), ("light", "matched")])
def test_rule_9_only_light_open_requests(level: str, status: str) -> None:
    assert rules.REQUEST_MATCHABLE in failed_rules(req(triage_level=level, status=status), cand())


def test_bounding_box_contains_the_circle() -> None:
    lat0, lat1, lon0, lon1 = bounding_box(CENTRE, 1500)
    assert lat0 < metres_north(-1500).lat and metres_north(1500).lat < lat1
    east = Point(CENTRE.lat, CENTRE.lon + 1500 / (111_195.0 * 0.63))
    assert distance_m(CENTRE, east) < 1500 * 1.02
    assert lon0 < CENTRE.lon < lon1 and east.lon < lon1 * 1.0001


@pytest.mark.parametrize("seed", range(4))
def test_eligible_at_a_known_distance_decides_like_every_rule(seed: int) -> None:
    """The ranking computes each distance once and asks `eligible_at`; it must agree with the nine rules."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 10, rng.choice([9, 14, 19]), tzinfo=LOCAL_TZ)
    r = req(
        category=rng.choice(["boodschappen", "babysit", "chauffeur"]),
        window_start=start,
        window_end=start.replace(hour=start.hour + 2),
        excluded_ids=frozenset({5, 9}),
        requires_approval=rng.random() < 0.5,
    )
    for i in range(300):
        c = cand(
            id=i,
            household_root_id=rng.choice([i, 100]),
            buurt_id=rng.choice([1, 1, 1, 2]),
            point=None if rng.random() < 0.1 else metres_north(rng.uniform(-1700, 1700)),
            paused_until=rng.choice([None, date(2026, 3, 9), date(2026, 3, 10)]),
            is_blocked=rng.random() < 0.1,
            approved=rng.random() < 0.8,
            active_matches=rng.randint(0, 3),
            has_car=rng.random() < 0.5,
            birth_date=rng.choice([None, date(1980, 1, 1), date(2010, 1, 1)]),
            availability=tuple(rng.sample([(1, "morning"), (1, "afternoon"), (1, "evening"), (4, "morning")], 2)),
        )
        d = rules.candidate_distance(r, c)
        assert rules.eligible_at(r, c, d) == rules.eligible(r, c) == (not failed_rules(r, c))
