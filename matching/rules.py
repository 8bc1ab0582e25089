"""The nine hard rules of DESIGN §5 as pure functions over plain data.

Nothing here touches the database (the constants come from the models and categories that define them): `selection.py` narrows the candidates with indexed queries, turns each row into
a `Candidate` and each request into a `RequestFacts`, and then these functions decide. Tests build the dataclasses
by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from burenhulp.core.categories import MIN_AGE, NEEDS_CAR
from burenhulp.helprequests.models import OPEN_STATUSES
from burenhulp.residents.models import DAY_PART_HOURS

LOCAL_TZ = ZoneInfo("Europe/Brussels")
EARTH_RADIUS_M = 6_371_008.8

# Each fact is defined once, where it belongs; the rules (and the candidate statement) read it from there.
DAY_PARTS: dict[str, tuple[int, int]] = DAY_PART_HOURS  # local hours of each part of the day (rule 7)
MATCHABLE_STATUSES: frozenset[str] = frozenset(str(s) for s in OPEN_STATUSES)  # rule 9

# Rule codes, in the order of DESIGN §5.
OFFERS = "offers_category"
NEARBY = "in_buurt_and_radius"
NOT_HOUSEHOLD = "not_requester_household"
ACTIVE = "active"
UNDER_LIMITS = "under_limits"
CATEGORY_RULE = "category_rule"
AVAILABLE = "available"
NOT_EXCLUDED = "not_excluded"
REQUEST_MATCHABLE = "request_matchable"


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class RequestFacts:
    """What the rules need to know about one help request and its requester."""

    buurt_id: int
    requester_id: int
    category: str
    place: Point
    radius_m: int
    household_root_id: int
    street_id: int | None = None
    house_number: str = ""
    requires_approval: bool = False
    triage_level: str = "light"
    status: str = "open"
    window_start: datetime | None = None
    window_end: datetime | None = None
    today: date = field(default_factory=date.today)
    # Volunteers who declined or were proposed this request in a round, and those the requester blocked.
    excluded_ids: frozenset[int] = frozenset()
    # For the ranking: what the requester speaks and offers, and who helped them well before.
    languages: tuple[str, ...] = ()
    offers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    """One possible volunteer, as plain values."""

    id: int
    buurt_id: int
    point: Point | None
    offers: frozenset[str]
    household_root_id: int
    street_id: int | None = None
    house_number: str = ""
    paused_until: date | None = None
    is_blocked: bool = False
    # False once the Burenbox may not be used at all: erased, or the platform consent withdrawn.
    in_use: bool = True
    approved: bool = True
    active_matches: int = 0
    matches_this_month: int = 0
    max_active_matches: int = 2
    max_matches_per_month: int = 6
    has_car: bool = False
    birth_date: date | None = None
    # ((day 0..6, part), …); empty = flexible.
    availability: tuple[tuple[int, str], ...] = ()
    languages: tuple[str, ...] = ()
    wants: frozenset[str] = frozenset()
    helped_requester_before: int = 0
    recent_too_much: int = 0
    last_active_at: datetime | None = None


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(centre: Point, radius_m: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) of a square that contains the circle; a little generous at the edges."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.001
    coslat = max(math.cos(math.radians(centre.lat)), 1e-6)
    dlon = min(180.0, dlat / coslat)
    return centre.lat - dlat, centre.lat + dlat, centre.lon - dlon, centre.lon + dlon


def normalise_house_number(number: str) -> str:
    return "".join(number.lower().split())


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def local_day(moment: datetime | None, fallback: date) -> date:
    return moment.astimezone(LOCAL_TZ).date() if moment is not None else fallback


# --- The nine rules ----------------------------------------------------------------------------------------------


def offers_category(req: RequestFacts, c: Candidate) -> bool:
    """1. Offers the request's category."""
    return req.category in c.offers


def candidate_distance(req: RequestFacts, c: Candidate) -> float | None:
    return None if c.point is None else distance_m(req.place, c.point)


def in_buurt_and_radius(req: RequestFacts, c: Candidate) -> bool:
    """2. Same neighbourhood, and within the radius (inclusive); no coordinates counts as within."""
    return within_radius(req, c, candidate_distance(req, c))


def within_radius(req: RequestFacts, c: Candidate, distance: float | None) -> bool:
    """Rule 2 with the candidate's distance already known (`candidate_distance`)."""
    if c.buurt_id != req.buurt_id:
        return False
    # A millimetre of slack so that a volunteer exactly on the circle is not lost to floating point.
    return distance is None or distance <= req.radius_m + 1e-3


