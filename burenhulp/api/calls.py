"""The call list API of DESIGN §9 and §12: the open call tasks of the coordinator's neighbourhoods (messages that
could not be emailed), oldest first, and recording a call. The same workflow as the page
(`burenhulp.coordination.calls.call_record`)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from burenhulp.api.fields import StrictTypes
from burenhulp.api.openapi import bad_request, conflict, not_found, not_found_by_id
from burenhulp.coordination.calls import call_record
from burenhulp.core.gates import IsCoordinator
from burenhulp.core.models import AuditLog, audit
from burenhulp.notifications.models import CallOutcome, CallTask

NOT_FOUND = "Not found: an id of another neighbourhood, or the caller coordinates no neighbourhood."


class CallTaskSerializer(serializers.Serializer[Any]):
    """One open call: whom to call, at which number, about which message; the age in hours at context["now"]."""

    id = serializers.IntegerField()
    resident = serializers.IntegerField(source="resident_id")
    phone = serializers.CharField(source="resident.phone", allow_blank=True)
    template = serializers.CharField()
    request = serializers.IntegerField(source="request_id", allow_null=True)
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)
    follow_up = serializers.IntegerField(source="follow_up_id", allow_null=True)
    say = serializers.CharField(allow_blank=True)
    attempts = serializers.IntegerField()
    age_hours = serializers.SerializerMethodField()
    buurt = serializers.SlugField(source="buurt.slug")

    def get_age_hours(self, task: CallTask) -> float:
        return round((self.context["now"] - task.created_at).total_seconds() / 3600, 1)


class CallDoneSerializer(StrictTypes, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[CallOutcome.REACHED.value, CallOutcome.NOT_REACHED.value])


class CallDoneAnswerSerializer(serializers.Serializer[CallTask]):
    """The call after recording: `not_reached` counts a try and keeps it open."""

    id = serializers.IntegerField()
    outcome = serializers.CharField(allow_blank=True)
    done = serializers.SerializerMethodField()
    attempts = serializers.IntegerField()

    def get_done(self, task: CallTask) -> bool:
        return not task.is_open()


class CallList(APIView):
    permission_classes = [IsCoordinator]

    @extend_schema(
        responses={200: CallTaskSerializer(many=True), 404: not_found(NOT_FOUND)},
        parameters=[OpenApiParameter("buurt", str, description="slug, to see one of several neighbourhoods")],
    )
    def get(self, request: Request) -> Response:
        tasks = (
            CallTask.objects.for_coordinator(request.user)
            .open()
            .select_related("resident", "buurt")
            .order_by("created_at", "pk")
        )
        slug = request.query_params.get("buurt")
        if slug:
            tasks = tasks.filter(buurt__slug=slug)
        rows = list(tasks[:1000])
        for buurt in {t.buurt for t in rows}:
            audit(actor=request.user, action=AuditLog.Action.VIEW, target=buurt, reason="call list (API)")
        return Response(CallTaskSerializer(rows, many=True, context={"now": timezone.now()}).data)


class CallDone(APIView):
    permission_classes = [IsCoordinator]

    @extend_schema(
        request=CallDoneSerializer,
        responses={
            200: CallDoneAnswerSerializer,
            400: bad_request('The outcome must be "reached" or "not_reached".'),
            **not_found_by_id(NOT_FOUND),
            409: conflict("The call was already recorded."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        task = get_object_or_404(CallTask.objects.for_coordinator(request.user), pk=pk)
        data = CallDoneSerializer(data=request.data)
        if not data.is_valid():
            return Response(data.errors, status=status.HTTP_400_BAD_REQUEST)
        done = call_record(task=task, outcome=data.validated_data["outcome"], by=request.user)
        return Response(CallDoneAnswerSerializer(done).data)


urlpatterns = [
    path("calls/", CallList.as_view(), name="calls"),
    path("calls/<int:pk>/done/", CallDone.as_view(), name="calls-done"),
]
