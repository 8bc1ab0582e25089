"""Candidate selection: one indexed statement that narrows a whole city down to the few neighbours worth ranking.

At most two queries per request, whatever the number of residents (one when the request is already loaded):

0. the request with its requester, street and neighbourhood (skipped when they are already loaded);
1. one statement (`CANDIDATES`) that returns
   - the candidates: help entries by the (buurt, kind, category) index joined to the neighbourhood's residents inside
     the radius (bounding box and a slightly generous circle), without those excluded by rule 8, with the household,
     pause, block, approval, car and age rules in SQL, nearest first, at most `POOL` rows;
   - per candidate, from index probes: active matches, matches this month, helps for this requester (accepted
     proposals by volunteer), a recent "too much" (follow-ups by respondent), and the categories they want that the
     requester offers (reciprocity);
   - once, for the whole request: what the requester offers and who is excluded by rule 8 (declined or proposed
     before, blocked by the requester), so that the pure rule 8 can check every candidate again.

On PostgreSQL the statement runs with server-side parameters, so psycopg prepares it after a few calls and the
planner's work (several times the execution time of this statement) is done once per connection. The SQL is the
same on SQLite apart from the string aggregate.

The pure rules of `matching.rules` then decide on every candidate (limits and availability included), and
`matching.scoring` ranks the survivors, reading the rows nearest first and stopping as soon as no later row could
enter the top `limit`. Nothing is loaded per resident, so the cost depends on how many neighbours offer this help
nearby, not on the size of the city.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils import timezone

from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal
from burenhulp.residents.models import HelpEntry, Resident, ResidentBlock
from matching.facts import TOO_MUCH_DAYS, base_facts, month_start, years_before
from matching.rules import (
    EARTH_RADIUS_M,
    LOCAL_TZ,
    MATCHABLE_STATUSES,
    MIN_AGE,
    NEEDS_CAR,
    Candidate,
    Point,
    RequestFacts,
    bounding_box,
)
from matching.scoring import Ranked, rank

# The most rows one request reads; nearest first. A neighbourhood rarely has this many volunteers for one kind of
# help inside the radius, and if it does, the farthest are the least likely to be proposed anyway.
POOL = 400
# The circle in SQL is this much wider than the radius (the flat-earth distance is within 0.1 % of the great-circle
# one here); rule 2 in Python then decides at the edge.
CIRCLE_MARGIN = 1.02
NEVER_AUTOMATIC = 2**31 - 1


@dataclass(frozen=True)
class Selection:
    facts: RequestFacts
    ranked: list[Ranked]


# --- The candidate statement ---------------------------------------------------------------------------------------

# Columns of one result row.
(
    C_OFFERS,
    C_EXCLUDED,
    C_ID,
    C_BUURT,
    C_LAT,
    C_LON,
    C_HOUSEHOLD_OF,
    C_STREET,
    C_HOUSE_NUMBER,
    C_PAUSED_UNTIL,
    C_IS_BLOCKED,
    C_APPROVED,
    C_MAX_ACTIVE,
    C_MAX_MONTH,
    C_HAS_CAR,
    C_BIRTH_DATE,
    C_AVAILABILITY,
    C_LANGUAGES,
    C_LAST_ACTIVE,
    C_D2,
    C_ACTIVE,
    C_THIS_MONTH,
    C_HELPED,
    C_STRAINED,
    C_WANTS,
) = range(25)


@lru_cache(maxsize=64)
def candidate_sql(
    vendor: str, *, current_round: bool, same_address: bool, approval: bool, car: bool, min_age: bool
) -> str:
    """The candidate statement for one shape of request; the text only depends on these switches, so that
    PostgreSQL can keep one prepared statement per shape."""
    agg = "string_agg({}, ',')" if vendor == "postgresql" else "group_concat({}, ',')"
    if vendor == "postgresql":
        # One primary-key probe per offer read from the covering index, instead of the planner's favourite: a hash
        # join over every resident of the neighbourhood (OFFSET 0 keeps the subquery from being flattened).
        resident = Resident._meta.db_table
        join = f"CROSS JOIN LATERAL (SELECT * FROM {resident} r0 WHERE r0.id = e.resident_id OFFSET 0) r"  # noqa: S608
    else:
        join = f"JOIN {Resident._meta.db_table} r ON r.id = e.resident_id"
    # Seconds since 1970 as a float on PostgreSQL: psycopg reads floats in C, while Django's time-zone-aware loader
    # for timestamps runs in Python (microseconds survive the round trip: a double holds 15–16 digits).
    last_active = (
        "CAST(EXTRACT(EPOCH FROM r.last_active_at) AS DOUBLE PRECISION) AS last_active_at"
        if vendor == "postgresql"
        else "r.last_active_at"
    )
    t = {
        "entry": HelpEntry._meta.db_table,
        "resident": Resident._meta.db_table,
        "proposal": MatchProposal._meta.db_table,
        "request": HelpRequest._meta.db_table,
        "block": ResidentBlock._meta.db_table,
        "followup": FollowUp._meta.db_table,
    }
    d2 = "(r.lat - %(lat)s) * (r.lat - %(lat)s) + (r.lon - %(lon)s) * (r.lon - %(lon)s) * %(k)s"
    extra = []
    if same_address:  # rule 3 (the pure rule normalises spaces as well)
        extra.append("(r.street_id IS NULL OR r.street_id <> %(street)s OR UPPER(r.house_number) <> UPPER(%(house)s))")
    if approval:  # rule 4
        extra.append("r.approved")
    if car:  # rule 6
        extra.append("r.has_car")
    if min_age:  # rule 6
        extra.append("r.birth_date IS NOT NULL AND r.birth_date <= %(born_by)s")
    extra_sql = "".join(f"\n          AND {x}" for x in extra)
    # Rule 8: declined or proposed in a round; for the coordinator's list the round still open stays in.
    rounds = " AND (p.status = 'declined' OR p.round < %(round)s)" if current_round else ""
    # Only table names and fixed fragments are formatted in; every value is a parameter.
    return f"""
