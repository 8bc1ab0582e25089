"""Shared OpenAPI pieces for the API's error answers (DESIGN §9 "Errors"), used in the views' @extend_schema.

Schema only: nothing here changes what a view answers. `burenhulp.api.errors.exception_handler` turns a 404 and a
`TransitionError` (409) into {"detail": "…"}; a 400 is DRF's field errors or {"detail": "…"}.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

#: {"detail": "…"}: the one message of a 403, 404 or 409.
Detail = inline_serializer("Detail", {"detail": serializers.CharField()})

#: A 400: DRF's field errors ({"field": ["message", …]}, nested for lists of objects), {"detail": "…"}, or both.
FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "description": 'Field errors, {"field": ["message", …]} (nested for lists of objects), or {"detail": "message"}.',
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}


def bad_request(description: str = "Invalid input: field errors or one message.") -> OpenApiResponse:
    return OpenApiResponse(response=FIELD_ERRORS, description=description)


NOT_FOUND = "Not found, or of another neighbourhood (never 403)."


def not_found(description: str = NOT_FOUND) -> OpenApiResponse:
    """A 404 of a path without an id: always {"detail": "…"}."""
    return OpenApiResponse(response=Detail, description=description)


def not_found_by_id(description: str = NOT_FOUND) -> dict[Any, OpenApiResponse]:
    """The 404s of a path with an `<int:pk>` id, to spread into `responses`: {"detail": "…"} for a whole number that
    is no record of the caller's; Django's HTML page when the id is not a whole number (the path matches no route)."""
    html = f"{description} An id that is not a whole number matches no route: Django's HTML 404 page."
    return {
        (404, "application/json"): OpenApiResponse(response=Detail, description=html),
        (404, "text/html"): OpenApiResponse(response=OpenApiTypes.STR, description=html),
    }


def conflict(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=Detail, description=description)


def forbidden(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=Detail, description=description)
