"""The request and proposal API of DESIGN §9: /api/v1/requests/… and /api/v1/proposals/….

Views fetch within the caller's scope (another neighbourhood's id is a 404), validate with a serializer, call the
workflow in `matching.workflow`, and answer JSON. A `TransitionError` becomes 409 in `burenhulp.api.errors`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from burenhulp.api.openapi import bad_request, conflict, not_found_by_id
from burenhulp.core.categories import SLUGS
from burenhulp.core.models import audit
from burenhulp.core.tenancy import coordinator_buurten
from burenhulp.helprequests import rounds, services
from burenhulp.helprequests.models import (
    DESCRIPTION_MAX,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    Recurrence,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.residents.models import Resident
from matching.reasons import describe_all
from matching.selection import select_candidates
from matching.triage import describe_reasons


def triage_words(codes: list[Any]) -> list[str]:
    return [str(x) for x in describe_reasons(codes)]


def emergency_numbers() -> list[dict[str, str]]:
    return [{"number": number, "label": str(label)} for number, label in settings.BURENHULP_EMERGENCY_NUMBERS]


def own_resident(request: Request) -> Resident | None:
    return getattr(request.user, "resident", None)


def is_coordinator_of(user: Any, buurt_id: int) -> bool:
    return coordinator_buurten(user).filter(pk=buurt_id).exists()


def as_errors(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "message_dict"):
        return exc.message_dict
    return {"detail": " ".join(exc.messages)}


# --- Serializers -----------------------------------------------------------------------------------------------


class RequestCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=SLUGS)
    description = serializers.CharField(max_length=DESCRIPTION_MAX, allow_blank=False, trim_whitespace=True)
    window_start = serializers.DateTimeField(required=False, allow_null=True)
    window_end = serializers.DateTimeField(required=False, allow_null=True)
    recurrence = serializers.ChoiceField(choices=Recurrence.values, required=False, default="")
    urgent = serializers.BooleanField(required=False, default=False)
    sensitive_topic = serializers.BooleanField(required=False, default=False)
    requester = serializers.IntegerField(required=False, min_value=1)


# --- Answer shapes (OpenAPI only: the views build these dicts in request_json, contact_json and proposal_json) ------


class TriageSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=TriageLevel.choices)
    reasons = serializers.ListField(child=serializers.CharField())


class EmergencyNumberSerializer(serializers.Serializer):
    number = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the contract names it "label"; the stubs see Field.label


EMERGENCY_NUMBERS_HELP = "Present only when the triage level is crisis: whom to call now."


class RequestCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    status = serializers.ChoiceField(
        choices=[(RequestStatus.OPEN, RequestStatus.OPEN.label), (RequestStatus.QUEUED, RequestStatus.QUEUED.label)],
        help_text="open: neighbours are asked (light); queued: a coordinator takes it on (heavy or crisis).",
    )
    round = serializers.IntegerField(help_text="The current matching round; 0 before the first one.")
    triage = TriageSerializer()
    emergency_numbers = EmergencyNumberSerializer(many=True, required=False, help_text=EMERGENCY_NUMBERS_HELP)


class VolunteerContactSerializer(serializers.Serializer):
    """How to reach the accepted volunteer (no address)."""

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)


class ContactSerializer(serializers.Serializer):
    """Where and how to reach the requester; phone and email only when known."""

    first_name = serializers.CharField()
    street = serializers.CharField(allow_blank=True)
    house_number = serializers.CharField(allow_blank=True)
    house_description = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)


class ProposalSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    volunteer = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    score = serializers.FloatField()
    round = serializers.IntegerField()


class HelpRequestSerializer(serializers.Serializer):
    """A request as GET …/{id}/ answers it; the optional parts depend on who asks."""

    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    category = serializers.ChoiceField(choices=SLUGS)
    description = serializers.CharField()
    window_start = serializers.DateTimeField(allow_null=True)
    window_end = serializers.DateTimeField(allow_null=True)
    recurrence = serializers.ChoiceField(choices=Recurrence.values, allow_blank=True)
    urgent = serializers.BooleanField()
    round = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    triage = TriageSerializer()
    emergency_numbers = EmergencyNumberSerializer(many=True, required=False, help_text=EMERGENCY_NUMBERS_HELP)
    requester = serializers.IntegerField(required=False, help_text="For a coordinator only.")
    proposals = ProposalSummarySerializer(many=True, required=False, help_text="For a coordinator only.")
    requester_contact = ContactSerializer(required=False, help_text="For a coordinator and the accepted volunteer.")
    volunteer = VolunteerContactSerializer(
        required=False, help_text="The accepted volunteer, for a coordinator and the requester."
    )


class CandidateSerializer(serializers.Serializer):
    resident = serializers.IntegerField()
    score = serializers.FloatField()
    distance_m = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class RoundProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    volunteer = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ProposalStatus.choices)


class MatchRoundSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    proposals = RoundProposalSerializer(many=True)


class ProposalSerializer(serializers.Serializer):
    """A proposal; the requester's place is the street only (never the number, phone, email or coordinates)."""

    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    request = serializers.IntegerField()
    volunteer = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    score = serializers.FloatField()
    round = serializers.IntegerField()
    distance_m = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())
    category = serializers.ChoiceField(choices=SLUGS)
    description = serializers.CharField()
    window_start = serializers.DateTimeField(allow_null=True)
    window_end = serializers.DateTimeField(allow_null=True)
    requester_first_name = serializers.CharField()
    street = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class AcceptedSerializer(serializers.Serializer):
    proposal = ProposalSerializer()
    requester = ContactSerializer()