WITH excluded AS (
    SELECT p.volunteer_id AS id FROM {t["proposal"]} p WHERE p.request_id = %(request)s{rounds}
    UNION
    SELECT b.blocked_id FROM {t["block"]} b WHERE b.blocker_id = %(requester)s
),
offers AS (
    SELECT o.category FROM {t["entry"]} o WHERE o.resident_id = %(requester)s AND o.kind = 'offer'
),
pool AS (
    SELECT r.id, r.buurt_id, r.lat, r.lon, r.household_of_id, r.street_id, r.house_number, r.paused_until,
           r.is_blocked, r.approved, r.max_active_matches, r.max_matches_per_month, r.has_car, r.birth_date,
           CAST(r.availability AS TEXT) AS availability, CAST(r.languages AS TEXT) AS languages, {last_active},
           {d2} AS d2
      FROM {t["entry"]} e
      {join}
     WHERE e.buurt_id = %(buurt)s AND e.kind = 'offer' AND e.category = %(category)s
       AND r.buurt_id = %(buurt)s
       AND ((r.lat BETWEEN %(lat0)s AND %(lat1)s AND r.lon BETWEEN %(lon0)s AND %(lon1)s AND {d2} <= %(d2max)s)
            OR r.lat IS NULL OR r.lon IS NULL)
       AND NOT r.is_blocked AND r.deleted_at IS NULL AND r.consent_withdrawn_at IS NULL
       AND r.id <> %(requester)s AND r.id <> %(root)s
       AND (r.household_of_id IS NULL OR r.household_of_id <> %(root)s)
       AND (r.paused_until IS NULL OR r.paused_until < %(today)s){extra_sql}
       AND r.id NOT IN (SELECT id FROM excluded)
     ORDER BY (r.lat IS NULL OR r.lon IS NULL), d2, r.id
     LIMIT %(pool)s
),
-- Rule 5 and continuity: the pool's accepted proposals, by the (volunteer, status) index. CROSS JOIN keeps SQLite
-- from scanning every accepted proposal in the city instead (it never reorders one); PostgreSQL plans it as a join.
load AS (
    SELECT p.volunteer_id AS id,
           SUM(CASE WHEN q.status = 'matched' THEN 1 ELSE 0 END) AS active,
           SUM(CASE WHEN p.answered_at >= %(month)s THEN 1 ELSE 0 END) AS this_month,
           SUM(CASE WHEN q.status = 'done' AND q.requester_id = %(requester)s THEN 1 ELSE 0 END) AS helped
      FROM pool c
     CROSS JOIN {t["proposal"]} p
     CROSS JOIN {t["request"]} q
     WHERE p.volunteer_id = c.id AND p.status = 'accepted' AND q.id = p.request_id
     GROUP BY p.volunteer_id
)
SELECT
    (SELECT {agg.format("category")} FROM offers) AS requester_offers,
    (SELECT {agg.format("CAST(id AS TEXT)")} FROM excluded) AS excluded,
    c.*,
    COALESCE(l.active, 0) AS active,
    COALESCE(l.this_month, 0) AS this_month,
    COALESCE(l.helped, 0) AS helped,
    (SELECT COUNT(*) FROM {t["followup"]} f
      WHERE f.respondent_id = c.id AND f.role = 'volunteer' AND f.too_much
        AND f.answered_at >= %(strained_since)s) AS strained,
    (SELECT {agg.format("w.category")} FROM {t["entry"]} w
      WHERE w.resident_id = c.id AND w.kind = 'want' AND w.category IN (SELECT category FROM offers)) AS wants
