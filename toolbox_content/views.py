"""The guidance section: browse by audience and topic, search, read one piece, print a set of pieces."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from toolbox_content.guidance import get_piece, library, search
from toolbox_content.loader import AUDIENCES, TOPICS

AUDIENCE_LABELS = {
    "resident": _("Residents"),
    "volunteer": _("Volunteers"),
    "coordinator": _("Coordinators"),
}
TOPIC_LABELS = {
    "basics": _("What neighbour help is"),
    "boundaries": _("Your boundaries"),
    "heavy_needs": _("When it is too heavy"),
    "privacy": _("Privacy and discretion"),
    "worries": _("When something goes wrong"),
    "categories": _("Tips per kind of help"),
    "coordination": _("For coordinators"),
    "tools": _("Tools and further reading"),
}
MAX_QUERY = 200


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...]) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def _base_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "audiences": [(a, AUDIENCE_LABELS[a]) for a in AUDIENCES],
        "topics": [(t, TOPIC_LABELS[t]) for t in TOPICS],
        "query": request.GET.get("q", "")[:MAX_QUERY],
    }


def index(request: HttpRequest) -> HttpResponse:
    audience = _choice(request, "audience", AUDIENCES)
    topic = _choice(request, "topic", TOPICS)
    pieces = [
        p for p in library().all() if (not audience or audience in p.audience) and (not topic or p.topic == topic)
    ]
    groups = [
        {"topic": t, "label": TOPIC_LABELS[t], "pieces": [p for p in pieces if p.topic == t]}
        for t in TOPICS
        if any(p.topic == t for p in pieces)
    ]
    context = _base_context(request) | {"groups": groups, "audience": audience, "topic": topic}
    return render(request, "guidance/index.html", context)


def piece(request: HttpRequest, piece_id: str) -> HttpResponse:
    found = get_piece(piece_id)
    if found is None:
        return render(request, "guidance/not_found.html", _base_context(request) | {"piece_id": piece_id}, status=404)
    related = [r for r in (get_piece(rid) for rid in found.related) if r is not None]
    context = _base_context(request) | {
        "piece": found,
        "related": related,
        "audience_labels": [AUDIENCE_LABELS[a] for a in found.audience],
        "topic_label": TOPIC_LABELS[found.topic],
    }
    return render(request, "guidance/piece.html", context)


def search_view(request: HttpRequest) -> HttpResponse:
    context = _base_context(request)
    query = context["query"].strip()
    context |= {"results": search(query) if query else [], "searched": bool(query)}
    return render(request, "guidance/search.html", context)


def print_view(request: HttpRequest) -> HttpResponse:
    """Every piece for one audience on one page, for people who prefer paper."""
    audience = _choice(request, "audience", AUDIENCES) or "volunteer"
    pieces = [p for p in library().all() if audience in p.audience]
    context = _base_context(request) | {
        "pieces": pieces,
        "audience": audience,
        "audience_label": AUDIENCE_LABELS[audience],
    }
    return render(request, "guidance/print.html", context)
