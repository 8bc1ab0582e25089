"""The coordinator API of DESIGN §9: the queue (list, refer, release, close), the referral directory and the report
summary. Every query starts from the coordinator's neighbourhoods; another neighbourhood's id is a 404 in the path
and a 400 "does not exist" in the body."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from burenhulp.api.fields import IsoDateTimeField, StrictTypes
from burenhulp.api.openapi import Detail, bad_request, conflict, not_found, not_found_by_id
from burenhulp.coordination import reports, services
from burenhulp.coordination.models import (
    ProfessionalService,
    QueueItem,
    QueueKind,
    QueueStatus,
    Referral,
    ReferralStatus,
    ServiceKind,
)
from burenhulp.coordination.presenting import reasons_text
from burenhulp.core.gates import IsCoordinator
from burenhulp.core.inputs import MAX_PK
from burenhulp.core.models import Neighbourhood, audit_list
from burenhulp.core.tenancy import coordinator_buurten
from burenhulp.helprequests.models import HelpRequest, RequestStatus, TriageLevel

#: The coordinator gate answers 404 to anyone who coordinates no neighbourhood, as for an id of another one.
NOT_FOUND = "Not found: an id of another neighbourhood, or the caller coordinates no neighbourhood."


class CoordinatorView(APIView):
    permission_classes = [IsCoordinator]

    def item(self, pk: int) -> QueueItem:
        return get_object_or_404(QueueItem.objects.for_coordinator(self.request.user).select_related("buurt"), pk=pk)


class QueueItemSerializer(serializers.Serializer[Any]):
    """One open queue item; the reasons in the caller's language, the age in hours at context["now"]."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=QueueKind.choices)
    request = serializers.IntegerField(source="request_id", allow_null=True)
    level = serializers.ChoiceField(choices=TriageLevel.choices)
    reasons = serializers.SerializerMethodField()
    age_hours = serializers.SerializerMethodField()
    urgent = serializers.BooleanField()
    summary = serializers.CharField(allow_blank=True)
    buurt = serializers.SlugField(source="buurt.slug")
    resident_cancelled = serializers.SerializerMethodField(
        help_text="The resident cancelled the request; the item stays open until a coordinator closes it (§12)."
    )
    resident_cancelled_at = IsoDateTimeField(allow_null=True)

    def get_resident_cancelled(self, item: QueueItem) -> bool:
        return item.resident_cancelled_at is not None

    def get_reasons(self, item: QueueItem) -> list[str]:
        return reasons_text(item)

    def get_age_hours(self, item: QueueItem) -> float:
        return round((self.context["now"] - item.created_at).total_seconds() / 3600, 1)


class QueueList(CoordinatorView):
    @extend_schema(
        responses={200: QueueItemSerializer(many=True), 404: not_found(NOT_FOUND)},
        parameters=[OpenApiParameter("buurt", str, description="slug, to see one of several neighbourhoods")],
    )
    def get(self, request: Request) -> Response:
        items = QueueItem.objects.for_coordinator(request.user).open().by_urgency().select_related("buurt")
        slug = request.query_params.get("buurt")
        if slug:
            items = items.filter(buurt__slug=slug)
        shown = list(items[:1000])
        audit_list(actor=request.user, targets=shown, reason="queue list (API)")
        return Response(QueueItemSerializer(shown, many=True, context={"now": timezone.now()}).data)


