"""Reads about requests and proposals, shared by the pages, the API, the workflows and the digests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.core.tenancy import coordinator_buurten
from burenhulp.helprequests.models import HelpRequest, MatchProposal, ProposalStatus, RequestStatus, TriageLevel
from burenhulp.residents.models import Resident, ResidentBlock
from burenhulp.residents.selectors import awaiting_approval
from matching.facts import base_facts, candidates_from
from matching.reasons import describe_all
from matching.rules import candidate_distance, eligible
from matching.selection import select_candidates

Role = Literal["coordinator", "requester", "volunteer"]

#: How many requests a weekly digest lists at most, and how many open requests it looks at.
DIGEST_SIZE = 10
DIGEST_POOL = 200


def requests_since(resident: Resident, *, days: int, now: datetime | None = None) -> int:
    """How many requests this resident asked in the last `days` days (the history signal of triage)."""
    moment = now or timezone.now()
    return HelpRequest.objects.filter(
        requester=resident, created_at__gte=moment - timedelta(days=days), created_at__lte=moment
    ).count()


def hold_reasons(requester: Resident, *, now: datetime | None = None) -> list[str]:
    """Why a resident's new light request goes to a coordinator before any neighbour is emailed (issue #14 L6,
    L8): a newcomer not approved yet where the neighbourhood checks new profiles ("awaiting_approval"), or too many
    requests — REQUEST_OPEN_LIMIT open light ones, or REQUEST_DAILY_LIMIT asked in the last 24 hours
    ("request_limit"). Counted before the new request is stored."""
    reasons: list[str] = []
    if awaiting_approval(requester):
        reasons.append("awaiting_approval")
    moment = now or timezone.now()
    mine = HelpRequest.objects.filter(requester=requester)
    open_light = mine.open().filter(triage_level=TriageLevel.LIGHT).count()
    today = mine.filter(created_at__gte=moment - timedelta(days=1), created_at__lte=moment).count()
    if open_light >= settings.REQUEST_OPEN_LIMIT or today >= settings.REQUEST_DAILY_LIMIT:
        reasons.append("request_limit")
    return reasons


HOLD_WORDS = {
    "awaiting_approval": gettext_lazy(
        "You are new here, and a coordinator first looks at new profiles. The coordinator will look at your "
        "question and contact you."
    ),
    "request_limit": gettext_lazy(
        "You already asked for a lot of help at once. A coordinator will look at this question first and contact you."
    ),
}


def held_words(request: HelpRequest) -> list[str]:
    """Why this request waits for a coordinator before neighbours are asked, in the requester's words (L6, L8)."""
    if request.status != RequestStatus.QUEUED or request.triage_level != TriageLevel.LIGHT:
        return []
    codes: list[str] = []
    for reasons in (
        QueueItem.objects.filter(request=request, kind=QueueKind.TRIAGE).open().values_list("reasons", flat=True)
    ):
        codes += [code for code in reasons or [] if code in HOLD_WORDS and code not in codes]
    return [str(HOLD_WORDS[code]) for code in codes]


def accepted_proposal(request: HelpRequest) -> MatchProposal | None:
    """The proposal a volunteer said yes to, with the volunteer and their account and street."""
    return (
        request.proposals.filter(status=ProposalStatus.ACCEPTED)
        .select_related("volunteer__user", "volunteer__street")
        .first()
    )


def viewer_role(request: HelpRequest, user: Any) -> Role | None:
    """Who `user` is for this request: a coordinator of its neighbourhood, the requester, the volunteer who
    accepted it, or nobody (None: the request does not exist for them)."""
    if coordinator_buurten(user).filter(pk=request.buurt_id).exists():
        return "coordinator"
    me: Resident | None = getattr(user, "resident", None)
    if me is None:
        return None
    if request.requester_id == me.pk:
        return "requester"
    if request.proposals.filter(volunteer=me, status=ProposalStatus.ACCEPTED).exists():
        return "volunteer"
    return None


@dataclass(frozen=True)
class CandidateRow:
    """A neighbour a coordinator could propose the request to, with the reasons in the coordinator's words."""

    resident_id: int
    score: float
    distance_m: float | None
    reasons: list[str]


def ranked_candidates(
    request: HelpRequest, *, limit: int | None = 20, include_current_round: bool = False
) -> list[CandidateRow]:
    """The candidates after every hard rule, best first, for the coordinator's page and the API."""
    ranked = select_candidates(request, limit=limit, include_current_round=include_current_round).ranked
    return [
        CandidateRow(
            resident_id=r.volunteer_id,
            score=r.score,
            distance_m=r.distance_m,
            reasons=describe_all(r.reasons, "coordinator"),
        )
        for r in ranked
    ]


def requests_near(resident: Resident, *, now: datetime | None = None, limit: int = DIGEST_SIZE) -> list[HelpRequest]:
    """The open requests this resident could be proposed now, nearest first (unknown distances last): the weekly
    digest ("reverse matching", DESIGN §5). Every hard rule of `matching.rules` decides, on the resident as the
    ORM reads them; rule 8 includes the requester's block list and the proposals this resident already had."""
    now = now or timezone.now()
    offers = set(resident.help_entries.filter(kind="offer").values_list("category", flat=True))
    if not offers:
        return []
    requests = list(
        HelpRequest.objects.in_buurt(resident.buurt_id)
        .matchable()
        .filter(category__in=offers)
        .exclude(requester_id=resident.pk)
        .select_related("buurt", "requester__street")
        .order_by("window_start", "created_at")[:DIGEST_POOL]
    )
    if not requests:
        return []
    proposed = set(
        MatchProposal.objects.filter(volunteer=resident, request__in=requests).values_list("request_id", flat=True)
    )
    blocked_by = set(ResidentBlock.objects.filter(blocked=resident).values_list("blocker_id", flat=True))
    found: list[tuple[tuple[int, float], HelpRequest]] = []
    candidate = None
    for request in requests:
        facts = base_facts(request, now=now)
        if request.pk in proposed or request.requester_id in blocked_by:
            facts = replace(facts, excluded_ids=frozenset({resident.pk}))
        if candidate is None:  # once: what the rules read of the resident does not depend on the request
            candidate = candidates_from([resident], facts=facts, now=now)[0]
        if not eligible(facts, candidate):
            continue
        distance = candidate_distance(facts, candidate)
        found.append(((0, distance) if distance is not None else (1, 0.0), request))
    found.sort(key=lambda pair: pair[0])
    return [request for _, request in found[:limit]]


@dataclass(frozen=True)
class Reach:
    """How the open round reaches its neighbours: by email, or by a coordinator's phone call (no email address,
    or emails paused). The requester is told only what is true (DESIGN §12)."""

    by_email: int
    by_phone: int


def round_reach(request: HelpRequest) -> Reach:
    """One query over the request's open proposals."""
    asked = MatchProposal.objects.filter(request=request, status=ProposalStatus.PROPOSED).select_related(
        "volunteer__user"
    )
    by_email = by_phone = 0
    for proposal in asked:
        v = proposal.volunteer
        email = v.email or (v.user.email if v.user_id and v.user else "")
        if email and not v.emails_paused:
            by_email += 1
        else:
            by_phone += 1
    return Reach(by_email=by_email, by_phone=by_phone)
