"""The request API of DESIGN §9: /api/v1/requests/….

Views fetch within the caller's scope (another neighbourhood's id is a 404), validate with an input serializer, call
the request workflow (`burenhulp.helprequests.services`, `.rounds`) and answer with an output serializer: the
serializers below are what the API sends, and what the OpenAPI schema describes. A `TransitionError` becomes 409 in
`burenhulp.api.errors`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from burenhulp.api.fields import (
    InputDateTimeField,
    IsoDateTimeField,
    RequesterContactSerializer,
    StrictTypes,
    VolunteerContactSerializer,
)
from burenhulp.api.openapi import bad_request, conflict, not_found_by_id
from burenhulp.core.categories import SLUGS
from burenhulp.core.gates import IsCoordinator
from burenhulp.core.helplines import help_lines
from burenhulp.core.inputs import MAX_PK
from burenhulp.core.models import audit, audit_list
from burenhulp.helprequests import rounds, services
from burenhulp.helprequests.models import (
    DESCRIPTION_MAX,
    ROUND_STATUSES,
    HelpRequest,
    ProposalStatus,
    Recurrence,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.helprequests.selectors import accepted_proposal, held_words, ranked_candidates, viewer_role
from burenhulp.residents.models import CreatedVia, Resident
from burenhulp.residents.selectors import contact_of
from matching.triage import describe_reasons


def as_errors(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "message_dict"):
        return exc.message_dict
    return {"detail": " ".join(exc.messages)}


# --- Input -------------------------------------------------------------------------------------------------------


class RequestCreateSerializer(StrictTypes, serializers.Serializer[None]):
    category = serializers.ChoiceField(choices=SLUGS)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX,
        allow_blank=False,
        trim_whitespace=True,
        validators=[RegexValidator(r"\S", message=gettext_lazy("Say in a few words what you need."))],
        help_text="At least one character that is not a space (spaces around it are dropped).",
    )
    window_start = InputDateTimeField(
        required=False, allow_null=True, help_text="From when; not in the past and within the coming year."
    )
    window_end = InputDateTimeField(
        required=False,
        allow_null=True,
        help_text="Until when (needs window_start); not before window_start, within the coming year.",
    )
    recurrence = serializers.ChoiceField(choices=Recurrence.values, required=False, default="")
    urgent = serializers.BooleanField(required=False, default=False)
    sensitive_topic = serializers.BooleanField(required=False, default=False)
    requester = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PK,
        help_text="Coordinators only: the id of a resident of their neighbourhood, on whose behalf they ask.",
    )


# --- Output ------------------------------------------------------------------------------------------------------


class TriageSerializer(serializers.Serializer[HelpRequest]):
    """The request's triage: its level and the reasons in the caller's language."""

    level = serializers.ChoiceField(choices=TriageLevel.choices, source="triage_level")
    reasons = serializers.SerializerMethodField()

    def get_reasons(self, hr: HelpRequest) -> list[str]:
        return [str(x) for x in describe_reasons(hr.triage_reasons)]


class EmergencyNumberSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the contract names it "label"
    hours = serializers.CharField(help_text="When the line answers, in the caller's language.")


class EmergencyNumbersField(serializers.ListField):
    """The emergency and help lines of the request's neighbourhood (`core.helplines`, in its main language: by
    default 112, 1813, 106, 1712 as DESIGN §9 lists), for a crisis request."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            child=EmergencyNumberSerializer(),
            source="*",
            required=False,
            help_text="Present only when the triage level is crisis: whom to call now.",
            **kwargs,
        )

    def to_representation(self, hr: HelpRequest) -> Any:  # type: ignore[override]
        return EmergencyNumberSerializer(help_lines(hr.buurt, hr.buurt.default_language), many=True).data


class LeavesOut:
    """Leaves optional parts out of the answer: `emergency_numbers` unless the request is a crisis, and the parts
    `parts_for(instance)` does not name."""

    optional: frozenset[str] = frozenset({"emergency_numbers"})

    def parts_for(self, instance: HelpRequest) -> set[str]:
        return {"emergency_numbers"} if instance.triage_level == TriageLevel.CRISIS else set()

    def to_representation(self, instance: HelpRequest) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)  # type: ignore[misc]
        shown = self.parts_for(instance)
        return {k: v for k, v in data.items() if k in shown or k not in self.optional}


