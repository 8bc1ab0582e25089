"""Reads of the coordinator dashboard that are more than one queryset method."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from burenhulp.coordination.models import Referral
from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.residents.models import HelpKind, Resident
from matching.facts import month_start


def volunteers_with_load(buurt: Neighbourhood, *, now: datetime) -> QuerySet[Resident]:
    """Everyone in the neighbourhood who offers help, with `active_n` (active matches), `month_n` (accepted this
    month, as the matching limits count them) and `flags_n` (follow-ups that said "too much" or asked the coordinator
    to take over); flagged and busy volunteers first."""
    accepted = MatchProposal.objects.filter(volunteer=OuterRef("pk"), status=ProposalStatus.ACCEPTED)
    active_sq = (
        accepted.filter(request__status=RequestStatus.MATCHED)
        .order_by()
        .values("volunteer")
        .annotate(n=Count("id"))
        .values("n")
    )
    month_sq = (
        accepted.filter(answered_at__gte=month_start(now))
        .order_by()
        .values("volunteer")
        .annotate(n=Count("id"))
        .values("n")
    )
    flags_sq = (
        FollowUp.objects.filter(respondent=OuterRef("pk"), role=FollowUp.Role.VOLUNTEER)
        .filter(Q(too_much=True) | Q(hand_to_coordinator=True))
        .order_by()
        .values("respondent")
        .annotate(n=Count("id"))
        .values("n")
    )
    offering = (
        Resident.objects.in_buurt(buurt).filter(deleted_at__isnull=True, help_entries__kind=HelpKind.OFFER).distinct()
    )
    return offering.annotate(
        active_n=Coalesce(Subquery(active_sq), 0),
        month_n=Coalesce(Subquery(month_sq), 0),
        flags_n=Coalesce(Subquery(flags_sq), 0),
    ).order_by("-flags_n", "-active_n", "first_name", "pk")


def referral_of(request: HelpRequest) -> Referral | None:
    """The latest referral of a request, with its service: what the resident is told after a referral."""
    return Referral.objects.filter(request=request).select_related("service").order_by("-created_at").first()
