"""`python -m bench.calls [--tasks 10000] [--iterations 150] [--fresh]`

Renders the coordinator's call list (`/coordinator/call-list/`, DESIGN §12) through the Django test client
(middleware, session, TOTP check, templates) with `--tasks` open call tasks in the coordinator's neighbourhood, and
prints p50/p95 render times and the SQL queries per page. Runs on its own PostgreSQL database, `bh_cbench`
(BENCH_CALLS_DATABASE_URL), never the development or test database.

Seeding: one neighbourhood of 2,000 residents (half without email), `--tasks / 5` open requests with five proposals
each; every proposal's message was skipped (no email) and has an open call task; as many calls again already done.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta

from bench.pages import Row, time_pages
from bench.queue import ensure_database

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bh_cbench"


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=int, default=10_000)
    p.add_argument("--iterations", type=int, default=150)
    p.add_argument("--fresh", action="store_true", help="drop the benchmark database and seed it again")
    return p.parse_args(argv)


def seed(n_tasks: int) -> None:
    from django.utils import timezone

    from burenhulp.core.models import Neighbourhood, Street, User
    from burenhulp.helprequests.models import HelpRequest, MatchProposal, RequestStatus
    from burenhulp.notifications.models import CallOutcome, CallTask, Notification, NotificationStatus
    from burenhulp.residents.models import Resident

    if CallTask.objects.open().count() >= n_tasks:
        print(f"reusing {CallTask.objects.open().count()} open call tasks", flush=True)
        return
    rnd = random.Random(11)
    now = timezone.now()
    buurt = Neighbourhood.objects.create(name="Bench calls", slug="bench-calls", lat=51.0, lon=3.7)
    streets = Street.objects.bulk_create(
        [Street(buurt=buurt, name=f"Straat {j}", lat=buurt.lat, lon=buurt.lon) for j in range(40)]
    )
    residents = Resident.objects.bulk_create(
        [
            Resident(
                buurt=buurt,
                first_name=f"Bewoner{j}",
                last_name="Bench",
                street=streets[j % 40],
                house_number=str(j % 150 + 1),
                email="" if j % 2 else f"bewoner{j}@example.org",
                phone=f"051 {j:06d}",
                lat=buurt.lat + rnd.uniform(-0.01, 0.01),
                lon=buurt.lon + rnd.uniform(-0.01, 0.01),
            )
            for j in range(2000)
        ],
        batch_size=2000,
    )
    phone_only = residents[1::2]
    n_requests = max(1, n_tasks // 5)
    requests = HelpRequest.objects.bulk_create(
        [
            HelpRequest(
                buurt=buurt,
                requester=residents[(i * 2) % len(residents)],
                category="boodschappen",
                description="Bench request",
                status=RequestStatus.PROPOSED,
                created_at=now - timedelta(hours=rnd.uniform(1, 96)),
            )
            for i in range(n_requests * 2)
        ],
        batch_size=5000,
    )
    proposals = MatchProposal.objects.bulk_create(
        [
            MatchProposal(request=r, volunteer=phone_only[(i * 5 + k) % len(phone_only)], score=0.5, reasons=[])
            for i, r in enumerate(requests)
            for k in range(5)
        ],
        batch_size=5000,
    )
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                buurt=buurt,
                recipient_resident_id=p.volunteer_id,
                template="proposal",
                idempotency_key=f"proposal:{p.pk}:{p.volunteer_id}",
                context={"proposal_id": p.pk},
                status=NotificationStatus.SKIPPED,
                last_error="no email address",
            )
            for p in proposals
        ],
        batch_size=5000,
    )
    say = "Een buur in de Straat 3 vraagt hulp: Kleine boodschappen doen, geen vaste datum. Kan je helpen?"
    CallTask.objects.bulk_create(
        [
            CallTask(
                buurt=buurt,
                notification=n,
                resident_id=p.volunteer_id,
                template="proposal",
                say=say,
                why="no email address",
                request_id=p.request_id,
                proposal=p,
                created_at=now - timedelta(minutes=rnd.uniform(1, 72 * 60)),
                # The second half is already done: the list must not slow down with history.
                done_at=now if i >= n_tasks else None,
                outcome=CallOutcome.REACHED if i >= n_tasks else "",
            )
            for i, (n, p) in enumerate(zip(notifications, proposals, strict=True))
        ],
        batch_size=5000,
    )
    user = User.objects.create_user(email="bench-calls@example.org", password=None)
    buurt.coordinators.add(user)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(iterations: int) -> list[Row]:
    from django.conf import settings
    from django.test import Client

    from burenhulp.coordination.views.call_list import PAGE_SIZE
    from burenhulp.core.models import User
    from burenhulp.notifications.models import CallTask

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = User.objects.get(email="bench-calls@example.org")
    client = Client()
    client.force_login(user)
    open_count = CallTask.objects.open().count()
    print(f"database: {CallTask.objects.count()} call tasks, {open_count} open", flush=True)
    last = max(1, -(-open_count // PAGE_SIZE))
    pages = {
        "call list (first page)": "/coordinator/call-list/",
        f"call list (page {last // 2} of {last})": f"/coordinator/call-list/?page={last // 2}",
        f"call list (last page, {last})": f"/coordinator/call-list/?page={last}",
    }
    return time_pages(client, {name: (lambda u=url: u) for name, url in pages.items()}, iterations)


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = os.environ.get("BENCH_CALLS_DATABASE_URL", DEFAULT_DB)
    ensure_database(url, args.fresh)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "burenhulp.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    seed(args.tasks)
    print(f"(seeding took {time.perf_counter() - started:.0f} s)", flush=True)
    rows = measure(args.iterations)
    worst = max(r[2] for r in rows)
    print(f"\ntarget p95 < 150 ms with {args.tasks} open call tasks: {'pass' if worst < 150 else 'FAIL'} ({worst:.1f})")
    return 0 if worst < 150 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
