"""The API's one JSON parser: DRF's, with a limit on nesting and no NUL characters anywhere (DESIGN §9: bad input
is a 400 with {"detail": …}, never a 500).

Python's JSON reader gives up on a body nested about 1,000 deep with a RecursionError, which DRF does not catch; no
request of ours needs more than a few levels. PostgreSQL cannot store a NUL character, so a NUL in any key or text
is refused here, once for every endpoint, instead of failing in the database."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

#: The deepest a request body may be: our deepest body is an object holding a list of strings (3 levels).
MAX_DEPTH = 20


def nul_message() -> str:
    return _("A NUL character (\\u0000) is not allowed in text. Remove it and send the request again.")


def too_deep_message() -> str:
    return _("The JSON is nested too deeply: at most %(n)d levels are allowed.") % {"n": MAX_DEPTH}


def check_parsed(data: Any) -> None:
    """Raise ParseError for a body nested deeper than MAX_DEPTH or holding a NUL in a key or a text."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(too_deep_message())
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError(nul_message())
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if "\x00" in str(key):
                    raise ParseError(nul_message())
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


class GuardedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(too_deep_message()) from exc
        check_parsed(data)
        return data


class MethodFirstMiddleware:
    """An API method that an endpoint does not have answers 405 with `Allow`, for everyone: DRF checks the caller's
    permissions first, so a non-coordinator got 404 for `TRACE /api/v1/queue/` (the paths are public in the schema
    anyway, so 405 says nothing new)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            cls = getattr(match.func, "cls", None)
            method = (request.method or "").lower()
            if cls is not None and not _has(cls, method):
                allowed = [m.upper() for m in cls.http_method_names if _has(cls, m)]
                response = JsonResponse(
                    {"detail": _("Method “%(method)s” is not allowed here.") % {"method": request.method}},
                    status=405,
                )
                response["Allow"] = ", ".join(allowed)
                return response
        return self.get_response(request)


def _has(cls: Any, method: str) -> bool:
    # Django answers HEAD with the GET handler.
    return method in cls.http_method_names and (hasattr(cls, method) or (method == "head" and hasattr(cls, "get")))
