"""Tenancy: every neighbourhood-scoped query starts here, so "another neighbourhood" cannot be forgotten.

Models that belong to a neighbourhood use `TenantQuerySet` (directly or as a base) and name the path to their
neighbourhood in `buurt_lookup`. Views then start from `Model.objects.for_coordinator(user)` or
`Model.objects.for_resident(resident)`; an id outside that scope simply does not exist (404).
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, Self, TypeVar

from django.db import models
from django.http import Http404, HttpRequest

from burenhulp.core.models import Neighbourhood

M = TypeVar("M", bound=models.Model)


class InBuurt(Protocol):
    """Anything that belongs to one neighbourhood (a resident's profile)."""

    buurt_id: int


SESSION_BUURT_KEY = "coordinator_buurt_id"


def coordinator_buurten(user: Any) -> models.QuerySet[Neighbourhood]:
    """The neighbourhoods this user coordinates (none for anonymous users and residents)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Neighbourhood.objects.none()
    return Neighbourhood.objects.filter(coordinators=user)


def coordinator_scope(request: HttpRequest) -> tuple[list[Neighbourhood], Neighbourhood | None]:
    """The coordinator's neighbourhoods (by name) and the one they work in now: the one chosen in this session, else
    the first. One query; no neighbourhoods and None for anyone who coordinates none."""
    buurten = list(coordinator_buurten(request.user).order_by("name"))
    chosen = request.session.get(SESSION_BUURT_KEY)
    current = next((b for b in buurten if b.pk == chosen), buurten[0] if buurten else None)
    return buurten, current


def current_buurt(request: HttpRequest) -> Neighbourhood:
    """The neighbourhood a coordinator is working in now (switchable when they coordinate several); 404 if none."""
    current: Neighbourhood | None = getattr(request, "buurt", None)
    if current is None:
        current = coordinator_scope(request)[1]
    if current is None:
        raise Http404
    return current


class TenantQuerySet(models.QuerySet[M], Generic[M]):
    #: The lookup from this model to its Neighbourhood.
    buurt_lookup = "buurt"

    def in_buurt(self, buurt: Neighbourhood | int) -> Self:
        return self.filter(**{self.buurt_lookup: buurt})

    def for_coordinator(self, user: Any) -> Self:
        """Rows of the neighbourhoods this user coordinates; nothing for anyone else."""
        return self.filter(**{f"{self.buurt_lookup}__in": coordinator_buurten(user)})

    def for_resident(self, resident: InBuurt | None) -> Self:
        """Rows of the resident's own neighbourhood; nothing without a resident profile."""
        if resident is None:
            return self.none()
        return self.filter(**{self.buurt_lookup: resident.buurt_id})
