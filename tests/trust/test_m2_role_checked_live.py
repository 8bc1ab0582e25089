"""M2: a user made coordinator while signed in meets the second factor and the idle logout where the data is served
(the gate of the pages and the API permission), not only after signing in again."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from burenhulp.core.apitokens import token_issue
from burenhulp.core.models import Neighbourhood
from burenhulp.residents.models import Resident
from tests.conftest import enrol_totp, web_client


def test_pages_ask_for_the_second_factor_after_promotion(buurt: Neighbourhood, requester: Resident) -> None:
    assert requester.user is not None
    client = web_client(requester.user)
    assert client.get("/my-data/").status_code == 200  # the session has seen this user as a resident
    buurt.coordinators.add(requester.user)
    response = client.get("/coordinator/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_api_asks_for_the_second_factor_after_promotion(buurt: Neighbourhood, requester: Resident) -> None:
    assert requester.user is not None
    by_session = APIClient()
    by_session.force_login(requester.user)
    assert by_session.get("/api/v1/me/profile/").status_code == 200
    token = token_issue(user=requester.user)
    buurt.coordinators.add(requester.user)
    response = by_session.get("/api/v1/queue/")
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]
    by_token = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/queue/")
    assert by_token.status_code == 403 and "two-factor" in by_token.json()["detail"]


def test_the_idle_logout_applies_after_promotion(buurt: Neighbourhood, requester: Resident) -> None:
    assert requester.user is not None
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = web_client(requester.user)
        assert client.get("/my-data/").status_code == 200
        buurt.coordinators.add(requester.user)
        enrol_totp(requester.user)
    later = start + timedelta(seconds=settings.COORDINATOR_IDLE_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        response = client.get("/coordinator/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "_auth_user_id" not in client.session


def test_the_api_session_idle_logout_applies_after_promotion(buurt: Neighbourhood, requester: Resident) -> None:
    assert requester.user is not None
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        by_session = APIClient()
        by_session.force_login(requester.user)
        assert by_session.get("/api/v1/me/profile/").status_code == 200
        buurt.coordinators.add(requester.user)
        enrol_totp(requester.user)
        assert by_session.get("/api/v1/queue/").status_code == 200
    with time_machine.travel(start + timedelta(seconds=settings.COORDINATOR_IDLE_SECONDS + 60), tick=False):
        assert by_session.get("/api/v1/queue/").status_code in (401, 403)
