"""The fixed cast and the real parts every test may use.

Cast: `buurt` with a `requester`, a `volunteer` and a `coordinator`; `other_buurt` with an `outsider` resident and an
`outsider_coordinator`. Real parts: an SMTP server (aiosmtpd) that receives messages, a Celery worker process against
Redis and the test database, and headless Chromium driven by Playwright with axe-core for accessibility.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from rest_framework.test import APIClient

from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.factories import NeighbourhoodFactory, ResidentFactory, UserFactory

# The fixtures of the real parts and the browser, defined beside this file.
from tests.pages import chromium, page, page_nojs  # noqa: F401
from tests.realparts import celery_worker_process, redis_broker, smtp_server  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and cached lookups live in Redis; every test starts with none from earlier tests."""
    from django.core.cache import cache

    cache.clear()
    yield


# --- The cast --------------------------------------------------------------------------------------------------


@pytest.fixture
def buurt(db: None) -> Neighbourhood:
    return NeighbourhoodFactory(slug="wakken-test", name="Wakken (test)", lat=50.9325, lon=3.3990)


@pytest.fixture
def other_buurt(db: None) -> Neighbourhood:
    return NeighbourhoodFactory(slug="elders", name="Elders", lat=51.2194, lon=4.4025)


def _resident_with_account(buurt: Neighbourhood, email: str, **kw: Any) -> Resident:
    user = UserFactory(email=email)
    return ResidentFactory(buurt=buurt, user=user, email=email, **kw)


@pytest.fixture
def requester(buurt: Neighbourhood) -> Resident:
    return _resident_with_account(buurt, "requester@example.org", first_name="Rita", wants=["boodschappen"])


@pytest.fixture
def volunteer(buurt: Neighbourhood) -> Resident:
    return _resident_with_account(
        buurt,
        "volunteer@example.org",
        first_name="Victor",
        offers=["boodschappen", "hond", "planten", "chauffeur"],
        has_car=True,
        lat=buurt.lat + 0.002,
        lon=buurt.lon,
    )


def enrol_totp(user: User) -> str:
    """Give a user a TOTP second factor; returns the secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def coordinator(buurt: Neighbourhood) -> User:
    user = UserFactory(email="coordinator@example.org", first_name="Griet")
    buurt.coordinators.add(user)
    enrol_totp(user)
    return user


@pytest.fixture
def outsider(other_buurt: Neighbourhood) -> Resident:
    return _resident_with_account(other_buurt, "outsider@example.org", first_name="Otto", offers=["boodschappen"])


@pytest.fixture
def outsider_coordinator(other_buurt: Neighbourhood) -> User:
    user = UserFactory(email="other-coordinator@example.org")
    other_buurt.coordinators.add(user)
    enrol_totp(user)
    return user


# --- Clients ---------------------------------------------------------------------------------------------------


def web_client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def coordinator_api(coordinator: User) -> APIClient:
    return api_client(coordinator)


@pytest.fixture
def coordinator_web(coordinator: User) -> Client:
    return web_client(coordinator)
