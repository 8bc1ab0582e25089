"""The demo's requests in every state (open, proposed, matched, done, queued, referred, cancelled, expired), with
their proposals, follow-ups, queue items and referrals, written as rows (no emails are sent for demo data)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from burenhulp.coordination.models import (
    LEVEL_PRIORITY,
    ProfessionalService,
    QueueItem,
    QueueKind,
    Referral,
    ReferralStatus,
)
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import (
    FollowUp,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TriageLevel,
)
from burenhulp.residents.models import Resident


def seed_requests(
    *, buurt: Neighbourhood, residents: list[Resident], coordinator: User, now: datetime, rng: random.Random
) -> None:
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
