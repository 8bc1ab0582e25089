"""Pages with personal data are never stored by browsers or proxies; addresses and form fields with NUL characters
are refused."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

NUL_IN_QUERY = re.compile("%00|\x00")


class NoStoreMiddleware:
    """Every answer to a signed-in person (session or API token) gets `Cache-Control: no-store, private`.

    Such answers may hold names, addresses and needs: the browser's back button and a shared computer's disk cache
    must not keep them after the person signs out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, no_store=True, private=True, no_cache=True, max_age=0)
        return response


class RejectNulMiddleware:
    """A NUL character is never meaningful in an address, and PostgreSQL can neither store nor compare it (a query
    with one fails: a 500). NULs are dropped from the query string (`?q=dog%00` is a search for "dog"), and a path
    with one is refused with 400. JSON and form bodies are checked by the fields themselves (DRF and Django refuse NUL
    in text fields)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "The address contains a character that is not allowed."}, status=400)
            return HttpResponseBadRequest("Bad request: the address contains a character that is not allowed.")
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in query or "%00" in query:
            request.META["QUERY_STRING"] = NUL_IN_QUERY.sub("", query)
        return self.get_response(request)


def nul_in_form_message() -> str:
    return _(
        "What you sent contains an invisible control character (NUL) that is not allowed in text. Type the text "
        "again without it."
    )


class RejectNulFormMiddleware:
    """One guard for every form: a posted field (name or value) with a NUL character is refused with 400 and a
    message in the reader's language (JSON under /api/), before any view or form sees it. PostgreSQL cannot store a
    NUL, and views that read a field directly (not through a Django form field) would fail with a 500. JSON bodies
    are checked by the API's parser (`burenhulp.api.parsers`). Placed after the language and session middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORM_TYPES and _has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": nul_in_form_message()}, status=400)
            return render(request, "400.html", {"message": nul_in_form_message()}, status=400)
        return self.get_response(request)


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _has_nul(request: HttpRequest) -> bool:
    for key, values in request.POST.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    return any("\x00" in (getattr(f, "name", "") or "") for f in request.FILES.values())
