"""`python -m bench matching [--sizes 1000,10000,100000] [--db postgres,sqlite] [--iterations 200] [--keep]`

Times candidate ranking for one request in a generated city (bench/city.py) and prints one table:

- engine p50/p95: `select_candidates` (select, every hard rule, rank, top 20) plus rendering the reasons;
- endpoint p50/p95: `GET /api/v1/requests/{id}/candidates/` through the Django test client (middleware, auth,
  DRF, JSON) as a coordinator;
- SQL queries per request (engine from an unloaded request, and the whole endpoint);
- peak memory of one engine call (tracemalloc);
- a naive baseline (load every offer of the category in the city, compute in Python) and its ratio to the engine.

Each database runs in its own process on its own benchmark database (never the development or test database):
PostgreSQL `bh_bench` (BENCH_POSTGRES_URL), SQLite `var/bench.sqlite3` (BENCH_SQLITE_PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/bh_bench"
DEFAULT_SQLITE = ROOT / "var" / "bench.sqlite3"


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench matching", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="residents, comma-separated")
    p.add_argument("--db", default="postgres,sqlite", help="postgres, sqlite or both (comma-separated)")
    p.add_argument("--iterations", type=int, default=200, help="timed engine and endpoint calls per size")
    p.add_argument(
        "--keep",
        action="store_true",
        help="reuse the city already in the benchmark database (only valid when it is not larger than the first size)",
    )
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def database_url(db: str) -> str:
    if db == "postgres":
        return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG)
    if db == "sqlite":
        return "sqlite:///" + str(Path(os.environ.get("BENCH_SQLITE_PATH", DEFAULT_SQLITE)).resolve())
    raise SystemExit(f"unknown database {db!r}: use postgres or sqlite")


# --- The parent: one child process per database, one table ------------------------------------------------------


def main(argv: list[str]) -> int:
    args = parse(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if sizes != sorted(sizes):
        raise SystemExit("--sizes must be in increasing order (the city grows between sizes)")
    if args.worker:
        return worker(args)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for db in [d.strip() for d in args.db.split(",") if d.strip()]:
        env = {**os.environ, "DATABASE_URL": database_url(db), "DJANGO_SETTINGS_MODULE": "burenhulp.settings"}
        env.setdefault("DJANGO_DEBUG", "1")  # development settings; DEBUG is switched off again in the worker
        cmd = [sys.executable, "-m", "bench", "matching", "--worker", "--db", db, "--sizes", args.sizes]
        cmd += ["--iterations", str(args.iterations)] + (["--keep"] if args.keep else [])
        print(f"[{db}] generating and measuring …", flush=True)
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False)
        for line in proc.stdout.splitlines():
            if line.startswith("{"):
                rows.append(json.loads(line))
            else:
                print(f"[{db}] {line}", flush=True)
        if proc.returncode != 0:
            print(f"[{db}] failed with exit code {proc.returncode}", file=sys.stderr)
            return proc.returncode
    print()
    print(table(rows))
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    return 0


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "db",
        "residents",
        "cands",
        "engine p50",
        "engine p95",
        "endpoint p50",
        "endpoint p95",
        "queries eng/endp",
        "peak mem",
        "naive p50",
        "naive/engine",
    )
    body = [
        (
            r["db"],
            f"{r['residents']:,}",
            f"{r['candidates_mean']:.0f}",
            f"{r['engine_p50_ms']:.2f} ms",
            f"{r['engine_p95_ms']:.2f} ms",
            f"{r['endpoint_p50_ms']:.2f} ms",
            f"{r['endpoint_p95_ms']:.2f} ms",
            f"{r['engine_queries']}/{r['endpoint_queries']}",
            f"{r['peak_kib']:.0f} KiB",
            f"{r['naive_p50_ms']:.1f} ms",
            f"{r['naive_p50_ms'] / r['engine_p50_ms']:.0f}x",
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=False)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += ["| " + " | ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in body]
    return "\n".join(lines)


# --- The child: one database ------------------------------------------------------------------------------------


def ensure_database(db: str, fresh: bool) -> None:
    url = os.environ["DATABASE_URL"]
    if db == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh and path.exists():
            path.unlink()
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def worker(args: argparse.Namespace) -> int:
    # The city only grows, so each run starts from an empty database unless told otherwise: every size is then
    # measured on a city of exactly that size.
    ensure_database(args.db, fresh=not args.keep)
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation
    from rest_framework.test import APIClient

    from bench import city
    from burenhulp.core.models import Neighbourhood, User
    from burenhulp.helprequests.models import HelpRequest, MatchProposal
    from burenhulp.residents.models import HelpEntry
    from matching.facts import request_facts
    from matching.reasons import describe_all
    from matching.rules import Candidate, Point
    from matching.scoring import rank
    from matching.selection import select_candidates

    settings.DEBUG = False  # no query log in memory
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
    translation.activate("en")
    coordinator, _ = User.objects.get_or_create(email="bench-coordinator@example.org")
    if not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(coordinator, generate_totp_secret())  # coordinators use the API only with a second factor
    client = APIClient()
    client.force_authenticate(coordinator)

    def naive(hr: HelpRequest) -> int:
        """Load every offer of the category in the city and do everything in Python."""
        now = timezone.now()
        facts = request_facts(hr, now=now)
        entries = list(HelpEntry.objects.filter(kind="offer", category=hr.category).select_related("resident"))
        ids = [e.resident_id for e in entries]
        load: dict[int, int] = {}
        for vid, status in MatchProposal.objects.filter(volunteer_id__in=ids, status="accepted").values_list(
            "volunteer_id", "request__status"
        ):
            if status == "matched":
                load[vid] = load.get(vid, 0) + 1
        candidates = []
        for e in entries:
            r = e.resident
            candidates.append(
                Candidate(
                    id=r.pk,
                    buurt_id=r.buurt_id,
                    point=Point(r.lat, r.lon) if r.lat is not None and r.lon is not None else None,
                    offers=frozenset({e.category}),
                    household_root_id=r.household_of_id or r.pk,
                    street_id=r.street_id,
                    house_number=r.house_number,
                    paused_until=r.paused_until,
                    is_blocked=r.is_blocked,
                    approved=r.approved,
                    active_matches=load.get(r.pk, 0),
                    max_active_matches=r.max_active_matches,
                    max_matches_per_month=r.max_matches_per_month,
                    has_car=r.has_car,
                    birth_date=r.birth_date,
                    availability=tuple((int(s["day"]), str(s["part"])) for s in r.availability),
                    languages=tuple(r.languages),
                    last_active_at=r.last_active_at,
                )
            )
        ranked = rank(facts, candidates, now=now, limit=20)
        for x in ranked:
            describe_all(x.reasons)
        return len(ranked)

    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        t0 = time.perf_counter()
        residents = city.grow_to(size)
        with connection.cursor() as cursor:
            # What autovacuum does soon after bulk inserts in a real deployment: statistics, and on PostgreSQL the
            # visibility map that lets the covering index answer without reading the table.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"city of {residents:,} residents ready in {time.perf_counter() - t0:.1f} s", flush=True)
        coordinator.coordinated_buurten.add(*Neighbourhood.objects.filter(slug__startswith=city.PREFIX))
        pks = list(
            HelpRequest.objects.filter(buurt__slug__startswith=city.PREFIX, description="bench open").values_list(
                "pk", flat=True
            )
        )
        rng = random.Random(size)
        sample = [rng.choice(pks) for _ in range(args.iterations)]
        loaded = {
            hr.pk: hr
            for hr in HelpRequest.objects.select_related("buurt", "requester__street").filter(pk__in=set(sample))
        }

        def engine(pk: int, loaded: dict[int, HelpRequest] = loaded) -> int:
            ranked = select_candidates(loaded[pk], limit=20).ranked
            for x in ranked:
                describe_all(x.reasons)
            return len(ranked)

        for pk in sample[:20]:  # warm up caches and connections
            engine(pk)
            client.get(f"/api/v1/requests/{pk}/candidates/")
        engine_ms, counts = [], []
        for pk in sample:
            t = time.perf_counter()
            counts.append(engine(pk))
            engine_ms.append((time.perf_counter() - t) * 1000)
        endpoint_ms = []
        for pk in sample:
            t = time.perf_counter()
            answer = client.get(f"/api/v1/requests/{pk}/candidates/")
            endpoint_ms.append((time.perf_counter() - t) * 1000)
            if answer.status_code != 200:
                raise SystemExit(f"candidates endpoint answered {answer.status_code}: {answer.content[:300]!r}")
        fresh = HelpRequest.objects.get(pk=sample[0])
        with CaptureQueriesContext(connection) as q_engine:
            select_candidates(fresh, limit=20)
        with CaptureQueriesContext(connection) as q_endpoint:
            client.get(f"/api/v1/requests/{sample[0]}/candidates/")
        # What one call needs above what was allocated before it: memory allocated before tracing began is not
        # traced, so the absolute figure would drift as the bounded caches replace old entries with new ones.
        tracemalloc.start()
        peak = 0
        for pk in sample[:30]:
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            engine(pk)
            peak = max(peak, tracemalloc.get_traced_memory()[1] - before)
        tracemalloc.stop()
        naive_ms = []
        # The baseline reads the whole city: a few calls are enough at a million residents.
        for pk in sample[: max(3, min(30, args.iterations // 10, 3_000_000 // residents))]:
            t = time.perf_counter()
            naive(loaded[pk])
            naive_ms.append((time.perf_counter() - t) * 1000)
        print(
            json.dumps(
                {
                    "db": args.db,
                    "residents": residents,
                    "candidates_mean": statistics.mean(counts),
                    "engine_p50_ms": pct(engine_ms, 0.5),
                    "engine_p95_ms": pct(engine_ms, 0.95),
                    "endpoint_p50_ms": pct(endpoint_ms, 0.5),
                    "endpoint_p95_ms": pct(endpoint_ms, 0.95),
                    "engine_queries": len(q_engine.captured_queries),
                    "endpoint_queries": len(q_endpoint.captured_queries),
                    "peak_kib": peak / 1024,
                    "naive_p50_ms": pct(naive_ms, 0.5),
                }
            ),
            flush=True,
        )
    return 0