class RequestCreatedSerializer(LeavesOut, serializers.Serializer[HelpRequest]):
    """What POST /requests/ answers."""

    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    status = serializers.SerializerMethodField(
        help_text="open: neighbours are asked (light); queued: a coordinator takes it on (heavy or crisis)."
    )
    round = serializers.IntegerField(
        source="current_round", help_text="The current matching round; 0 before the first one."
    )
    triage = TriageSerializer(source="*")
    emergency_numbers = EmergencyNumbersField()
    coordinator_first = serializers.SerializerMethodField(
        help_text="Why a light request waits for a coordinator before neighbours are asked (a newcomer not approved "
        "yet, or many requests at once), in the caller's language; empty otherwise."
    )

    def get_coordinator_first(self, hr: HelpRequest) -> list[str]:
        return held_words(hr)

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[(RequestStatus.OPEN, RequestStatus.OPEN.label), (RequestStatus.QUEUED, RequestStatus.QUEUED.label)]
        )
    )
    def get_status(self, hr: HelpRequest) -> str:
        # §9 answers "open" or "queued": a light request whose first round already went out is still open to
        # neighbours ("proposed" in GET …/{id}/ says so in detail).
        return str(RequestStatus.OPEN if hr.is_open() else hr.status)


class ProposalSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    volunteer = serializers.IntegerField(source="volunteer_id")
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    score = serializers.FloatField()
    round = serializers.IntegerField()
    stepped_back_at = IsoDateTimeField(allow_null=True, help_text="When the volunteer stepped back after saying yes.")
    step_back_reason = serializers.CharField(allow_blank=True, help_text="Why they stepped back (coordinators only).")


class RequesterOfRequest(RequesterContactSerializer):
    """The requester's contact details (`contact_of`, with the address)."""

    def to_representation(self, hr: HelpRequest) -> dict[str, Any]:  # type: ignore[override]
        return super().to_representation(contact_of(hr.requester, with_address=True))


class VolunteerOfRequest(VolunteerContactSerializer):
    """The accepted volunteer's contact details (`contact_of`, without an address)."""

    def to_representation(self, hr: HelpRequest) -> dict[str, Any]:  # type: ignore[override]
        return super().to_representation(contact_of(self.context["accepted"].volunteer))


class RequestSerializer(LeavesOut, serializers.Serializer[HelpRequest]):
    """A request as GET …/{id}/ answers it. The parts marked "for …" depend on who asks: context["role"] (and
    context["accepted"], the accepted proposal, if any)."""

    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    category = serializers.ChoiceField(choices=SLUGS)
    description = serializers.CharField()
    window_start = IsoDateTimeField(allow_null=True)
    window_end = IsoDateTimeField(allow_null=True)
    recurrence = serializers.ChoiceField(choices=Recurrence.values, allow_blank=True)
    urgent = serializers.BooleanField()
    round = serializers.IntegerField(source="current_round")
    created_at = IsoDateTimeField()
    triage = TriageSerializer(source="*")
    emergency_numbers = EmergencyNumbersField()
    requester = serializers.IntegerField(source="requester_id", required=False, help_text="For a coordinator only.")
    proposals = ProposalSummarySerializer(
        source="proposals_in_order", many=True, required=False, help_text="For a coordinator only."
    )
    requester_contact = RequesterOfRequest(
        source="*", required=False, help_text="For a coordinator and the accepted volunteer."
    )
    volunteer = VolunteerOfRequest(
        source="*", required=False, help_text="The accepted volunteer, for a coordinator and the requester."
    )

    optional = frozenset({"emergency_numbers", "requester", "proposals", "requester_contact", "volunteer"})
    #: Which optional parts each role sees.
    PARTS = {
        "coordinator": {"requester", "proposals", "requester_contact", "volunteer"},
        "requester": {"volunteer"},
        "volunteer": {"requester_contact"},
    }

    def parts_for(self, instance: HelpRequest) -> set[str]:
        shown = super().parts_for(instance) | self.PARTS.get(self.context.get("role", ""), set())
        return shown if self.context.get("accepted") is not None else shown - {"volunteer"}

    def to_representation(self, instance: HelpRequest) -> dict[str, Any]:
        shown = self.parts_for(instance)
        # Only what the caller may see is built at all (no contact details are looked up for anyone else).
        for name in self.optional - shown:
            self.fields.pop(name, None)
        return super().to_representation(instance)


