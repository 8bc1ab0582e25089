"""Server-side sort, filter and search for the coordinator's table views: GET parameters only, so every table works
without JavaScript and a filtered view can be bookmarked or shared with a colleague."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict


@dataclass(frozen=True)
class Column:
    """A table column; `sort` is the value of `?sort=` that orders by it (empty: not sortable)."""

    label: Any
    sort: str = ""
    css: str = ""


@dataclass(frozen=True)
class Header:
    label: Any
    href: str
    current: bool
    css: str


def param(request: HttpRequest, name: str, allowed: Sequence[str], default: str = "") -> str:
    """A GET parameter restricted to known values: anything else (typos, tampering) means the default."""
    value = request.GET.get(name, default)
    return value if value in allowed else default


def search_term(request: HttpRequest, name: str = "q", limit: int = 80) -> str:
    return " ".join(request.GET.get(name, "").split())[:limit].replace("\x00", "")


def query_without(request: HttpRequest, *names: str) -> str:
    """The current GET query without the given parameters (and never `page`), ready to prefix with `?`."""
    q: QueryDict = request.GET.copy()
    for name in (*names, "page"):
        q.pop(name, None)
    return q.urlencode()


def headers(request: HttpRequest, columns: Sequence[Column], current_sort: str) -> list[Header]:
    """The table's header cells: a sortable column links to the same view sorted by it, filters kept."""
    keep = query_without(request, "sort")
    out = []
    for col in columns:
        href = ""
        if col.sort:
            href = "?" + (f"{keep}&" if keep else "") + f"sort={col.sort}"
        out.append(Header(label=col.label, href=href, current=bool(col.sort) and col.sort == current_sort, css=col.css))
    return out
