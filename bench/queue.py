"""`python -m bench.queue [--requests 100000] [--iterations 200] [--fresh]`

Renders the coordinator's queue page and item page through the Django test client (middleware, session, TOTP
check, templates) against a neighbourhood database of `--requests` help requests, and prints p50/p95 render times
and the SQL queries per page. Runs on its own PostgreSQL database, `bh_qbench` (BENCH_QUEUE_DATABASE_URL), never
the development or test database.

Seeding: 12 neighbourhoods, 2,000 residents each; the requests are spread over them and over two years, in every
status; every heavy/crisis request and every "no match" has its queue item (about 15 % stay open).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from urllib.parse import urlparse

from bench.pages import time_pages

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bh_qbench"


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.queue", description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=100_000)
    p.add_argument("--iterations", type=int, default=200)
    p.add_argument("--fresh", action="store_true", help="drop the benchmark database and seed it again")
    return p.parse_args(argv)


def ensure_database(url: str, fresh: bool) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(n_requests: int) -> None:
    from django.utils import timezone

    from burenhulp.coordination.models import LEVEL_PRIORITY, QueueItem, QueueKind, QueueStatus
    from burenhulp.core.categories import Category
    from burenhulp.core.models import Neighbourhood, Street, User
    from burenhulp.helprequests.models import HelpRequest, RequestStatus, TriageLevel
    from burenhulp.residents.models import HelpEntry, HelpKind, Resident

    if HelpRequest.objects.count() >= n_requests:
        print(f"reusing {HelpRequest.objects.count()} requests", flush=True)
        return
    rnd = random.Random(7)
    now = timezone.now()
    buurten = [
        Neighbourhood.objects.create(name=f"Bench {i}", slug=f"bench-{i}", lat=51.0 + i * 0.05, lon=3.7)
        for i in range(12)
    ]
    residents: list[Resident] = []
    for b in buurten:
        streets = Street.objects.bulk_create(
            [Street(buurt=b, name=f"Straat {j}", lat=b.lat, lon=b.lon) for j in range(40)]
        )
        residents += Resident.objects.bulk_create(
            [
                Resident(
                    buurt=b,
                    first_name=f"Bewoner{j}",
                    last_name="Bench",
                    street=streets[j % 40],
                    house_number=str(j % 150 + 1),
                    lat=b.lat + rnd.uniform(-0.01, 0.01),
                    lon=b.lon + rnd.uniform(-0.01, 0.01),
                    phone="0470 00 00 00",
                )
                for j in range(2000)
            ],
            batch_size=2000,
        )
    HelpEntry.objects.bulk_create(
        [
            HelpEntry(resident=r, buurt_id=r.buurt_id, category=rnd.choice(Category.values), kind=HelpKind.OFFER)
            for r in residents[::3]
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    by_buurt: dict[int, list[Resident]] = {}
    for r in residents:
        by_buurt.setdefault(r.buurt_id, []).append(r)
    statuses = [
        (RequestStatus.DONE, 40),
        (RequestStatus.MATCHED, 8),
        (RequestStatus.OPEN, 5),
        (RequestStatus.PROPOSED, 4),
        (RequestStatus.EXPIRED, 8),
        (RequestStatus.CANCELLED, 5),
        (RequestStatus.QUEUED, 15),
        (RequestStatus.REFERRED, 15),
    ]
    population = [s for s, w in statuses for _ in range(w)]
    created = 0
    while created < n_requests:
        batch = []
        for _ in range(min(10_000, n_requests - created)):
            b = rnd.choice(buurten)
            requester = rnd.choice(by_buurt[b.pk])
            status = rnd.choice(population)
            level = TriageLevel.LIGHT
            if status in (RequestStatus.QUEUED, RequestStatus.REFERRED):
                level = TriageLevel.CRISIS if rnd.random() < 0.05 else TriageLevel.HEAVY
                if status == RequestStatus.QUEUED and rnd.random() < 0.3:
                    level = TriageLevel.LIGHT  # "no match" after the last round
            at = now - timedelta(hours=rnd.uniform(1, 2 * 365 * 24))
            batch.append(
                HelpRequest(
                    buurt=b,
                    requester=requester,
                    category=rnd.choice(Category.values),
                    description="Bench request " + "tekst " * rnd.randint(3, 30),
                    status=status,
                    triage_level=level,
                    triage_reasons=["heavy_term"] if level != TriageLevel.LIGHT else [],
                    urgent=rnd.random() < 0.1,
                    created_at=at,
                    matched_at=at + timedelta(hours=rnd.uniform(1, 48))
                    if status in (RequestStatus.DONE, RequestStatus.MATCHED)
                    else None,
                )
            )
        made = HelpRequest.objects.bulk_create(batch, batch_size=5000)
        items = []
        for req in made:
            if req.status not in (RequestStatus.QUEUED, RequestStatus.REFERRED):
                continue
            kind = QueueKind.NO_MATCH if req.triage_level == TriageLevel.LIGHT else QueueKind.TRIAGE
            items.append(
                QueueItem(
                    buurt_id=req.buurt_id,
                    kind=kind,
                    request=req,
                    resident_id=req.requester_id,
                    level=req.triage_level,
                    reasons=req.triage_reasons,
                    priority=LEVEL_PRIORITY[req.triage_level],
                    urgent=req.urgent,
                    summary=req.description[:300],
                    status=QueueStatus.OPEN if req.status == RequestStatus.QUEUED else QueueStatus.REFERRED,
                    created_at=req.created_at,
                )
            )
        QueueItem.objects.bulk_create(items, batch_size=5000)
        created += len(made)
        print(f"seeded {created} requests", flush=True)
    user = User.objects.create_user(email="bench-coordinator@example.org", password=None)
    buurten[0].coordinators.add(user)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(iterations: int) -> None:
    from django.conf import settings
    from django.test import Client

    from burenhulp.coordination.models import QueueItem
    from burenhulp.core.models import User
    from burenhulp.helprequests.models import HelpRequest

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = User.objects.get(email="bench-coordinator@example.org")
    buurt = user.coordinated_buurten.get()
    client = Client()
    client.force_login(user)
    open_ids = list(QueueItem.objects.in_buurt(buurt).open().values_list("pk", flat=True)[:5000])
    rnd = random.Random(3)
    print(
        f"database: {HelpRequest.objects.count()} requests, {QueueItem.objects.count()} queue items, "
        f"{len(open_ids)}+ open in the coordinator's neighbourhood",
        flush=True,
    )
    pages = {
        "queue page (first page)": lambda: "/coordinator/",
        "queue page (page 20, filtered)": lambda: "/coordinator/?kind=triage&page=20",
        "item page": lambda: f"/coordinator/item/{rnd.choice(open_ids)}/",
    }
    time_pages(client, pages, iterations)


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = os.environ.get("BENCH_QUEUE_DATABASE_URL", DEFAULT_DB)
    ensure_database(url, args.fresh)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "burenhulp.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    seed(args.requests)
    print(f"(seeding took {time.perf_counter() - started:.0f} s)", flush=True)
    measure(args.iterations)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
