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
    LEVEL_PRIORITY,
    ProfessionalService,
    QueueItem,
    QueueKind,
    Referral,
    ReferralStatus,
)
from burenhulp.core.models import Neighbourhood, Street, User
from burenhulp.demo.logins import COORDINATOR_EMAIL, PASSWORD, RESIDENT_EMAIL, VOLUNTEER_EMAIL
from burenhulp.helprequests.models import (
    FollowUp,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TriageLevel,
)
from burenhulp.residents.models import Consent, ConsentHow, CreatedVia, HelpEntry, HelpKind, Housemate, Resident

SLUG = "wakken"
CONSENT_VERSION = "2026-01"

STREETS = [
    ("Dorpsplaats", 50.93250, 3.39900),
    ("Kerkstraat", 50.93330, 3.39760),
    ("Stationsstraat", 50.93120, 3.40180),
    ("Molenstraat", 50.93460, 3.40230),
    ("Tieltstraat", 50.93600, 3.39550),
    ("Leiestraat", 50.92980, 3.39610),
    ("Ginstestraat", 50.93050, 3.40550),
    ("Markegemstraat", 50.93750, 3.40410),
]

# first name, last name, street index, languages, offers, wants, has car, age
PEOPLE: list[tuple[str, str, int, list[str], list[str], list[str], bool, int]] = [
    ("An", "De Meyer", 0, ["nl"], ["planten", "samen"], ["chauffeur", "documenten"], False, 78),
    ("Jonas", "Vercruysse", 1, ["nl", "en"], ["chauffeur", "boodschappen", "tuin"], ["huiswerk"], True, 41),
    ("Fatima", "El Amrani", 2, ["nl", "fr"], ["huiswerk", "samen", "babysit"], ["tuin"], False, 35),
    ("Marc", "Vandenberghe", 3, ["nl"], ["tuin", "vuilnis", "hond"], [], True, 67),
    ("Lotte", "Declercq", 4, ["nl", "en"], ["hond", "babysit", "buurtfeest"], ["planten"], False, 24),
    ("Georges", "Lambert", 5, ["fr", "nl"], ["documenten", "samen"], ["boodschappen"], True, 72),
    ("Sofie", "Van Hulle", 6, ["nl"], ["boodschappen", "planten"], ["babysit"], True, 38),
    ("Ahmed", "Benali", 7, ["nl", "fr", "ar"], ["chauffeur", "andere"], ["documenten"], True, 46),
    ("Rita", "Maes", 0, ["nl"], [], ["boodschappen", "vuilnis"], False, 86),
    ("Pieter", "Goethals", 1, ["nl", "en"], ["huiswerk", "documenten"], [], False, 29),
    ("Noor", "Desmet", 2, ["nl"], ["samen", "planten"], ["hond"], False, 17),
    ("Willy", "Verhaeghe", 3, ["nl"], ["vuilnis", "tuin"], ["chauffeur"], True, 81),
    ("Emma", "Callens", 4, ["nl", "fr", "en"], ["buurtfeest", "samen", "boodschappen"], [], False, 52),
    ("Karel", "Dewaele", 5, ["nl"], ["chauffeur", "tuin"], ["documenten"], True, 63),
    ("Ines", "Vanhoutte", 6, ["nl", "en"], ["babysit", "huiswerk"], ["boodschappen"], False, 21),
    ("Olga", "Kowalska", 7, ["pl", "en", "nl"], ["samen", "boodschappen"], ["documenten"], False, 44),
    ("Jef", "Vanneste", 0, ["nl"], ["hond", "vuilnis"], [], False, 58),
    ("Mariette", "Dewitte", 1, ["nl"], [], ["samen", "chauffeur"], False, 91),
    ("Thomas", "Claeys", 2, ["nl", "en"], ["boodschappen", "chauffeur", "buurtfeest"], [], True, 33),
    ("Hilde", "Deconinck", 3, ["nl"], ["planten", "samen"], ["tuin"], False, 69),
    ("Yusuf", "Demir", 4, ["nl", "tr"], ["tuin", "andere"], [], True, 39),
    ("Chantal", "Dubois", 5, ["fr"], ["samen"], ["boodschappen", "documenten"], False, 74),
    ("Bart", "Lefevere", 6, ["nl"], ["vuilnis", "hond", "tuin"], [], False, 47),
    ("Elise", "Van Damme", 7, ["nl", "en"], ["huiswerk", "babysit", "planten"], [], False, 26),
    ("Roger", "Vermeulen", 0, ["nl"], [], ["vuilnis", "tuin"], False, 88),
    ("Sarah", "Coppens", 1, ["nl", "en", "fr"], ["documenten", "boodschappen"], [], True, 36),
    ("Dirk", "Vandamme", 2, ["nl"], ["chauffeur", "vuilnis"], ["samen"], True, 70),
    ("Leen", "Hoste", 3, ["nl"], ["planten", "hond"], [], False, 55),
    ("Amina", "Diallo", 4, ["fr", "nl", "en"], ["samen", "huiswerk"], ["documenten"], False, 31),
    ("Frans", "De Vos", 5, ["nl"], [], ["chauffeur", "boodschappen"], False, 84),
]

