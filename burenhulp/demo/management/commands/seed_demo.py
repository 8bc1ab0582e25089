"""One realistic demo neighbourhood: Wakken (Dentergem), with streets, residents, services and requests in every state.

Running it again changes nothing: the demo is created once, keyed by the neighbourhood's slug.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from burenhulp.coordination.models import (
    ProfessionalService,
)
from burenhulp.core.models import Neighbourhood, Street, User
from burenhulp.demo.logins import COORDINATOR_EMAIL, PASSWORD, RESIDENT_EMAIL, VOLUNTEER_EMAIL
from burenhulp.demo.people import PEOPLE, SERVICES, STREETS
from burenhulp.demo.requests import seed_requests
from burenhulp.residents.models import Consent, ConsentHow, CreatedVia, HelpEntry, HelpKind, Housemate, Resident

SLUG = "wakken"
CONSENT_VERSION = "2026-01"


class Command(BaseCommand):
    help = "Create the demo neighbourhood Wakken with streets, residents, services and requests in every state."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    def handle(self, *args: Any, **opts: Any) -> None:
        if Neighbourhood.objects.filter(slug=SLUG).exists():
            self.stdout.write(f"The demo neighbourhood '{SLUG}' exists already; nothing to do.")
        else:
            with transaction.atomic():
                self._seed()
            self.stdout.write(self.style.SUCCESS(f"Created the demo neighbourhood '{SLUG}'."))
        if not opts["quiet_logins"]:
            self.stdout.write(
                f"Demo logins (password for all: {PASSWORD}):\n"
                f"  coordinator: {COORDINATOR_EMAIL} (asks for an authenticator app at the first login)\n"
                f"  resident:    {RESIDENT_EMAIL}\n"
                f"  volunteer:   {VOLUNTEER_EMAIL}"
            )

    def _account(self, email: str, first: str, last: str) -> User:
        user = User.objects.create_user(email=email, password=PASSWORD, first_name=first, last_name=last)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _seed(self) -> None:
        rng = random.Random(8720)
        now = timezone.now()
        buurt = Neighbourhood.objects.create(
            slug=SLUG,
            name="Zorgzame buurt Wakken",
            municipality="Dentergem",
            postcodes=["8720"],
            lat=50.9325,
            lon=3.3990,
            match_radius_m=1500,
            contact_phone="051 63 30 00",
            contact_email="zorgzamebuurt@wakken.example",
            contact_address="Dorpsplaats 1, 8720 Wakken",
        )
        coordinator = self._account(COORDINATOR_EMAIL, "Griet", "Vandaele")
        buurt.coordinators.add(coordinator)
        streets = [
            Street.objects.create(buurt=buurt, name=name, postcode="8720", lat=lat, lon=lon)
            for name, lat, lon in STREETS
        ]
        for name, kind, phone, what in SERVICES:
            ProfessionalService.objects.create(buurt=buurt, name=name, kind=kind, phone=phone, what_for=what)

        residents: list[Resident] = []
        for i, (first, last, s, langs, offers, wants, car, age) in enumerate(PEOPLE):
            street = streets[s]
            email = {0: RESIDENT_EMAIL, 1: VOLUNTEER_EMAIL}.get(i, f"{first.lower()}.{i}@wakken.example")
            user = self._account(email, first, last) if i < 2 or i % 3 == 0 else None
            on_paper = user is None and i % 2 == 1
            r = Resident.objects.create(
                buurt=buurt,
                user=user,
                first_name=first,
                last_name=last,
                email="" if on_paper else email,
                phone=f"0470 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                birth_date=(now - timedelta(days=365 * age + rng.randint(0, 300))).date(),
                street=street,
                house_number=str(rng.randint(1, 80)) + ("B" if i % 7 == 0 else ""),
                lat=street.lat + rng.uniform(-0.0008, 0.0008),  # type: ignore[operator]
                lon=street.lon + rng.uniform(-0.0012, 0.0012),  # type: ignore[operator]
                language="fr" if langs[0] == "fr" else ("en" if langs[0] in {"pl", "en"} else "nl-be"),
                languages=langs,
                availability=[
                    {"day": d, "part": p}
                    for d in rng.sample(range(7), 3)
                    for p in rng.sample(["morning", "afternoon", "evening"], 2)
                ]
                if i % 4
                else [],
                has_car=car,
                house_description=rng.choice(
                    ["Huis met de groene deur", "Appartement op de 2de verdieping", "Hoekhuis met de rozen", ""]
                ),
                favourites=rng.choice(["Boer zoekt vrouw", "De Kat en de Muizen", "Will Tura", "Suske en Wiske", ""]),
                dream=rng.choice(["Nog eens naar zee", "Leren breien", "Een moestuin beginnen", ""]),
                favourite_food=rng.choice(["Stoofvlees met frietjes", "Soep", "Couscous", "Pannenkoeken", ""]),
                shared_fields=["offers", "wants", "languages", "favourites", "street"],
                created_via=CreatedVia.SELF if user else CreatedVia.COORDINATOR,
                created_by=None if user else coordinator,
                consent_how=ConsentHow.ONLINE if user else (ConsentHow.PAPER if on_paper else ConsentHow.VERBAL),
                contact_via="email" if not on_paper else "phone",
                last_active_at=now - timedelta(days=rng.randint(0, 40)),
            )
            Consent.objects.create(
                resident=r,
                purpose=Consent.Purpose.PLATFORM,
                text_version=CONSENT_VERSION,
                how=r.consent_how,
                recorded_by=None if user else coordinator,
            )
            for cat in offers:
                HelpEntry.objects.create(resident=r, buurt=buurt, category=cat, kind=HelpKind.OFFER)
            for cat in wants:
                HelpEntry.objects.create(resident=r, buurt=buurt, category=cat, kind=HelpKind.WANT)
            residents.append(r)
        Housemate.objects.create(resident=residents[2], name="Yasmine", birthday=(now - timedelta(days=365 * 9)).date())
        Housemate.objects.create(resident=residents[6], name="Lucas", birthday=(now - timedelta(days=365 * 4)).date())

        seed_requests(buurt=buurt, residents=residents, coordinator=coordinator, now=now, rng=rng)
