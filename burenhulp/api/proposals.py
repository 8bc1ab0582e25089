"""The proposal API of DESIGN §9: /api/v1/proposals/…: the list, accept and decline.

A volunteer sees and answers their own proposals; a coordinator those of their neighbourhoods (recording a
volunteer's answer given by phone). Before acceptance a proposal shows the requester's street only, never the house
number, phone, email or coordinates. The output serializers below are what the API sends.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from burenhulp.api.fields import IsoDateTimeField, RequesterContactSerializer, StrictTypes
from burenhulp.api.openapi import bad_request, conflict, not_found_by_id
from burenhulp.core.categories import SLUGS
from burenhulp.core.models import audit_list
from burenhulp.core.tenancy import coordinator_buurten
from burenhulp.helprequests import services, stepback
from burenhulp.helprequests.models import MatchProposal, ProposalStatus
from burenhulp.residents.selectors import contact_of
from matching.reasons import describe_all, distance_band

PROPOSAL_NOT_OPEN = "The proposal or its request is no longer open (for accept: someone else already said yes)."


class ProposalSerializer(serializers.Serializer[Any]):
    """A proposal; the requester's place is the street only (never the number, phone, email or coordinates). The
    reasons are in the volunteer's friendly words, or a coordinator's (context["audience"])."""

    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    request = serializers.IntegerField(source="request_id")
    volunteer = serializers.IntegerField(source="volunteer_id")
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    score = serializers.FloatField()
    round = serializers.IntegerField()
    distance_m = serializers.SerializerMethodField(
        help_text="Metres to the requester in the same band as the email (50 m steps, then 100 m); null if unknown."
    )
    reasons = serializers.SerializerMethodField()
    category = serializers.ChoiceField(choices=SLUGS, source="request.category")
    description = serializers.CharField(source="request.description")
    window_start = IsoDateTimeField(source="request.window_start", allow_null=True)
    window_end = IsoDateTimeField(source="request.window_end", allow_null=True)
    requester_first_name = serializers.CharField(source="request.requester.first_name")
    street = serializers.SerializerMethodField()
    created_at = IsoDateTimeField()

    def get_distance_m(self, p: MatchProposal) -> float | None:
        return float(distance_band(p.distance_m)) if p.distance_m is not None else None

    def get_reasons(self, p: MatchProposal) -> list[str]:
        return describe_all(p.reasons, "volunteer" if self.context.get("audience") == "volunteer" else "coordinator")

    def get_street(self, p: MatchProposal) -> str:
        street = p.request.requester.street
        return street.name if street is not None else ""


class AcceptedSerializer(serializers.Serializer[MatchProposal]):
    """The accepted proposal and, now, how to reach the requester."""

    proposal = ProposalSerializer(source="*")
    requester = serializers.SerializerMethodField()

    @extend_schema_field(RequesterContactSerializer)
    def get_requester(self, p: MatchProposal) -> Any:
        return RequesterContactSerializer(contact_of(p.request.requester, with_address=True)).data


class DeclinedSerializer(serializers.Serializer[MatchProposal]):
    proposal = ProposalSerializer(source="*")


def proposal_queryset() -> QuerySet[MatchProposal]:
    return MatchProposal.objects.select_related("request__requester__street", "request__buurt")


class ProposalList(APIView):
    @extend_schema(responses={200: ProposalSerializer(many=True)})
    def get(self, request: Request) -> Response:
        me = getattr(request.user, "resident", None)
        buurten = list(coordinator_buurten(request.user).values_list("pk", flat=True))
        result: list[Any] = []
        seen: set[int] = set()
        if me is not None:
            own = list(proposal_queryset().filter(volunteer=me).order_by("-created_at")[:200])
            result += ProposalSerializer(own, many=True, context={"audience": "volunteer"}).data
            seen = {p.pk for p in own}
        if buurten:
            theirs = proposal_queryset().filter(request__buurt__in=buurten).order_by("-created_at")[:500]
            shown = [p for p in theirs if p.pk not in seen]
            # One row for the volunteer of each proposal and one for each requester whose request is listed (L9).
            requests = {p.request_id: p.request for p in shown}
            audit_list(actor=request.user, targets=[*shown, *requests.values()], reason="proposal list (API)")
            result += ProposalSerializer(shown, many=True).data
        return Response(result)


def answerable_proposal(request: Request, pk: int) -> tuple[MatchProposal, str]:
    """The caller's own proposal ("volunteer"), or one in a neighbourhood they coordinate ("coordinator"); 404
    otherwise."""
    p = proposal_queryset().filter(pk=pk).first()
    if p is None:
        raise Http404
    me = getattr(request.user, "resident", None)
    if me is not None and p.volunteer_id == me.pk:
        return p, "volunteer"
    if coordinator_buurten(request.user).filter(pk=p.request.buurt_id).exists():
        return p, "coordinator"
    raise Http404


class ProposalAccept(APIView):
    @extend_schema(
        request=None,
        responses={200: AcceptedSerializer, **not_found_by_id(), 409: conflict(PROPOSAL_NOT_OPEN)},
    )
    def post(self, request: Request, pk: int) -> Response:
        p, audience = answerable_proposal(request, pk)
        accepted = services.proposal_accept(proposal=p, by=request.user)
        accepted = proposal_queryset().select_related("request__requester__user").get(pk=accepted.pk)
        return Response(AcceptedSerializer(accepted, context={"audience": audience}).data)


class ProposalDecline(APIView):
    @extend_schema(
        request=None,
        responses={200: DeclinedSerializer, **not_found_by_id(), 409: conflict(PROPOSAL_NOT_OPEN)},
    )
    def post(self, request: Request, pk: int) -> Response:
        p, audience = answerable_proposal(request, pk)
        declined = services.proposal_decline(proposal=p, by=request.user)
        declined = proposal_queryset().get(pk=declined.pk)
        return Response(DeclinedSerializer(declined, context={"audience": audience}).data)


class WithdrawSerializer(StrictTypes, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ProposalWithdraw(APIView):
    @extend_schema(
        request=WithdrawSerializer,
        responses={
            200: DeclinedSerializer,
            400: bad_request(),
            **not_found_by_id(),
            409: conflict("The proposal is not the accepted one (or the help is no longer planned)."),
        },
        description=(
            "The accepted volunteer steps back (or a coordinator records that for them). The request goes back to "
            "matching and the requester is told; the reason is shown to coordinators only."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        p, audience = answerable_proposal(request, pk)
        data = WithdrawSerializer(data=request.data)
        if not data.is_valid():
            return Response(data.errors, status=status.HTTP_400_BAD_REQUEST)
        withdrawn = stepback.proposal_withdraw(proposal=p, by=request.user, reason=data.validated_data["reason"])
        withdrawn = proposal_queryset().get(pk=withdrawn.pk)
        return Response(DeclinedSerializer(withdrawn, context={"audience": audience}).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("proposals/", ProposalList.as_view(), name="proposal-list"),
    path("proposals/<int:pk>/accept/", ProposalAccept.as_view(), name="proposal-accept"),
    path("proposals/<int:pk>/decline/", ProposalDecline.as_view(), name="proposal-decline"),
    path("proposals/<int:pk>/withdraw/", ProposalWithdraw.as_view(), name="proposal-withdraw"),
]
