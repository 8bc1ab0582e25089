"""Shared OpenAPI pieces for the API's error answers (DESIGN §9 "Errors"), used in the views' @extend_schema.

Schema only: nothing here changes what a view answers. `burenhulp.api.errors.exception_handler` turns a 404 and a
`TransitionError` (409) into {"detail": "…"}; a 400 is DRF's field errors or {"detail": "…"}.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.hooks import postprocess_schema_enums
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


#: The answers every operation can give besides its own, added by `add_common_errors` where a view does not name
#: them itself: (status, applies to, description). The bodies are {"detail": "…"} (DRF's and our middleware's).
COMMON_ERRORS: list[tuple[int, str, str]] = [
    (401, "signed-in", "Not signed in: no token, or an unknown, expired or revoked one (DESIGN §9)."),
    (
        403,
        "signed-in",
        "Refused for this caller: a coordinator without two-factor authentication, or a cookie session without "
        "its CSRF token on a method that changes something.",
    ),
    (400, "body", "Invalid input: broken JSON, JSON nested too deep, a NUL character, or field errors."),
    (406, "all", "The Accept header asks for something other than JSON."),
    (415, "body", "The body is not JSON (Content-Type)."),
]


def add_common_errors(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents every status code it can answer, not only
    the ones its view names (schemathesis' `status_code_conformance` holds the API to that)."""
    detail = {"application/json": {"schema": {"$ref": "#/components/schemas/Detail"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            signed_in = {} not in operation.get("security", [{}])
            has_body = "requestBody" in operation
            responses = operation.setdefault("responses", {})
            for code, applies_to, description in COMMON_ERRORS:
                applies = {"all": True, "signed-in": signed_in, "body": has_body}[applies_to]
                if applies and str(code) not in responses:
                    responses[str(code)] = {"content": detail, "description": description}
    return result


def postprocess(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: drf-spectacular's own enum hook (its default), then ours."""
    result = postprocess_schema_enums(result, generator, **kwargs)
    return add_common_errors(result, generator, **kwargs)