class CandidateSerializer(serializers.Serializer[Any]):
    resident = serializers.IntegerField(source="resident_id")
    score = serializers.FloatField()
    distance_m = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class RoundProposalSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    volunteer = serializers.IntegerField(source="volunteer_id")
    status = serializers.ChoiceField(choices=ProposalStatus.choices)


class MatchRoundSerializer(serializers.Serializer[rounds.Round]):
    round = serializers.IntegerField(source="number")
    proposals = RoundProposalSerializer(many=True)


# --- Views -------------------------------------------------------------------------------------------------------


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
            via = CreatedVia.COORDINATOR
        else:
            requester = getattr(request.user, "resident", None)
            if requester is None:
                return Response(
                    {"requester": ["Say for which resident this request is."]}, status=status.HTTP_400_BAD_REQUEST
                )
            via = CreatedVia.SELF
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
        return Response(RequestCreatedSerializer(hr).data, status=status.HTTP_201_CREATED)


class RequestDetail(APIView):
    @extend_schema(responses={200: RequestSerializer, **not_found_by_id()})
    def get(self, request: Request, pk: int) -> Response:
        hr = HelpRequest.objects.select_related("buurt", "requester__street", "requester__user").filter(pk=pk).first()
        role = viewer_role(hr, request.user) if hr is not None else None
        if hr is None or role is None:
            raise Http404
        if role == "coordinator":
            audit(actor=request.user, action="view", target=hr)
        return Response(RequestSerializer(hr, context={"role": role, "accepted": accepted_proposal(hr)}).data)


def coordinated_request(request: Request, pk: int) -> HelpRequest:
    hr = (
        HelpRequest.objects.for_coordinator(request.user)
        .select_related("buurt", "requester__street")
        .filter(pk=pk)
        .first()
    )
    if hr is None:
        raise Http404
    return hr


class RequestCandidates(APIView):
    permission_classes = [IsCoordinator]

    @extend_schema(
        responses={200: CandidateSerializer(many=True), **not_found_by_id()},
        description="Candidates after the hard rules, highest score first.",
    )
    def get(self, request: Request, pk: int) -> Response:
        hr = coordinated_request(request, pk)
        rows = ranked_candidates(hr, include_current_round=True)
        audit_list(
            actor=request.user,
            targets=[hr, *(Resident(pk=row.resident_id, buurt_id=hr.buurt_id) for row in rows)],
            reason=f"candidates for request {hr.pk} (API)",
        )
        return Response(CandidateSerializer(rows, many=True).data)


class RequestMatch(APIView):
    permission_classes = [IsCoordinator]

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
        if not hr.is_light:
            raise TransitionError(_("This request is not light: a coordinator refers it on; neighbours are not asked."))
        if hr.status not in ROUND_STATUSES:
            raise TransitionError(
                _("This request is %(status)s; no round can start.") % {"status": hr.get_status_display().lower()}
            )
        return Response(MatchRoundSerializer(rounds.round_start(request=hr, manual=True)).data)


class CancelledSerializer(serializers.Serializer[HelpRequest]):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)


class RequestCancel(APIView):
    @extend_schema(
        request=None,
        responses={
            200: CancelledSerializer,
            **not_found_by_id(),
            409: conflict("The request is already closed (done, cancelled, expired or referred)."),
        },
        description=(
            "The requester (or a coordinator) cancels. Open proposals are withdrawn; a heavy or crisis request's "
            "queue items stay open, marked that the resident cancelled (DESIGN §12)."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        hr = HelpRequest.objects.select_related("buurt", "requester").filter(pk=pk).first()
        role = viewer_role(hr, request.user) if hr is not None else None
        if hr is None or role not in {"requester", "coordinator"}:
            raise Http404
        cancelled = services.request_cancel(request=hr, by=request.user)
        if role == "coordinator":
            audit(actor=request.user, action="change", target=cancelled, reason="cancelled through the api")
        return Response(CancelledSerializer(cancelled).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("requests/", RequestCreate.as_view(), name="request-create"),
    path("requests/<int:pk>/", RequestDetail.as_view(), name="request-detail"),
    path("requests/<int:pk>/candidates/", RequestCandidates.as_view(), name="request-candidates"),
    path("requests/<int:pk>/match/", RequestMatch.as_view(), name="request-match"),
    path("requests/<int:pk>/cancel/", RequestCancel.as_view(), name="request-cancel"),
]
