"""Ranking: distance dominant, strictly falling with distance, sensible bonuses, deterministic ties. No database."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from matching.rules import Candidate, Point, RequestFacts
from matching.scoring import rank, score
from tests.matching.test_rules import CENTRE, cand, metres_north, req

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


def test_score_falls_strictly_with_distance_all_else_equal() -> None:
    scores = [score(req(), cand(point=metres_north(m)), now=NOW).score for m in (0, 10, 200, 201, 800, 1499, 1500)]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)


def test_closer_and_same_language_come_first() -> None:
    r = req(languages=("fr",))
    near = cand(id=1, point=metres_north(200), languages=("nl",))
    far = cand(id=2, point=metres_north(900), languages=("nl",))
    french = cand(id=3, point=metres_north(200), languages=("fr", "nl"))
    order = [x.volunteer_id for x in rank(r, [far, near, french], now=NOW)]
    assert order == [3, 1, 2]


def test_unknown_distance_ranks_after_every_known_distance() -> None:
    r = req(languages=("nl",), offers=frozenset({"tuin"}))
    edge = cand(id=1, point=metres_north(1490))
    best_but_unknown = cand(
        id=2,
        point=None,
        languages=("nl",),
        wants=frozenset({"tuin"}),
        helped_requester_before=3,
        last_active_at=NOW,
    )
    ranked = rank(r, [best_but_unknown, edge], now=NOW)
    assert [x.volunteer_id for x in ranked] == [1, 2]
    assert ranked[1].distance_m is None
    assert {"code": "distance_unknown"} in ranked[1].reasons


def test_load_spreads_the_asks() -> None:
    r = req()
    busy = cand(id=1, active_matches=1, max_active_matches=3)
    free = cand(id=2)
    assert [x.volunteer_id for x in rank(r, [busy, free], now=NOW)] == [2, 1]
    strained = cand(id=3, recent_too_much=1)
    assert [x.volunteer_id for x in rank(r, [strained, free], now=NOW)] == [2, 3]


def test_continuity_reciprocity_and_recent_activity_add_points() -> None:
    r = req(offers=frozenset({"tuin"}))
    plain = score(r, cand(), now=NOW)
    assert score(r, cand(helped_requester_before=1), now=NOW).score > plain.score
    assert score(r, cand(wants=frozenset({"tuin"})), now=NOW).score > plain.score
    assert score(r, cand(last_active_at=NOW - timedelta(days=2)), now=NOW).score > plain.score
    assert score(r, cand(last_active_at=NOW - timedelta(days=90)), now=NOW).score == plain.score


def test_distance_outweighs_every_bonus_but_one_bonus_beats_a_few_metres() -> None:
    r = req(languages=("fr",))
    # Across most of the radius distance wins…
    near = cand(id=1, point=metres_north(100))
    far_friend = cand(id=2, point=metres_north(1400), languages=("fr",), last_active_at=NOW)
    assert rank(r, [far_friend, near], now=NOW)[0].volunteer_id == 1
    # …while a shared language settles a near tie.
    a = cand(id=3, point=metres_north(300))
    b = cand(id=4, point=metres_north(320), languages=("fr",))
    assert rank(r, [a, b], now=NOW)[0].volunteer_id == 4


def test_ties_are_broken_by_id_whatever_the_input_order() -> None:
    twins = [cand(id=i) for i in (9, 3, 5)]
    assert [x.volunteer_id for x in rank(req(), twins, now=NOW)] == [3, 5, 9]
    assert [x.volunteer_id for x in rank(req(), list(reversed(twins)), now=NOW)] == [3, 5, 9]


def test_rank_drops_ineligible_and_limits() -> None:
    many = [cand(id=i, point=metres_north(10 * i)) for i in range(1, 30)]
    many.append(replace(cand(id=99), offers=frozenset()))
    top = rank(req(), many, now=NOW, limit=20)
    assert len(top) == 20
    assert 99 not in [x.volunteer_id for x in rank(req(), many, now=NOW)]
    assert top[0].volunteer_id == 1


def city_block(seed: int, n: int = 150) -> list[Candidate]:
    """Candidates in every direction, some beyond the radius, some without coordinates, with every bonus mixed in."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        m, angle = rng.uniform(0, 1700), rng.uniform(0, 2 * math.pi)
        point = Point(
            CENTRE.lat + m * math.cos(angle) / 111_195.0,
            CENTRE.lon + m * math.sin(angle) / (111_195.0 * math.cos(math.radians(CENTRE.lat))),
        )
        out.append(
            cand(
                id=1000 + i,
                household_root_id=1000 + i,
                point=None if rng.random() < 0.05 else point,
                active_matches=rng.choice([0, 0, 0, 1, 2]),
                recent_too_much=int(rng.random() < 0.1),
                languages=tuple(rng.sample(["nl", "fr", "en"], rng.randint(0, 2))),
                helped_requester_before=int(rng.random() < 0.1),
                wants=frozenset({"tuin"}) if rng.random() < 0.2 else frozenset(),
                last_active_at=NOW - timedelta(days=rng.randint(0, 90)),
                is_blocked=rng.random() < 0.05,
            )
        )
    return out


def flat_order(r: RequestFacts, candidates: list[Candidate]) -> list[Candidate]:
    """The order the selection reads rows in: flat-earth distance, unknown coordinates last, then id."""
    k = math.cos(math.radians(r.place.lat)) ** 2

    def key(c: Candidate) -> tuple[bool, float, int]:
        if c.point is None:
            return (True, 0.0, c.id)
        return (False, (c.point.lat - r.place.lat) ** 2 + (c.point.lon - r.place.lon) ** 2 * k, c.id)

    return sorted(candidates, key=key)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("limit", [1, 3, 20])
def test_reading_nearest_first_and_stopping_early_changes_nothing(seed: int, limit: int) -> None:
    r = req(languages=("fr",), offers=frozenset({"tuin"}))
    candidates = city_block(seed)
    full = rank(r, candidates, now=NOW, limit=limit)
    read: list[int] = []

    def rows() -> Iterator[Candidate]:
        for c in flat_order(r, candidates):
            read.append(c.id)
            yield c

    early = rank(r, rows(), now=NOW, limit=limit, nearest_first=True)
    assert [(x.volunteer_id, x.score, x.reasons) for x in early] == [(x.volunteer_id, x.score, x.reasons) for x in full]
    assert all(x.reasons for x in early)  # the returned candidates are explained
    assert len(read) < len(candidates)  # and the far end was never read


def test_without_a_limit_every_candidate_is_read() -> None:
    r = req()
    candidates = city_block(1)
    assert rank(r, flat_order(r, candidates), now=NOW, nearest_first=True) == rank(r, candidates, now=NOW)