SERVICES = [
    ("Sociaal Huis Dentergem (OCMW)", "ocmw", "051 63 30 00", "Financial help, social services, home help."),
    (
        "CAW Centraal-West-Vlaanderen",
        "caw",
        "078 15 03 00",
        "Free welfare work: relationships, money, housing, violence.",
    ),
    ("Familiehulp regio Tielt", "thuiszorg", "051 40 16 41", "Home care and family care."),
    ("Lokaal dienstencentrum De Mane", "ldc", "051 63 75 30", "Meeting place, meals, activities and advice."),
    ("Wijkgezondheidscentrum De Leie", "huisarts", "051 60 12 12", "GP practice and community health care."),
    ("Mantelzorgpunt regio Tielt", "mantelzorg", "051 40 45 10", "Support and respite for informal carers."),
    ("Schuldbemiddeling OCMW Dentergem", "schuldbemiddeling", "051 63 30 00", "Debt mediation and budget help."),
    (
        "Woonbegeleiding Leiestreek",
        "woonbegeleiding",
        "051 68 92 40",
        "Housing quality, damp and mould, rent problems.",
    ),
    ("Tele-Onthaal", "tele-onthaal", "106", "Anonymous listening, day and night."),
]


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

        an, jonas, fatima, marc, lotte, georges = residents[:6]
        rita, mariette, chantal, frans = residents[8], residents[17], residents[21], residents[29]

        def req(requester: Resident, category: str, text: str, status: str, days_ago: int, **kw: Any) -> HelpRequest:
            return HelpRequest.objects.create(
                buurt=buurt,
                requester=requester,
                category=category,
                description=text,
                status=status,
                created_at=now - timedelta(days=days_ago, hours=rng.randint(0, 20)),
                **kw,
            )

        req(
            rita,
            "vuilnis",
            "Wie kan dinsdagavond mijn vuilniszak buiten zetten? Ik geraak moeilijk de trap af.",
            RequestStatus.OPEN,
            0,
        )
        proposed = req(
            an,
            "planten",
            "Ik ga een week naar mijn dochter. Wie geeft mijn planten water?",
            RequestStatus.PROPOSED,
            1,
            current_round=1,
            round_started_at=now - timedelta(hours=5),
        )
        for v in (residents[6], residents[19]):
            MatchProposal.objects.create(
                request=proposed,
                volunteer=v,
                score=0.8,
                distance_m=350,
                reasons=[{"code": "distance", "m": 350}],
                round=1,
                sent_at=now - timedelta(hours=5),
            )
        matched = req(
            an,
            "chauffeur",
            "Donderdag heb ik een afspraak bij de oogarts in Tielt om 10 uur. Wie kan mij voeren?",
            RequestStatus.MATCHED,
            3,
            window_start=now + timedelta(days=2, hours=2),
            window_end=now + timedelta(days=2, hours=5),
            current_round=1,
            round_started_at=now - timedelta(days=3),
            matched_at=now - timedelta(days=2, hours=20),
        )
        MatchProposal.objects.create(
            request=matched,
            volunteer=jonas,
            score=0.9,
            distance_m=180,
            reasons=[{"code": "distance", "m": 180}, {"code": "language", "lang": "nl"}],
            round=1,
            status=ProposalStatus.ACCEPTED,
            sent_at=now - timedelta(days=3),
            answered_at=now - timedelta(days=2, hours=20),
        )
        done = req(
            mariette,
            "samen",
            "Ik zou graag eens samen een koffie drinken en een babbeltje slaan.",
            RequestStatus.DONE,
            20,
            current_round=1,
            matched_at=now - timedelta(days=19),
            closed_at=now - timedelta(days=12),
        )
        MatchProposal.objects.create(
            request=done,
            volunteer=residents[12],
            score=0.85,
            distance_m=420,
            reasons=[{"code": "distance", "m": 420}],
            round=1,
            status=ProposalStatus.ACCEPTED,
            answered_at=now - timedelta(days=19),
        )
        FollowUp.objects.create(
            request=done,
            respondent=mariette,
            role=FollowUp.Role.REQUESTER,
            happened="yes",
            rating=5,
            answered_at=now - timedelta(days=11),
            comment="Heel gezellig!",
        )
        FollowUp.objects.create(
            request=done,
            respondent=residents[12],
            role=FollowUp.Role.VOLUNTEER,
            happened="yes",
            rating=5,
            answered_at=now - timedelta(days=11),
        )
        tired = req(
            frans,
            "boodschappen",
            "Elke week wat boodschappen bij de Spar.",
            RequestStatus.DONE,
            30,
            matched_at=now - timedelta(days=29),
            closed_at=now - timedelta(days=20),
        )
        MatchProposal.objects.create(
            request=tired,
            volunteer=residents[18],
            score=0.7,
            distance_m=800,
            reasons=[{"code": "distance", "m": 800}],
            round=1,
            status=ProposalStatus.ACCEPTED,
            answered_at=now - timedelta(days=29),
        )
        flag = FollowUp.objects.create(
            request=tired,
            respondent=residents[18],
            role=FollowUp.Role.VOLUNTEER,
            happened="yes",
            rating=3,
            too_much=True,
            answered_at=now - timedelta(days=19),
            comment="Het wordt elke week meer; ik denk dat er meer hulp nodig is.",
        )
        QueueItem.objects.create(
            buurt=buurt,
            kind=QueueKind.FOLLOW_UP,
            request=tired,
            resident=frans,
            follow_up=flag,
            level=TriageLevel.LIGHT,
            priority=LEVEL_PRIORITY[TriageLevel.LIGHT],
            reasons=["follow_up_too_much"],
            created_at=now - timedelta(days=19),
        )

        heavy = req(
            chantal,
            "documenten",
            "J'ai reçu une lettre de l'huissier pour des factures impayées et je ne sais plus quoi faire.",
            RequestStatus.QUEUED,
            2,
            triage_level=TriageLevel.HEAVY,
            triage_reasons=[{"rule": "debt", "term": "huissier"}],
        )
        QueueItem.objects.create(
            buurt=buurt,
            kind=QueueKind.TRIAGE,
            request=heavy,
            resident=chantal,
            level=TriageLevel.HEAVY,
            priority=LEVEL_PRIORITY[TriageLevel.HEAVY],
            reasons=heavy.triage_reasons,
            created_at=heavy.created_at,
        )
        mould = req(
            residents[24],
            "andere",
            "Er zit al maanden schimmel op de muren van de slaapkamer en de verwarming doet het niet.",
            RequestStatus.QUEUED,
            6,
            triage_level=TriageLevel.HEAVY,
            triage_reasons=[
                {"rule": "housing", "term": "schimmel"},
                {"rule": "housing", "term": "verwarming doet het niet"},
            ],
        )
        QueueItem.objects.create(
            buurt=buurt,
            kind=QueueKind.TRIAGE,
            request=mould,
            resident=residents[24],
            level=TriageLevel.HEAVY,
            priority=LEVEL_PRIORITY[TriageLevel.HEAVY],
            reasons=mould.triage_reasons,
            created_at=mould.created_at,
        )
        crisis = req(
            residents[15],
            "andere",
            "My neighbour shouts and hits his wife, I hear it every night.",
            RequestStatus.QUEUED,
            0,
            triage_level=TriageLevel.CRISIS,
            triage_reasons=[{"rule": "violence", "term": "hits his wife"}],
            urgent=True,
        )
        QueueItem.objects.create(
            buurt=buurt,
            kind=QueueKind.TRIAGE,
            request=crisis,
            resident=residents[15],
            level=TriageLevel.CRISIS,
            priority=LEVEL_PRIORITY[TriageLevel.CRISIS],
            urgent=True,
            reasons=crisis.triage_reasons,
            created_at=crisis.created_at,
        )
        nomatch = req(
            residents[11],
            "chauffeur",
            "Elke maandagochtend naar de kinesist in Deinze.",
            RequestStatus.QUEUED,
            4,
            current_round=3,
        )
        QueueItem.objects.create(
            buurt=buurt,
            kind=QueueKind.NO_MATCH,
            request=nomatch,
            resident=residents[11],
            level=TriageLevel.LIGHT,
            priority=LEVEL_PRIORITY[TriageLevel.LIGHT],
            reasons=["no_match"],
            created_at=now - timedelta(days=1),
        )
        care = req(
            georges,
            "andere",
            "Ma femme a besoin d'aide pour se laver le matin depuis sa chute.",
            RequestStatus.REFERRED,
            9,
            triage_level=TriageLevel.HEAVY,
            triage_reasons=[{"rule": "personal_care", "term": "se laver"}],
        )
        item = QueueItem.objects.create(
            buurt=buurt,
            kind=QueueKind.TRIAGE,
            request=care,
            resident=georges,
            level=TriageLevel.HEAVY,
            priority=LEVEL_PRIORITY[TriageLevel.HEAVY],
            reasons=care.triage_reasons,
            status="referred",
            created_at=care.created_at,
            closed_at=now - timedelta(days=8),
            closed_by=coordinator,
        )
        Referral.objects.create(
            buurt=buurt,
            queue_item=item,
            request=care,
            resident=georges,
            service=ProfessionalService.objects.get(buurt=buurt, kind="thuiszorg"),
            reason="Hulp bij wassen en aankleden",
            consent=True,
            status=ReferralStatus.CONTACTED,
            follow_up_on=(now + timedelta(days=5)).date(),
            created_by=coordinator,
        )
        req(
            lotte,
            "hond",
            "Mijn hond moet volgende week uitgelaten worden, maar het is al geregeld.",
            RequestStatus.CANCELLED,
            10,
            closed_at=now - timedelta(days=9),
        )
        req(
            marc,
            "tuin",
            "Wie helpt de haag snoeien?",
            RequestStatus.EXPIRED,
            60,
            current_round=3,
            closed_at=now - timedelta(days=50),
        )
        req(fatima, "huiswerk", "Wie kan mijn dochter helpen met wiskunde, 5de leerjaar?", RequestStatus.OPEN, 0)