def not_requester_household(req: RequestFacts, c: Candidate) -> bool:
    """3. Not the requester, not linked by household_of, not at the same street and house number."""
    if c.id == req.requester_id or c.household_root_id == req.household_root_id:
        return False
    same_address = (
        req.street_id is not None
        and c.street_id == req.street_id
        and bool(req.house_number)
        and normalise_house_number(c.house_number) == normalise_house_number(req.house_number)
    )
    return not same_address


def active(req: RequestFacts, c: Candidate) -> bool:
    """4. In use (not erased, consent not withdrawn), not paused (today ≤ paused_until, local date), not blocked,
    approved where the buurt requires it."""
    if not c.in_use:
        return False
    if c.paused_until is not None and req.today <= c.paused_until:
        return False
    if c.is_blocked:
        return False
    return c.approved or not req.requires_approval


def under_limits(req: RequestFacts, c: Candidate) -> bool:
    """5. Under their own limits of active matches and matches this month."""
    return c.active_matches < c.max_active_matches and c.matches_this_month < c.max_matches_per_month


def category_rule(req: RequestFacts, c: Candidate) -> bool:
    """6. A car for chauffeur; the minimum age on the window's start (else today), unknown birth date not eligible."""
    if req.category in NEEDS_CAR and not c.has_car:
        return False
    min_age = MIN_AGE.get(req.category)
    if min_age is not None:
        if c.birth_date is None:
            return False
        return age_on(c.birth_date, local_day(req.window_start, req.today)) >= min_age
    return True


@lru_cache(maxsize=1024)
def window_slots(start: datetime, end: datetime | None) -> frozenset[tuple[int, str]]:
    """The (weekday, part) pairs a request window touches, in local time. A window without an end is a moment.

    Remembered: ranking one request asks this for every candidate, with the same window."""
    start_l = start.astimezone(LOCAL_TZ)
    end_l = (end or start).astimezone(LOCAL_TZ)
    if end_l < start_l:
        return frozenset()
    if end_l - start_l >= timedelta(days=7):
        return frozenset((d, p) for d in range(7) for p in DAY_PARTS)
    slots: set[tuple[int, str]] = set()
    day = start_l.date()
    while day <= end_l.date():
        for part, (h0, h1) in DAY_PARTS.items():
            p0 = datetime(day.year, day.month, day.day, h0, tzinfo=LOCAL_TZ)
            p1 = datetime(day.year, day.month, day.day, h1, tzinfo=LOCAL_TZ)
            # A span overlaps the part [p0, p1); a moment counts when it falls inside it.
            touches = p0 <= start_l < p1 if end_l == start_l else (start_l < p1 and end_l > p0)
            if touches:
                slots.add((day.weekday(), part))
        day += timedelta(days=1)
    return frozenset(slots)


def available(req: RequestFacts, c: Candidate) -> bool:
    """7. Available in the request's window, if both gave one (no availability = flexible)."""
    if req.window_start is None or not c.availability:
        return True
    return not window_slots(req.window_start, req.window_end).isdisjoint(c.availability)


def not_excluded(req: RequestFacts, c: Candidate) -> bool:
    """8. Has not declined this request, was not proposed it before, was not blocked by the requester."""
    return c.id not in req.excluded_ids


def request_matchable(req: RequestFacts, c: Candidate | None = None) -> bool:
    """9. The request is light, and open or proposed."""
    return req.triage_level == "light" and req.status in MATCHABLE_STATUSES


RULES = (
    (OFFERS, offers_category),
    (NEARBY, in_buurt_and_radius),
    (NOT_HOUSEHOLD, not_requester_household),
    (ACTIVE, active),
    (UNDER_LIMITS, under_limits),
    (CATEGORY_RULE, category_rule),
    (AVAILABLE, available),
    (NOT_EXCLUDED, not_excluded),
    (REQUEST_MATCHABLE, request_matchable),
)


def failed_rules(req: RequestFacts, c: Candidate) -> list[str]:
    """The codes of every hard rule this candidate breaks (empty: may be proposed)."""
    return [code for code, rule in RULES if not rule(req, c)]


# Every rule but rule 2, for `eligible_at`.
_BESIDES_DISTANCE = tuple(rule for code, rule in RULES if code != NEARBY)


def eligible(req: RequestFacts, c: Candidate) -> bool:
    return all(rule(req, c) for _, rule in RULES)


def eligible_at(req: RequestFacts, c: Candidate, distance: float | None) -> bool:
    """`eligible` for a candidate whose distance is already known (the ranking computes it once per candidate)."""
    return within_radius(req, c, distance) and all(rule(req, c) for rule in _BESIDES_DISTANCE)
