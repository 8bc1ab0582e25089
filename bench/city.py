"""A generated city for the benchmarks: neighbourhoods of about 1,000 residents each (100 of them at 100,000), with
streets, coordinates, realistic offers and wants, languages, weekly availability, cars, birthdays, pauses, and a
history of accepted helps so that the load subqueries have rows to count.

Growing the city adds neighbourhoods (a real deployment grows by neighbourhoods, not by packing more people into
one), so a request's own neighbourhood looks the same at every size and anything that scans the whole city shows.
Generation is deterministic (one seeded random generator per neighbourhood) and incremental: going from 10k to 100k
adds the missing neighbourhoods only.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from burenhulp.core.models import Neighbourhood, Street
from burenhulp.helprequests.models import HelpRequest, MatchProposal
from burenhulp.residents.models import HelpEntry, Resident

PER_BUURT = 1000
PREFIX = "bench-"
CITY_CENTRE = (51.0543, 3.7174)  # Gent
SPACING_M = 2600.0
# How often each kind of help is offered (share of residents) and wanted.
OFFER_SHARE = {
    "boodschappen": 0.22,
    "vuilnis": 0.12,
    "planten": 0.14,
    "tuin": 0.10,
    "hond": 0.09,
    "documenten": 0.06,
    "huiswerk": 0.07,
    "buurtfeest": 0.08,
    "chauffeur": 0.08,
    "babysit": 0.05,
    "samen": 0.15,
    "andere": 0.04,
}
WANT_SHARE = {k: v / 2.5 for k, v in OFFER_SHARE.items()}
LANGUAGE_SHARE = {"fr": 0.18, "en": 0.22, "ar": 0.04, "tr": 0.04, "pl": 0.02, "es": 0.02}
PARTS = ("morning", "afternoon", "evening")


def buurt_centre(index: int) -> tuple[float, float]:
    """Neighbourhoods on a square spiral-ish grid around the city centre."""
    side = 10
    row, col = divmod(index, side)
    lat0, lon0 = CITY_CENTRE
    dlat = (row - side / 2) * SPACING_M / 111_195.0
    dlon = (col - side / 2) * SPACING_M / (111_195.0 * math.cos(math.radians(lat0)))
    return lat0 + dlat, lon0 + dlon


def existing_buurten() -> int:
    return Neighbourhood.objects.filter(slug__startswith=PREFIX).count()


def grow_to(residents: int, *, log: bool = True) -> int:
    """Make sure the city has `residents` residents (rounded up to whole neighbourhoods); returns the count."""
    wanted = max(1, math.ceil(residents / PER_BUURT))
    have = existing_buurten()
    for index in range(have, wanted):
        build_buurt(index)
        if log and (index + 1) % 10 == 0:
            print(f"  … {index + 1} neighbourhoods", flush=True)
    return Resident.objects.filter(buurt__slug__startswith=PREFIX).count()


@transaction.atomic
def build_buurt(index: int) -> None:
    rng = random.Random(1000 + index)
    lat, lon = buurt_centre(index)
    buurt = Neighbourhood.objects.create(
        name=f"Benchbuurt {index:03d}", slug=f"{PREFIX}{index:03d}", municipality="Gent", lat=lat, lon=lon
    )
    streets = Street.objects.bulk_create(
        [
            Street(
                buurt=buurt,
                name=f"Straat {index}-{s}",
                lat=lat + rng.gauss(0, 500) / 111_195.0,
                lon=lon + rng.gauss(0, 500) / 70_000.0,
            )
            for s in range(25)
        ]
    )
    today = timezone.localdate()
    now = timezone.now()
    residents: list[Resident] = []
    for _ in range(PER_BUURT):
        street = rng.choice(streets)
        located = rng.random() > 0.03
        languages = ["nl"] if rng.random() < 0.88 else []
        languages += [code for code, share in LANGUAGE_SHARE.items() if rng.random() < share]
        availability = (
            []
            if rng.random() < 0.45
            else [{"day": d, "part": p} for d in range(7) for p in PARTS if rng.random() < 0.18]
        )
        residents.append(
            Resident(
                buurt=buurt,
                first_name=rng.choice(["An", "Bart", "Chloé", "Dirk", "Els", "Fatima", "Geert", "Hanne", "Ilse"]),
                last_name="Bench",
                street=street,
                house_number=str(rng.randint(1, 180)),
                lat=(street.lat + rng.gauss(0, 120) / 111_195.0) if located else None,
                lon=(street.lon + rng.gauss(0, 120) / 70_000.0) if located else None,
                languages=languages or ["fr"],
                availability=availability,
                has_car=rng.random() < 0.45,
                birth_date=(today - timedelta(days=rng.randint(15 * 365, 90 * 365))) if rng.random() < 0.9 else None,
                paused_until=(today + timedelta(days=rng.randint(0, 30))) if rng.random() < 0.05 else None,
                is_blocked=rng.random() < 0.005,
                last_active_at=now - timedelta(days=rng.randint(0, 120)),
            )
        )
    residents = Resident.objects.bulk_create(residents, batch_size=1000)
    entries = []
    for r in residents:
        for category, share in OFFER_SHARE.items():
            if rng.random() < share:
                entries.append(HelpEntry(resident=r, buurt=buurt, category=category, kind="offer"))
        for category, share in WANT_SHARE.items():
            if rng.random() < share:
                entries.append(HelpEntry(resident=r, buurt=buurt, category=category, kind="want"))
    HelpEntry.objects.bulk_create(entries, batch_size=5000)
    # History: 120 past helps (some still going on) so that load, month and continuity have rows to count.
    requests = HelpRequest.objects.bulk_create(
        [
            HelpRequest(
                buurt=buurt,
                requester=rng.choice(residents),
                category=rng.choice(list(OFFER_SHARE)),
                description="bench history",
                status="matched" if k % 3 == 0 else "done",
                created_at=now - timedelta(days=rng.randint(0, 60)),
            )
            for k in range(120)
        ]
    )
    MatchProposal.objects.bulk_create(
        [
            MatchProposal(
                request=hr,
                volunteer=rng.choice(residents),
                score=50.0,
                status="accepted",
                answered_at=hr.created_at + timedelta(hours=3),
            )
            for hr in requests
        ]
    )
    # Open light requests the benchmark ranks candidates for.
    HelpRequest.objects.bulk_create(
        [
            HelpRequest(
                buurt=buurt,
                requester=rng.choice(residents),
                category=rng.choice(["boodschappen", "boodschappen", "planten", "samen", "hond", "tuin"]),
                description="bench open",
                status="open",
            )
            for _ in range(10)
        ]
    )