FROM (SELECT 1 AS one) request
LEFT JOIN pool c ON 1 = 1
LEFT JOIN load l ON l.id = c.id
ORDER BY (c.lat IS NULL OR c.lon IS NULL), c.d2, c.id
"""  # noqa: S608


def candidate_params(
    facts: RequestFacts, *, request_id: int | None, current_round: int, now: datetime
) -> dict[str, Any]:
    place = facts.place
    lat0, lat1, lon0, lon1 = bounding_box(place, facts.radius_m)
    coslat = max(0.01, abs(math.cos(math.radians(place.lat))))
    circle = math.degrees(facts.radius_m / EARTH_RADIUS_M) * CIRCLE_MARGIN
    ops = connection.ops
    params: dict[str, Any] = {
        "request": request_id,
        "round": current_round,
        "requester": facts.requester_id,
        "root": facts.household_root_id,
        "buurt": facts.buurt_id,
        "category": facts.category,
        "lat": place.lat,
        "lon": place.lon,
        "k": coslat * coslat,
        "lat0": lat0,
        "lat1": lat1,
        "lon0": lon0,
        "lon1": lon1,
        "d2max": circle * circle,
        "today": ops.adapt_datefield_value(facts.today),
        "pool": POOL,
        "month": ops.adapt_datetimefield_value(month_start(now)),
        "strained_since": ops.adapt_datetimefield_value(now - timedelta(days=TOO_MUCH_DAYS)),
    }
    if facts.street_id is not None and facts.house_number.strip():
        params["street"] = facts.street_id
        params["house"] = facts.house_number.strip()
    if facts.category in MIN_AGE:
        day = facts.window_start.astimezone(LOCAL_TZ).date() if facts.window_start else facts.today
        params["born_by"] = ops.adapt_datefield_value(years_before(day, MIN_AGE[facts.category]))
    return params


@lru_cache(maxsize=1)
def _preparing_cursor_class() -> type:
    """Django's server-binding cursor, preparing every statement it runs (psycopg keeps up to `prepared_max`
    prepared statements per connection, least recently used out first)."""
    # Defined only when psycopg 3 is installed (the stubs do not know it).
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: Any = None) -> Any:
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparingCursor


@contextmanager
def statement_cursor() -> Iterator[Any]:
    """A cursor for the candidate statement, wrapped by Django (query log, assertNumQueries, error translation).

    On PostgreSQL it binds parameters on the server and prepares the statement, so that PostgreSQL plans it once per
    connection and shape instead of on every call (Django's own cursors bind on the client and never prepare)."""
    with connection.cursor() as django_cursor:  # connects, health check, thread check
        if connection.vendor != "postgresql" or not hasattr(connection.connection, "prepared_max"):  # psycopg 3
            yield django_cursor
            return
        pg = connection.connection
        if pg.prepare_threshold is None:
            # Django turns psycopg's preparing off (None). A threshold no statement reaches keeps it off for every
            # other cursor while letting this one prepare on request (prepare=True).
            pg.prepare_threshold = NEVER_AUTOMATIC
        raw = _preparing_cursor_class()(pg)
        wrapped = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
        try:
            yield wrapped
        finally:
            raw.close()


def statement(facts: RequestFacts, *, include_current_round: bool) -> str:
    return candidate_sql(
        connection.vendor,
        current_round=include_current_round,
        same_address=facts.street_id is not None and bool(facts.house_number.strip()),
        approval=facts.requires_approval,
        car=facts.category in NEEDS_CAR,
        min_age=facts.category in MIN_AGE,
    )


def completed(facts: RequestFacts, head: tuple[Any, ...]) -> RequestFacts:
    """The facts with rule 8's exclusions and the requester's offers, from any row of the statement."""
    offers = frozenset(head[C_OFFERS].split(",")) if head[C_OFFERS] else frozenset()
    excluded = frozenset(int(x) for x in head[C_EXCLUDED].split(",")) if head[C_EXCLUDED] else frozenset()
    return replace(facts, offers=offers, excluded_ids=excluded)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))  # SQLite


