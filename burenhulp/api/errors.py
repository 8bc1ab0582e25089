"""JSON errors everywhere in the API: {"detail": "…"} or DRF's field errors; a domain transition error is a 409."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from burenhulp.helprequests.models import TransitionError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        return Response({"detail": str(NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
