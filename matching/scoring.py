"""Ranking of eligible candidates (DESIGN §5): a score with reasons, pure functions over plain data.

Weights, highest first: distance dominates (up to 60 points, falling linearly to 0 at the radius), then spread of
load (15), shared language (10), continuity (8), reciprocity (5) and recent activity (4). Volunteers without
coordinates get no distance points and a penalty larger than every bonus together, so they rank after every known
distance. Ties are broken by distance, then by the volunteer's id, so the order never depends on the database.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from matching.rules import Candidate, RequestFacts, candidate_distance, eligible_at

W_DISTANCE = 60.0
W_LOAD = 15.0
W_LANGUAGE = 10.0
W_CONTINUITY = 8.0
W_RECIPROCITY = 5.0
W_RECENT = 4.0
UNKNOWN_DISTANCE_PENALTY = 50.0  # > the sum of every bonus (42), so unknown distances sort last
LOAD_CAP = 3  # more active matches than this gives no load points at all
RECENT_DAYS = 30
# The most any candidate can gain besides distance; with the distance points it bounds the score from above.
BONUS_MAX = W_LOAD + W_LANGUAGE + W_CONTINUITY + W_RECIPROCITY + W_RECENT
# `rank(..., nearest_first=True)`: how far (relative) the order the candidates come in may stray from the
# great-circle order. The selection sorts on a flat-earth distance, which is within 0.1 % of it inside a radius of a
# few kilometres; 2 % leaves a wide margin.
ORDER_SLACK = 0.02


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    distance_m: float | None
    # Reason codes with their values, e.g. {"code": "distance", "m": 200}; reasons.py renders them.
    reasons: tuple[dict[str, Any], ...]

    @property
    def volunteer_id(self) -> int:
        return self.candidate.id

    def sort_key(self) -> tuple[float, int, float, int]:
        return (
            -self.score,
            0 if self.distance_m is not None else 1,
            self.distance_m if self.distance_m is not None else 0.0,
            self.candidate.id,
        )


@lru_cache(maxsize=512)
def _codes(languages: tuple[str, ...]) -> tuple[str, ...]:
    """Two-letter language codes, lower case, each once, in the given order (the same few lists come back)."""
    return tuple(dict.fromkeys(x.lower()[:2] for x in languages))


def shared_languages(req: RequestFacts, c: Candidate) -> list[str]:
    theirs = _codes(c.languages)
    return [lang for lang in _codes(req.languages) if lang in theirs]


_MISSING: Any = object()


def score(
    req: RequestFacts, c: Candidate, *, now: datetime, explain: bool = True, distance: float | None = _MISSING
) -> Ranked:
    """Score one (eligible) candidate and say why (`explain=False`: the same score, without the reasons;
    `distance`: the candidate's `candidate_distance`, when already known)."""
    reasons: list[dict[str, Any]] = []
    total = 0.0

    # 1. Distance: dominant; strictly falling with distance inside the radius.
    d = candidate_distance(req, c) if distance is _MISSING else distance
    if d is None:
        total -= UNKNOWN_DISTANCE_PENALTY
        reasons.append({"code": "distance_unknown"})
    else:
        total += W_DISTANCE * max(0.0, 1.0 - d / max(req.radius_m, 1))
        reasons.append({"code": "distance", "m": round(d)})

    # 2. Spread of load: fewer active matches first; a recent "too much" counts as load.
    load = c.active_matches + c.recent_too_much
    total += W_LOAD * (1.0 - min(load, LOAD_CAP) / LOAD_CAP)
    if load == 0:
        reasons.append({"code": "free"})
    elif c.recent_too_much:
        reasons.append({"code": "strained", "active": c.active_matches})
    else:
        reasons.append({"code": "load", "active": c.active_matches})

    # 3. Shared language.
    common = shared_languages(req, c)
    if common:
        total += W_LANGUAGE
        reasons.append({"code": "language", "lang": common[0]})

    # 4. Continuity: helped this requester well before.
    if c.helped_requester_before:
        total += W_CONTINUITY
        reasons.append({"code": "continuity", "times": c.helped_requester_before})

    # 5. Reciprocity: the requester offers something the volunteer could use.
    back = sorted(req.offers & c.wants)
    if back:
        total += W_RECIPROCITY
        reasons.append({"code": "reciprocity", "category": back[0]})

    # 6. Recently active.
    if c.last_active_at is not None and now - c.last_active_at <= timedelta(days=RECENT_DAYS):
        total += W_RECENT
        reasons.append({"code": "recently_active"})

    return Ranked(
        candidate=c,
        score=round(total, 4),
        distance_m=None if d is None else round(d, 1),
        reasons=tuple(reasons) if explain else (),
    )


def best_possible(req: RequestFacts, distance_m: float | None) -> float:
    """An upper bound of the score of any candidate at least `distance_m` away (None: distance unknown)."""
    if distance_m is None:
        return BONUS_MAX - UNKNOWN_DISTANCE_PENALTY
    return W_DISTANCE * max(0.0, 1.0 - distance_m / max(req.radius_m, 1)) + BONUS_MAX


def rank(
    req: RequestFacts,
    candidates: Iterable[Candidate],
    *,
    now: datetime,
    limit: int | None = None,
    nearest_first: bool = False,
) -> list[Ranked]:
    """Apply every hard rule, score the survivors and return them best first (at most `limit`), with reasons.

    `nearest_first=True` promises that the candidates come nearest first (to within `ORDER_SLACK`), those without
    coordinates last. Once `limit` candidates are ranked and even a perfect candidate at the current distance could
    not beat the last of them, the rest can only rank lower and are not read at all: the iterable may be lazy. Only
    the candidates returned get their reasons built."""
    scored: list[Ranked] = []
    best: list[float] = []  # min-heap of the `limit` best scores so far
    for c in candidates:
        d = candidate_distance(req, c)  # once per candidate: the stop, rule 2 and the score all need it
        if nearest_first and limit and len(best) >= limit:
            reach = best_possible(req, None if d is None else d * (1.0 - ORDER_SLACK))
            if reach + 1e-3 < best[0]:  # strictly lower, beyond the rounding of scores
                break
        if not eligible_at(req, c, d):
            continue
        r = score(req, c, now=now, explain=False, distance=d)
        scored.append(r)
        if limit:
            if len(best) < limit:
                heapq.heappush(best, r.score)
            elif r.score > best[0]:
                heapq.heapreplace(best, r.score)
    scored.sort(key=Ranked.sort_key)
    top = scored if limit is None else scored[:limit]
    return [score(req, r.candidate, now=now) for r in top]
