"""The request API of DESIGN §9: /api/v1/requests/….

Views fetch within the caller's scope (another neighbourhood's id is a 404), validate with an input serializer, call
the request workflow (`burenhulp.helprequests.services`, `.rounds`) and answer with an output serializer: the
serializers below are what the API sends, and what the OpenAPI schema describes. A `TransitionError` becomes 409 in
`burenhulp.api.errors`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from burenhulp.api.openapi import bad_request, conflict, not_found_by_id
from burenhulp.api.request_serializers import (
    CandidateSerializer,
    MatchRoundSerializer,
    RequestCreatedSerializer,
    RequestCreateSerializer,
    RequestSerializer,
    as_errors,
)
from burenhulp.core.gates import IsCoordinator
from burenhulp.core.models import audit, audit_list
from burenhulp.helprequests import rounds, services
from burenhulp.helprequests.models import (
    ROUND_STATUSES,
    HelpRequest,
    RequestStatus,
    TransitionError,
)
from burenhulp.helprequests.selectors import accepted_proposal, ranked_candidates, viewer_role
from burenhulp.residents.models import CreatedVia, Resident


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
