"""Shared builders for the request tests."""

from __future__ import annotations

from typing import Any

from burenhulp.core.models import Neighbourhood
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory, UserFactory

LIGHT = "Kan iemand morgen melk en brood voor mij halen in de winkel?"
HEAVY = "Ik heb grote schulden en de deurwaarder komt volgende week langs."
CRISIS = "Mijn partner slaat mij en ik ben bang dat hij mij vermoordt."


def north(buurt: Neighbourhood, m: float) -> dict[str, float]:
    return {"lat": buurt.lat + m / 111_195.0, "lon": buurt.lon}


def helper(
    buurt: Neighbourhood, m: float, *, email: str = "", offers: tuple[str, ...] = ("boodschappen",), **kw: Any
) -> Resident:
    """A neighbour `m` metres north of the centre who offers `offers`; with an account when `email` is given."""
    user = UserFactory(email=email) if email else None
    return ResidentFactory(buurt=buurt, user=user, email=email, offers=list(offers), **{**north(buurt, m), **kw})
