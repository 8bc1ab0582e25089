"""GET /api/v1/categories/ — the twelve Burenbox categories, labels in the request's language."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from burenhulp.core.categories import SLUGS, Category


class CategoryList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            200: inline_serializer(
                "Category",
                {
                    "slug": serializers.ChoiceField(choices=SLUGS),
                    "label": serializers.CharField(help_text="In the request's language."),
                },
                many=True,
            )
        }
    )
    def get(self, request: Request) -> Response:
        return Response([{"slug": c.value, "label": str(c.label)} for c in Category])
