"""The guidance section: browse by audience and topic, search, read one piece, print a set of pieces."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import Neighbourhood, User
from burenhulp.core.tenancy import coordinator_buurten, current_buurt
from toolbox_content.forms import LocalNoteForm
from toolbox_content.guidance import get_piece, library, normalise_language, search
from toolbox_content.loader import AUDIENCES, TOPICS
from toolbox_content.models import LocalNote

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


def local_notes_for(request: HttpRequest, audiences: tuple[str, ...] | None = None) -> list[LocalNote]:
    """The local notes of the viewer's neighbourhood: a resident's own, or the coordinator's current one."""
    user = request.user
    if not user.is_authenticated:
        return []
    resident = getattr(user, "resident", None)
    shown = LocalNote.objects.shown(language=normalise_language(None), audiences=audiences)
    if resident is not None:
        return list(shown.for_resident(resident))
    if coordinator_buurten(user).exists():
        return list(shown.in_buurt(current_buurt(request)))
    return []


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
    context = _base_context(request) | {
        "groups": groups,
        "audience": audience,
        "topic": topic,
        "local_notes": local_notes_for(request, (audience,) if audience else None),
    }
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
        "local_notes": local_notes_for(request, found.audience),
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


# --- Local notes, edited by coordinators for their current neighbourhood -----------------------------------------


def _coordinator_notes(request: CoordinatorRequest) -> tuple[Neighbourhood, QuerySet[LocalNote]]:
    """The coordinator's current neighbourhood and its notes."""
    buurt = request.buurt
    return buurt, LocalNote.objects.for_coordinator(request.user).in_buurt(buurt)


@coordinator_required
def local_list(request: CoordinatorRequest) -> HttpResponse:
    buurt, notes = _coordinator_notes(request)
    return render(request, "guidance/local_list.html", {"buurt": buurt, "notes": notes})


@coordinator_required
@require_http_methods(["GET", "POST"])
def local_edit(request: CoordinatorRequest, pk: int | None = None) -> HttpResponse:
    buurt, notes = _coordinator_notes(request)
    note = (
        get_object_or_404(notes, pk=pk)
        if pk is not None
        else LocalNote(buurt=buurt, created_by=cast(User, request.user))
    )
    form = LocalNoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("The note is saved."))
        return redirect("guidance:local")
    return render(request, "guidance/local_edit.html", {"buurt": buurt, "form": form, "note": note})


@coordinator_required
@require_http_methods(["GET", "POST"])
def local_delete(request: CoordinatorRequest, pk: int) -> HttpResponse:
    buurt, notes = _coordinator_notes(request)
    note = get_object_or_404(notes, pk=pk)
    if request.method == "POST":
        note.delete()
        messages.success(request, gettext("The note is deleted."))
        return redirect("guidance:local")
    return render(request, "guidance/local_delete.html", {"buurt": buurt, "note": note})
