"""Shared pieces of the trust tests: rate-limit counters emptied per test, sentinel strings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

#: Every sentinel starts with this marker, so one search finds them all.
MARK = "zqxsentinel"


def sentinel(name: str) -> str:
    return f"{MARK}-{name}"


@pytest.fixture(autouse=True)
def _empty_rate_limits(db: None) -> Iterator[None]:
    """allauth counts attempts in the shared cache (Redis); every test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()
