"""Logs never hold personal data, passwords, tokens or codes: the platform's flows run with sentinel data, and every
captured log line (DEBUG and up) and the real worker's log file are searched for it."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import MatchProposal
from burenhulp.notifications.models import Notification
from burenhulp.privacy.log_filters import redact
from burenhulp.residents.models import Resident
from tests.conftest import api_client, web_client
from tests.realparts import ARTIFACTS
from tests.trust.conftest import MARK

NAME = "Zqxsentinelname"
SURNAME = "Zqxsentinelsurname"
PHONE = "0470 91 73 58"
EMAIL = f"{MARK}-resident@example.org"
SIGNUP_EMAIL = f"{MARK}-signup@example.org"
PASSWORD = f"{MARK}-Secret-pass-42"
NEW_PASSWORD = f"{MARK}-New-pass-4242"
DESCRIPTION = f"{MARK} needs help after a fall at home"


def _code_from(message: mail.EmailMessage) -> str:
    text = message.body
    match = re.search(r"^\s*([A-Z0-9]{3,5}-?[A-Z0-9]{3,5})\s*$", text, re.MULTILINE)
    assert match, text
    return match.group(1)


def _last_link(message: mail.EmailMessage) -> str:
    links = re.findall(r"https?://testserver(/\S+)", message.body)
    assert links, message.body
    return links[-1]


def secrets_in(text: str, secrets: list[str]) -> list[str]:
    found = [s for s in secrets if s.lower() in text.lower()]
    digits = re.sub(r"\D", "", PHONE)
    if digits in re.sub(r"[\s./-]", "", text):
        found.append(PHONE)
    return found


def run_account_flows(secrets: list[str]) -> None:
    """Sign-up with an emailed code, login by code, password reset, wrong passwords, an API token."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("account_signup"), {"email": SIGNUP_EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    code = _code_from(mail.outbox[-1])
    secrets.append(code)
    response = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(reverse("account_logout"))

    other = Client()
    other.post(reverse("account_request_login_code"), {"email": SIGNUP_EMAIL})
    code = _code_from(mail.outbox[-1])
    secrets.append(code)
    response = other.post(reverse("account_confirm_login_code"), {"code": code})
    assert "_auth_user_id" in other.session

    reset = Client()
    reset.post(reverse("account_reset_password"), {"email": SIGNUP_EMAIL})
    link = _last_link(mail.outbox[-1])
    secrets.append(link.rstrip("/").split("/")[-1])
    form = reset.get(link, follow=True)
    reset.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    for _ in range(3):
        Client().post(reverse("account_login"), {"login": SIGNUP_EMAIL, "password": PASSWORD + "x"})
    token = APIClient().post("/api/v1/auth/token/", {"email": SIGNUP_EMAIL, "password": NEW_PASSWORD}, format="json")
    assert token.status_code == 200, token.content
    secrets.append(token.json()["token"])
    Client().get(f"/accounts/password/reset/key/{MARK}-token-in-a-path/")
    Client().get(f"/{MARK}-no-such-page/?email={EMAIL}")


def run_help_flow(buurt: Neighbourhood, coordinator: User, volunteer: Resident) -> Resident:
    """A coordinator registers a resident by phone; the resident asks; a neighbour is proposed and accepts."""
    created = api_client(coordinator).post(
        "/api/v1/residents/",
        {
            "buurt": buurt.slug,
            "first_name": NAME,
            "last_name": SURNAME,
            "email": EMAIL,
            "phone": PHONE,
            "street": "Kerkstraat",
            "house_number": "12",
            "lat": buurt.lat,
            "lon": buurt.lon,
            "languages": ["nl"],
            "offers": [],
            "wants": ["boodschappen"],
            "availability": [],
            "has_car": False,
            "consent_how": "verbal",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    resident = Resident.objects.get(pk=created.json()["id"])
    asked = api_client(coordinator).post(
        "/api/v1/requests/",
        {"requester": resident.pk, "category": "boodschappen", "description": DESCRIPTION},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    request_id = asked.json()["id"]
    matched = api_client(coordinator).post(f"/api/v1/requests/{request_id}/match/", format="json")
    assert matched.status_code == 200, matched.content
    proposal = MatchProposal.objects.filter(request_id=request_id, volunteer=volunteer).first()
    if proposal is not None:
        accepted = api_client(volunteer.user).post(f"/api/v1/proposals/{proposal.pk}/accept/", format="json")
        assert accepted.status_code == 200, accepted.content
    web_client(coordinator).get(f"/api/v1/residents/{resident.pk}/")
    return resident


def test_redaction_removes_addresses_tokens_and_numbers() -> None:
    line = (
        "Not Found: /n/unsubscribe/eyJpZCI6MTJ9:1uX2aB:Qm9vbXNhbGFrYWJvb20/ for jan.peeters@example.org, 0470 12 34 56"
    )
    cleaned = redact(line)
    assert cleaned == "Not Found: /n/unsubscribe/[token]/ for [email], [number]"
    assert redact("GET /my-data/?email=a%40b.be") == "GET /my-data/?[query]"


def test_no_log_line_holds_personal_data_tokens_or_codes(
    caplog: pytest.LogCaptureFixture, buurt: Neighbourhood, coordinator: User, volunteer: Resident
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = [MARK, NAME, SURNAME, EMAIL, SIGNUP_EMAIL, PASSWORD, NEW_PASSWORD]
    run_account_flows(secrets)
    run_help_flow(buurt, coordinator, volunteer)
    assert mail.outbox, "the flows sent mail"
    # The 404s of the flows were logged (their paths held a token and an address), only without them.
    not_found = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Not Found")]
    assert len(not_found) >= 1, not_found
    assert all("[token]" in m or "[query]" in m for m in not_found), not_found
    leaks = {}
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        found = secrets_in(text, secrets)
        if found:
            leaks[f"{record.name}:{record.levelname}"] = (found, text[:300])
    assert leaks == {}


@pytest.mark.worker
def test_the_worker_log_holds_no_personal_data(
    celery_worker_process: Any, buurt: Neighbourhood, coordinator: User, volunteer: Resident
) -> None:
    resident = run_help_flow(buurt, coordinator, volunteer)
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        if not Notification.objects.filter(status__in=["pending", "sending"]).exists():
            break
        time.sleep(0.25)
    assert Notification.objects.filter(status="sent").exists(), list(Notification.objects.values("status"))
    log_path: Path = celery_worker_process.log
    celery_worker_process.stop(graceful=True)  # every line it wrote is in the log
    texts = {log_path.name: log_path.read_text(errors="replace")}
    # Every worker log any test left behind: none may hold a trust sentinel either.
    for other in ARTIFACTS.glob("worker-*.log"):
        texts.setdefault(other.name, other.read_text(errors="replace"))
    assert "ready." in texts[log_path.name]
    secrets = [MARK, NAME, SURNAME, EMAIL, resident.public_id.hex]
    leaks = {name: secrets_in(text, secrets) for name, text in texts.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
