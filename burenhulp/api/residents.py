"""Residents API (DESIGN §9): POST /residents/, GET/PATCH /residents/{id}/, GET/PUT /me/profile/.

Coordinators reach the residents of their own neighbourhoods only (another neighbourhood's id is a 404, and in a
body a 400 "does not exist"); a resident reaches their own profile. Every coordinator read or change is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from burenhulp.api.burenbox import ResidentSerializer
from burenhulp.api.openapi import bad_request, not_found, not_found_by_id
from burenhulp.coordination.services import resident_moderate
from burenhulp.core.gates import IsCoordinator
from burenhulp.core.models import audit
from burenhulp.core.tenancy import coordinator_buurten
from burenhulp.residents import services
from burenhulp.residents.models import (
    Resident,
)


def _profile_queryset() -> Any:
    return (
        Resident.objects.filter(deleted_at__isnull=True)
        .select_related("buurt", "street")
        .prefetch_related("help_entries", "housemates")
    )


def _is_own(user: Any, resident: Resident) -> bool:
    return resident.user_id is not None and resident.user_id == user.pk


def _save(serializer: ResidentSerializer, resident: Resident, user: Any) -> Resident:
    data = dict(serializer.validated_data)
    data.pop("buurt", None)
    email = data.pop("email", None)
    blocked = data.pop("blocked", None)
    if "street" in data and data["street"] is None:
        data["street"] = ""
    with transaction.atomic():
        if email is not None and serializer.as_coordinator:
            services.resident_email_set(resident=resident, email=email)
        services.resident_update(resident=resident, data=data, by=user)
        if blocked is not None and serializer.as_coordinator and blocked != resident.is_blocked:
            # Moderation (DESIGN §9): the Burenbox in this neighbourhood, never the account.
            resident_moderate(resident=resident, action="block" if blocked else "unblock", by=user)
    return _profile_queryset().get(pk=resident.pk)


class ResidentPagination(PageNumberPagination):
    """Pages of 50. The page number is one positive whole number: a repeated or non-integer `page` is a 404 (the
    schema's "No such page"), never read as its last value."""

    page_size = 50

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        values = request.query_params.getlist(self.page_query_param)
        if len(values) > 1 or (values and not (values[0].isascii() and values[0].isdigit())):
            raise NotFound(self.invalid_page_message)
        return super().get_page_number(request, paginator)


class PaginatedResidentListSerializer(serializers.Serializer):
    """OpenAPI only: DRF's page of residents (ResidentPagination.get_paginated_response)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ResidentSerializer(many=True)


NOT_A_COORDINATOR = "The caller coordinates no neighbourhood (the one coordinator gate: never 403)."
INVALID_PROFILE = "Invalid input: field errors (an unknown neighbourhood or household_of answers 400 too)."


class ResidentListCreate(APIView):
    """GET: the residents of the coordinator's neighbourhoods (paginated). POST: a resident entered on their behalf.
    Behind the one coordinator gate: anyone else is told "not found"."""

    serializer_class = ResidentSerializer
    permission_classes = [IsCoordinator]

    @extend_schema(
        operation_id="residents_list",
        parameters=[
            OpenApiParameter("page", int, description="Page number (50 residents a page)."),
            OpenApiParameter("buurt", str, description="Slug: only the residents of this neighbourhood."),
        ],
        responses={
            200: PaginatedResidentListSerializer,
            404: not_found("No such page, or the caller coordinates no neighbourhood."),
        },
    )
    def get(self, request: Request) -> Response:
        buurten = coordinator_buurten(request.user)
        qs = _profile_queryset().filter(buurt__in=buurten).order_by("pk")
        if request.query_params.get("buurt"):
            qs = qs.filter(buurt__slug=request.query_params["buurt"])
        paginator = ResidentPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        for resident in page or []:
            audit(
                actor=request.user,
                action="view",
                target=resident,
                reason="api list",
            )
        return paginator.get_paginated_response(ResidentSerializer(page, many=True).data)

    @extend_schema(
        request=ResidentSerializer,
        responses={201: ResidentSerializer, 400: bad_request(INVALID_PROFILE), 404: not_found(NOT_A_COORDINATOR)},
    )
    def post(self, request: Request) -> Response:
        buurten = coordinator_buurten(request.user)
        serializer = ResidentSerializer(data=request.data, scope_buurten=buurten, as_coordinator=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        buurt = data.pop("buurt")
        if data.get("street") is None:
            data.pop("street", None)
        try:
            resident = services.resident_create_on_behalf(buurt=buurt, data=data, by=request.user)  # type: ignore[arg-type]
        except DjangoValidationError as exc:
            return Response({"email": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        audit(actor=request.user, action="create", target=resident)
        return Response(
            ResidentSerializer(_profile_queryset().get(pk=resident.pk)).data, status=status.HTTP_201_CREATED
        )


class ResidentDetail(APIView):
    """A coordinator of the resident's neighbourhood, or the resident themself. Anyone else: 404."""

    serializer_class = ResidentSerializer

    def _get(self, request: Request, pk: int) -> tuple[Resident, bool]:
        resident = _profile_queryset().filter(pk=pk).first()
        if resident is None:
            raise Http404
        if coordinator_buurten(request.user).filter(pk=resident.buurt_id).exists():
            return resident, True
        if _is_own(request.user, resident):
            return resident, False
        raise Http404

    @extend_schema(responses={200: ResidentSerializer, **not_found_by_id()})
    def get(self, request: Request, pk: int) -> Response:
        resident, as_coordinator = self._get(request, pk)
        if as_coordinator and not _is_own(request.user, resident):
            audit(
                actor=request.user,
                action="view",
                target=resident,
                reason="api",
            )
        return Response(ResidentSerializer(resident).data)

    @extend_schema(
        request=ResidentSerializer,
        responses={200: ResidentSerializer, 400: bad_request(INVALID_PROFILE), **not_found_by_id()},
    )
    def patch(self, request: Request, pk: int) -> Response:
        resident, as_coordinator = self._get(request, pk)
        serializer = ResidentSerializer(
            resident,
            data=request.data,
            partial=True,
            scope_buurten=coordinator_buurten(request.user),
            as_coordinator=as_coordinator,
        )
        serializer.is_valid(raise_exception=True)
        try:
            resident = _save(serializer, resident, request.user)
        except DjangoValidationError as exc:
            return Response({"email": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        if as_coordinator:
            audit(
                actor=request.user,
                action="change",
                target=resident,
                reason="api",
            )
        return Response(ResidentSerializer(resident).data)


NO_PROFILE = "The signed-in account has no resident profile."


class MyProfile(APIView):
    """The signed-in resident's own Burenbox."""

    serializer_class = ResidentSerializer

    def _get(self, request: Request) -> Resident:
        resident = _profile_queryset().filter(user_id=request.user.pk).first()
        if resident is None:
            raise Http404
        return resident

    @extend_schema(responses={200: ResidentSerializer, 404: not_found(NO_PROFILE)})
    def get(self, request: Request) -> Response:
        return Response(ResidentSerializer(self._get(request)).data)

    @extend_schema(
        request=ResidentSerializer,
        responses={200: ResidentSerializer, 400: bad_request(INVALID_PROFILE), 404: not_found(NO_PROFILE)},
    )
    def put(self, request: Request) -> Response:
        resident = self._get(request)
        serializer = ResidentSerializer(resident, data=request.data, as_coordinator=False)
        serializer.is_valid(raise_exception=True)
        return Response(ResidentSerializer(_save(serializer, resident, request.user)).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("residents/", ResidentListCreate.as_view(), name="residents"),
    path("residents/<int:pk>/", ResidentDetail.as_view(), name="resident"),
    path("me/profile/", MyProfile.as_view(), name="my_profile"),
]