class DeclinedSerializer(serializers.Serializer):
    proposal = ProposalSerializer()


PROPOSAL_NOT_OPEN = "The proposal or its request is no longer open (for accept: someone else already said yes)."


def request_json(hr: HelpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": hr.pk,
        "public_id": str(hr.public_id),
        "status": hr.status,
        "category": hr.category,
        "description": hr.description,
        "window_start": hr.window_start.isoformat() if hr.window_start else None,
        "window_end": hr.window_end.isoformat() if hr.window_end else None,
        "recurrence": hr.recurrence,
        "urgent": hr.urgent,
        "round": hr.current_round,
        "created_at": hr.created_at.isoformat(),
        "triage": {"level": hr.triage_level, "reasons": triage_words(hr.triage_reasons)},
    }
    if hr.triage_level == TriageLevel.CRISIS:
        data["emergency_numbers"] = emergency_numbers()
    return data


def contact_json(resident: Resident, *, with_address: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"first_name": resident.first_name}
    if with_address:
        data["street"] = resident.street.name if resident.street else ""
        data["house_number"] = resident.house_number
        if resident.house_description:
            data["house_description"] = resident.house_description
    if resident.phone:
        data["phone"] = resident.phone
    email = resident.email or (resident.user.email if resident.user_id and resident.user else "")
    if email:
        data["email"] = email
    return data


def proposal_json(p: MatchProposal, *, audience: str) -> dict[str, Any]:
    """A proposal; the requester's place is the street only (never the number, phone, email or coordinates)."""
    hr = p.request
    return {
        "id": p.pk,
        "public_id": str(p.public_id),
        "request": hr.pk,
        "volunteer": p.volunteer_id,
        "status": p.status,
        "score": p.score,
        "round": p.round,
        "distance_m": p.distance_m,
        "reasons": describe_all(p.reasons, "volunteer" if audience == "volunteer" else "coordinator"),
        "category": hr.category,
        "description": hr.description,
        "window_start": hr.window_start.isoformat() if hr.window_start else None,
        "window_end": hr.window_end.isoformat() if hr.window_end else None,
        "requester_first_name": hr.requester.first_name,
        "street": hr.requester.street.name if hr.requester.street else "",
        "created_at": p.created_at.isoformat(),
    }


# --- Requests --------------------------------------------------------------------------------------------------