def _datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, float):  # PostgreSQL: seconds since 1970
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))  # SQLite
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


@lru_cache(maxsize=2048)
def _slots(text: Any) -> tuple[tuple[int, str], ...]:
    """A resident's availability as (day, part) pairs; the same few texts come back on every ranking."""
    return tuple(
        (int(slot["day"]), str(slot["part"]))
        for slot in (_json(text) or [])
        if isinstance(slot, dict) and "day" in slot and "part" in slot
    )


@lru_cache(maxsize=256)
def _languages(text: Any) -> tuple[str, ...]:
    return tuple(_json(text) or ())


def to_candidate(row: tuple[Any, ...], facts: RequestFacts) -> Candidate:
    lat, lon = row[C_LAT], row[C_LON]
    wants = frozenset(row[C_WANTS].split(",")) if row[C_WANTS] else frozenset()
    pk = row[C_ID]
    return Candidate(
        id=pk,
        buurt_id=row[C_BUURT],
        point=Point(lat, lon) if lat is not None and lon is not None else None,
        # The statement only returns residents who offer the category.
        offers=frozenset({facts.category}),
        household_root_id=row[C_HOUSEHOLD_OF] or pk,
        street_id=row[C_STREET],
        house_number=row[C_HOUSE_NUMBER] or "",
        paused_until=_date(row[C_PAUSED_UNTIL]),
        is_blocked=bool(row[C_IS_BLOCKED]),
        approved=bool(row[C_APPROVED]),
        active_matches=int(row[C_ACTIVE]),
        matches_this_month=int(row[C_THIS_MONTH]),
        max_active_matches=row[C_MAX_ACTIVE],
        max_matches_per_month=row[C_MAX_MONTH],
        has_car=bool(row[C_HAS_CAR]),
        birth_date=_date(row[C_BIRTH_DATE]),
        availability=_slots(row[C_AVAILABILITY]),
        languages=_languages(row[C_LANGUAGES]),
        wants=wants & facts.offers,
        helped_requester_before=int(row[C_HELPED]),
        recent_too_much=1 if row[C_STRAINED] else 0,
        last_active_at=_datetime(row[C_LAST_ACTIVE]),
    )


def select_candidates(
    request: HelpRequest, *, now: datetime | None = None, limit: int | None = 20, include_current_round: bool = False
) -> Selection:
    """Rank the neighbours who may be proposed `request`, best first (every hard rule applied; at most two queries,
    one when the request comes with its requester, street and neighbourhood)."""
    now = now or timezone.now()
    if not _loaded(request):
        request = HelpRequest.objects.select_related("buurt", "requester__street").get(pk=request.pk)
    facts = base_facts(request, now=now)
    if facts.triage_level != "light" or facts.status not in MATCHABLE_STATUSES:
        return Selection(facts=facts, ranked=[])  # rule 9: nobody, and no query needed
    sql = statement(facts, include_current_round=include_current_round)
    params = candidate_params(facts, request_id=request.pk, current_round=request.current_round, now=now)
    with statement_cursor() as cursor:
        cursor.execute(sql, params)
        head = cursor.fetchone()  # always one row, with or without a candidate
        facts = completed(facts, head)
        if head[C_ID] is None:
            return Selection(facts=facts, ranked=[])
        # Rows come nearest first and are read (and converted) one by one: the ranking builds candidates lazily and
        # stops reading once no later row can enter the top `limit`.
        rows = itertools.chain([head], cursor)
        ranked = rank(facts, (to_candidate(row, facts) for row in rows), now=now, limit=limit, nearest_first=True)
    return Selection(facts=facts, ranked=ranked)


def _loaded(request: HelpRequest) -> bool:
    state = request._state.fields_cache
    if "buurt" not in state or "requester" not in state:
        return False
    return "street" in request.requester._state.fields_cache
