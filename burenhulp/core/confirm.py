"""The confirmation step in front of every destructive action (cancel a request, stop the Burenbox, block someone).

It works without JavaScript: the first POST of the action (without `confirmed=1`) answers with a page that says what
will happen, and a form that repeats the same POST with `confirmed=1`, next to a way back. Only that second POST acts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == "1"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    lines: Iterable[str],
    button: str,
    fields: Iterable[tuple[str, str]],
    back_url: str,
    back_label: str = "",
    action: str = "",
) -> HttpResponse:
    """The page that asks "are you sure?": `fields` are posted again with `confirmed=1` to `action` (this URL when
    empty)."""
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": title,
            "confirm_lines": list(lines),
            "confirm_button": button,
            "confirm_fields": list(fields),
            "confirm_action": action or request.get_full_path(),
            "back_url": back_url,
            "back_label": back_label or _("No, go back"),
        },
    )