class RequestCreate(APIView):
    @extend_schema(
        request=RequestCreateSerializer,
        responses={
            201: RequestCreatedSerializer,
            400: bad_request("Invalid input, or a requester who does not exist (or is of another neighbourhood)."),
        },
    )
    def post(self, request: Request) -> Response:
        data = RequestCreateSerializer(data=request.data)
        if not data.is_valid():
            return Response(data.errors, status=status.HTTP_400_BAD_REQUEST)
        v = data.validated_data
        if "requester" in v:
            requester = (
                Resident.objects.for_coordinator(request.user)
                .active()
                .select_related("buurt")
                .filter(pk=v["requester"])
                .first()
            )
            if requester is None:
                return Response(
                    {"requester": [f'Invalid pk "{v["requester"]}" - object does not exist.']},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            via = "coordinator"
        else:
            requester = own_resident(request)
            if requester is None:
                return Response(
                    {"requester": ["Say for which resident this request is."]}, status=status.HTTP_400_BAD_REQUEST
                )
            via = "self"
        try:
            hr = services.request_create(
                requester=requester,
                category=v["category"],
                description=v["description"],
                window_start=v.get("window_start"),
                window_end=v.get("window_end"),
                recurrence=v.get("recurrence", ""),
                urgent=v["urgent"],
                sensitive_topic=v["sensitive_topic"],
                by=request.user,
                via=via,
            )
        except DjangoValidationError as exc:
            return Response(as_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        hr.refresh_from_db()
        body = {
            "id": hr.pk,
            "public_id": str(hr.public_id),
            # §9 answers "open" or "queued": a light request whose first round already went out is still open to
            # neighbours ("proposed" in GET …/{id}/ says so in detail).
            "status": RequestStatus.OPEN if hr.status in (RequestStatus.OPEN, RequestStatus.PROPOSED) else hr.status,
            "round": hr.current_round,
            "triage": {"level": hr.triage_level, "reasons": triage_words(hr.triage_reasons)},
        }
        if hr.triage_level == TriageLevel.CRISIS:
            body["emergency_numbers"] = emergency_numbers()
        return Response(body, status=status.HTTP_201_CREATED)


def visible_request(request: Request, pk: int) -> tuple[HelpRequest, str]:
    """The request and the caller's role in it ("coordinator", "requester", "volunteer"); 404 otherwise."""
    hr = HelpRequest.objects.select_related("buurt", "requester__street", "requester__user").filter(pk=pk).first()
    if hr is None:
        raise Http404
    if is_coordinator_of(request.user, hr.buurt_id):
        return hr, "coordinator"
    me = own_resident(request)
    if me is not None and hr.requester_id == me.pk:
        return hr, "requester"
    if me is not None and hr.proposals.filter(volunteer=me, status=ProposalStatus.ACCEPTED).exists():
        return hr, "volunteer"
    raise Http404


class RequestDetail(APIView):
    @extend_schema(responses={200: HelpRequestSerializer, **not_found_by_id()})
    def get(self, request: Request, pk: int) -> Response:
        hr, role = visible_request(request, pk)
        data = request_json(hr)
        accepted = (
            hr.proposals.filter(status=ProposalStatus.ACCEPTED).select_related("volunteer__user", "volunteer").first()
        )
        if role == "coordinator":
            data["requester"] = hr.requester_id
            data["proposals"] = [
                {"id": p.pk, "volunteer": p.volunteer_id, "status": p.status, "score": p.score, "round": p.round}
                for p in hr.proposals.order_by("round", "-score", "pk")
            ]
            audit(actor=request.user, action="view", target=hr)
        if role in ("coordinator", "volunteer"):
            data["requester_contact"] = contact_json(hr.requester, with_address=True)
        if accepted is not None and role in ("coordinator", "requester"):
            data["volunteer"] = {"id": accepted.volunteer_id, **contact_json(accepted.volunteer, with_address=False)}
        return Response(data)


def coordinated_request(request: Request, pk: int) -> HelpRequest:
    hr = (
        HelpRequest.objects.for_coordinator(request.user)
        .select_related("buurt", "requester__street")
        .filter(pk=pk)
        .first()
    )
    if hr is None:
        raise Http404
    return hr  # type: ignore[return-value]


class RequestCandidates(APIView):
    @extend_schema(
        responses={200: CandidateSerializer(many=True), **not_found_by_id()},
        description="Candidates after the hard rules, highest score first.",
    )
    def get(self, request: Request, pk: int) -> Response:
        hr = coordinated_request(request, pk)
        ranked = select_candidates(hr, include_current_round=True).ranked
        return Response(
            [
                {
                    "resident": r.volunteer_id,
                    "score": r.score,
                    "distance_m": r.distance_m,
                    "reasons": describe_all(r.reasons, "coordinator"),
                }
                for r in ranked
            ]
        )


class RequestMatch(APIView):
    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(
                MatchRoundSerializer,
                description="The round started, or the open round unchanged; no proposals: the request is queued.",
            ),
            **not_found_by_id(),
            409: conflict("The request is not light, or is matched, done, cancelled or expired."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        hr = coordinated_request(request, pk)
        if hr.triage_level != TriageLevel.LIGHT:
            raise TransitionError(_("This request is not light: a coordinator refers it on; neighbours are not asked."))
        if hr.status not in (RequestStatus.OPEN, RequestStatus.PROPOSED, RequestStatus.QUEUED):
            raise TransitionError(
                _("This request is %(status)s; no round can start.") % {"status": hr.get_status_display().lower()}
            )
        rnd = rounds.round_start(request=hr, manual=True)
        return Response(
            {
                "round": rnd.number,
                "proposals": [{"id": p.pk, "volunteer": p.volunteer_id, "status": p.status} for p in rnd.proposals],
            }
        )


# --- Proposals -------------------------------------------------------------------------------------------------


def proposal_queryset() -> QuerySet[MatchProposal]:
    return MatchProposal.objects.select_related("request__requester__street", "request__buurt")


class ProposalList(APIView):
    @extend_schema(responses={200: ProposalSerializer(many=True)})
    def get(self, request: Request) -> Response:
        me = own_resident(request)
        buurten = list(coordinator_buurten(request.user).values_list("pk", flat=True))
        result: list[dict[str, Any]] = []
        seen: set[int] = set()
        if me is not None:
            for p in proposal_queryset().filter(volunteer=me).order_by("-created_at")[:200]:
                result.append(proposal_json(p, audience="volunteer"))
                seen.add(p.pk)
        if buurten:
            for p in proposal_queryset().filter(request__buurt__in=buurten).order_by("-created_at")[:500]:
                if p.pk not in seen:
                    result.append(proposal_json(p, audience="coordinator"))
        return Response(result)


def answerable_proposal(request: Request, pk: int) -> MatchProposal:
    """The caller's own proposal, or one in a neighbourhood they coordinate; 404 otherwise."""
    p = proposal_queryset().filter(pk=pk).first()
    if p is None:
        raise Http404
    me = own_resident(request)
    if (me is not None and p.volunteer_id == me.pk) or is_coordinator_of(request.user, p.request.buurt_id):
        return p
    raise Http404


class ProposalAccept(APIView):
    @extend_schema(
        request=None,
        responses={
            200: AcceptedSerializer,
            **not_found_by_id(),
            409: conflict(PROPOSAL_NOT_OPEN),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        p = answerable_proposal(request, pk)
        accepted = services.proposal_accept(proposal=p, by=request.user)
        accepted = proposal_queryset().select_related("request__requester__user").get(pk=accepted.pk)
        audience = "volunteer" if accepted.volunteer.user_id == request.user.pk else "coordinator"
        return Response(
            {
                "proposal": proposal_json(accepted, audience=audience),
                "requester": contact_json(accepted.request.requester, with_address=True),
            }
        )


class ProposalDecline(APIView):
    @extend_schema(
        request=None,
        responses={
            200: DeclinedSerializer,
            **not_found_by_id(),
            409: conflict(PROPOSAL_NOT_OPEN),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        p = answerable_proposal(request, pk)
        declined = services.proposal_decline(proposal=p, by=request.user)
        declined = proposal_queryset().get(pk=declined.pk)
        audience = "volunteer" if declined.volunteer.user_id == request.user.pk else "coordinator"
        return Response({"proposal": proposal_json(declined, audience=audience)})


urlpatterns: list[URLPattern | URLResolver] = [
    path("requests/", RequestCreate.as_view(), name="request-create"),
    path("requests/<int:pk>/", RequestDetail.as_view(), name="request-detail"),
    path("requests/<int:pk>/candidates/", RequestCandidates.as_view(), name="request-candidates"),
    path("requests/<int:pk>/match/", RequestMatch.as_view(), name="request-match"),
    path("proposals/", ProposalList.as_view(), name="proposal-list"),
    path("proposals/<int:pk>/accept/", ProposalAccept.as_view(), name="proposal-accept"),
    path("proposals/<int:pk>/decline/", ProposalDecline.as_view(), name="proposal-decline"),
]