class ReferSerializer(StrictTypes, serializers.Serializer):
    service = serializers.IntegerField(
        min_value=1, max_value=MAX_PK, help_text="The id of a service in the item's neighbourhood (GET services/)."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    consent = serializers.BooleanField(
        required=False, default=False, help_text="The resident agreed; a service that needs consent refuses false."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReferralSerializer(serializers.Serializer[Referral]):
    """The referral QueueRefer answers."""

    id = serializers.IntegerField()
    service = serializers.IntegerField(source="service_id")
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    consent = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    follow_up_on = serializers.DateField(allow_null=True)
    request = serializers.IntegerField(source="request_id", allow_null=True)


class QueueRefer(CoordinatorView):
    @extend_schema(
        request=ReferSerializer,
        responses={
            201: ReferralSerializer,
            400: bad_request("Invalid input, no consent, or a service of another neighbourhood (does not exist)."),
            **not_found_by_id(NOT_FOUND),
            409: conflict("The item is no longer open: someone already handled it."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        item = self.item(pk)
        data = ReferSerializer(data=request.data)
        if not data.is_valid():
            return Response(data.errors, status=status.HTTP_400_BAD_REQUEST)
        v = data.validated_data
        service = ProfessionalService.objects.filter(buurt=item.buurt, pk=v["service"]).first()
        if service is None:
            return Response({"service": ["This service does not exist."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            referral = services.item_refer(
                item=item,
                service=service,
                consent=v["consent"],
                note=v["note"],
                reason=v["reason"],
                follow_up_on=v["follow_up_on"],
                by=request.user,
            )
        except services.ReferralRefused as exc:
            field = "consent" if not v["consent"] else "service"
            return Response({field: [str(exc)], "detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReleasedRequestSerializer(serializers.Serializer[HelpRequest]):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    level = serializers.ChoiceField(choices=TriageLevel.choices, source="triage_level")


class ReleasedSerializer(serializers.Serializer[QueueItem]):
    """The released item and its request (now light and open to neighbours)."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QueueStatus.choices)
    request = ReleasedRequestSerializer()
    release_reason = serializers.CharField(allow_blank=True)


class ReleaseSerializer(StrictTypes, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why neighbours may carry this (required).")
    confirm = serializers.BooleanField(
        required=False, default=False, help_text="Required (true) to release a crisis item."
    )


class QueueRelease(CoordinatorView):
    @extend_schema(
        request=ReleaseSerializer,
        responses={
            200: ReleasedSerializer,
            400: bad_request('No reason, or a crisis item without "confirm": true.'),
            **not_found_by_id(NOT_FOUND),
            409: conflict("The item is no longer open, is not about a request, or its request cannot be released."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        item = self.item(pk)
        data = ReleaseSerializer(data=request.data)
        if not data.is_valid():
            errors = dict(data.errors)
            errors.setdefault("detail", "Give a reason for releasing this item to neighbours.")
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        v = data.validated_data
        try:
            services.item_release(item=item, by=request.user, reason=v["reason"], confirm=v["confirm"])
        except DjangoValidationError as exc:
            body: dict[str, Any] = dict(exc.message_dict) if hasattr(exc, "message_dict") else {}
            body["detail"] = " ".join(exc.messages)
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(ReleasedSerializer(item).data)


class CloseSerializer(StrictTypes, serializers.Serializer):
    outcome = serializers.CharField(max_length=2000)


class ClosedSerializer(serializers.Serializer[QueueItem]):
    """The closed item."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QueueStatus.choices)
    outcome = serializers.CharField()


class QueueClose(CoordinatorView):
    @extend_schema(
        request=CloseSerializer,
        responses={
            200: ClosedSerializer,
            400: bad_request(),
            **not_found_by_id(NOT_FOUND),
            409: conflict("The item is no longer open, or the outcome is empty."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        item = self.item(pk)
        data = CloseSerializer(data=request.data)
        if not data.is_valid():
            return Response(data.errors, status=status.HTTP_400_BAD_REQUEST)
        services.item_close(item=item, outcome=data.validated_data["outcome"], by=request.user)
        return Response(ClosedSerializer(item).data)


class ServiceSerializer(StrictTypes, serializers.ModelSerializer):
    buurt = serializers.SlugField(write_only=True, required=False)
    kind = serializers.ChoiceField(choices=ServiceKind.values)

    class Meta:
        model = ProfessionalService
        fields = ["id", "name", "kind", "phone", "email", "website", "address", "what_for", "notes", "buurt"]


def _buurt_for(request: Request, slug: str | None) -> Neighbourhood | None:
    """The neighbourhood a coordinator means: the named one (among theirs), or their only one."""
    buurten = coordinator_buurten(request.user)
    if slug:
        return buurten.filter(slug=slug).first()
    return buurten.first() if buurten.count() == 1 else None


class ServiceList(CoordinatorView):
    @extend_schema(
        parameters=[OpenApiParameter("buurt", str, description="slug, to see one of several neighbourhoods")],
        responses={200: ServiceSerializer(many=True), 404: not_found(NOT_FOUND)},
    )
    def get(self, request: Request) -> Response:
        qs: QuerySet[ProfessionalService] = ProfessionalService.objects.for_coordinator(request.user).filter(
            active=True
        )
        slug = request.query_params.get("buurt")
        if slug:
            qs = qs.filter(buurt__slug=slug)
        return Response(ServiceSerializer(qs.order_by("kind", "name"), many=True).data)

    @extend_schema(
        request=ServiceSerializer,
        responses={
            201: ServiceSerializer,
            400: bad_request("Invalid input, or a neighbourhood that is not the caller's (or none named)."),
            404: not_found(NOT_FOUND),
        },
    )
    def post(self, request: Request) -> Response:
        data = ServiceSerializer(data=request.data)
        if not data.is_valid():
            return Response(data.errors, status=status.HTTP_400_BAD_REQUEST)
        slug = data.validated_data.pop("buurt", None)
        buurt = _buurt_for(request, slug)
        if buurt is None:
            msg = (
                "This neighbourhood does not exist."
                if slug
                else 'You coordinate several neighbourhoods: say which one with "buurt".'
            )
            return Response({"buurt": [msg]}, status=status.HTTP_400_BAD_REQUEST)
        service = ProfessionalService.objects.create(buurt=buurt, **data.validated_data)
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)


class ReportSummarySerializer(serializers.Serializer[reports.Report]):
    """The report GET /reports/summary/ answers; context["buurt"] is the neighbourhood it is about."""

    requests_per_category = serializers.DictField(child=serializers.IntegerField())
    matched_share = serializers.FloatField(min_value=0, max_value=1)
    median_hours_to_match = serializers.FloatField(allow_null=True)
    referrals_per_kind = serializers.DictField(child=serializers.IntegerField())
    # "from" is a Python keyword: the two dates are declared through the class namespace.
    locals()["from"] = serializers.DateField(source="start")
    to = serializers.DateField(source="end")
    buurt = serializers.SerializerMethodField()
    requests_total = serializers.IntegerField()
    active_helpers = serializers.IntegerField()
    unmet_per_category = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Per category, the requests that found no neighbour, by reason.",
    )

    def get_buurt(self, report: reports.Report) -> str:
        return str(self.context["buurt"].slug)


#: A report day as `reports.period_from` reads it: a date (ISO 8601) within 2000-01-01 … 2099-12-31, or empty for
#: the default (the last 365 days up to today).
DAY_IN_RANGE = {
    "anyOf": [
        {"type": "string", "format": "date", "pattern": r"^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"},
        {"type": "string", "maxLength": 0},
    ]
}


class ReportSummary(CoordinatorView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", DAY_IN_RANGE, description="first day, YYYY-MM-DD (inclusive), 2000 … 2099; empty: the default"
            ),
            OpenApiParameter(
                "to", DAY_IN_RANGE, description="last day, YYYY-MM-DD (inclusive), 2000 … 2099; empty: the default"
            ),
            OpenApiParameter("buurt", str, description="slug, for coordinators of several neighbourhoods"),
        ],
        responses={
            200: ReportSummarySerializer,
            400: OpenApiResponse(Detail, description="A date that is not YYYY-MM-DD, or from after to."),
            404: not_found("A neighbourhood the caller does not coordinate, or the caller coordinates none."),
        },
    )
    def get(self, request: Request) -> Response:
        try:
            start, end = reports.period_from(request.query_params.get("from"), request.query_params.get("to"))
        except reports.BadPeriod as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        slug = request.query_params.get("buurt")
        buurten = coordinator_buurten(request.user)
        buurt = buurten.filter(slug=slug).first() if slug else buurten.order_by("name").first()
        if buurt is None:
            raise NotFound
        report = reports.report_for(buurt=buurt, start=start, end=end)
        return Response(ReportSummarySerializer(report, context={"buurt": buurt}).data)


urlpatterns = [
    path("queue/", QueueList.as_view(), name="queue"),
    path("queue/<int:pk>/refer/", QueueRefer.as_view(), name="queue-refer"),
    path("queue/<int:pk>/release/", QueueRelease.as_view(), name="queue-release"),
    path("queue/<int:pk>/close/", QueueClose.as_view(), name="queue-close"),
    path("services/", ServiceList.as_view(), name="services"),
    path("reports/summary/", ReportSummary.as_view(), name="reports-summary"),
]
