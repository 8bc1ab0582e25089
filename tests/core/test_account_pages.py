"""Our own account pages and emails (django-allauth + allauth.mfa): Dutch screens without English words or the
formal "u", a way forward after the spare codes, no second password prompt right after enrolling, and emails signed
with the platform's name, never a host name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from burenhulp.core.models import Neighbourhood, User
from tests.conftest import totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: Words that give away an untranslated English text (or an allauth msgid) on a Dutch screen.
ENGLISH = re.compile(
    r"\b(the|your|you|please|password|sign in|sign up|signup|forgot|remember|enter|verify|verification|recovery|"
    r"authenticator|activate|download|generate|submit|successfully|confirm|email address|code has been|"
    r"this password|characters|too short|too common)\b",
    re.I,
)
#: The formal "u"/"uw" (the product says "je").
FORMAL = re.compile(r"\b(u|uw|gelieve|a\.u\.b\.)\b", re.I)
#: A broken msgid the framework's own catalogue shipped.
BROKEN = ("e-emailadres", "verificatie code")


def visible_text(html: str) -> str:
    main = re.search(r"(?s)<main[^>]*>(.*)</main>", html)
    body = main.group(1) if main else html
    body = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    body = re.sub(r"(Google|Microsoft) Authenticator", "", body)  # the apps' own names
    return re.sub(r"\s+", " ", body)


def assert_dutch(response: Any, where: str) -> str:
    assert response.status_code in (200, 400), (where, response.status_code)
    text = visible_text(response.content.decode())
    assert not ENGLISH.findall(text), (where, ENGLISH.findall(text), text)
    assert not FORMAL.findall(text), (where, FORMAL.findall(text), text)
    assert not any(b in text.lower() for b in BROKEN), (where, text)
    return text


def dutch_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.cookies["burenhulp_language"] = "nl-be"
    return client


def test_sign_up_and_sign_in_pages_are_dutch_in_our_voice(mailoutbox: list[Any]) -> None:
    client = dutch_client()
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/login/code/", "/accounts/password/reset/"):
        assert_dutch(client.get(url), url)
    # Errors too: a short password, a wrong password.
    text = assert_dutch(
        client.post("/accounts/signup/", {"email": "an@example.org", "password1": "kort", "password2": "kort"}),
        "signup error",
    )
    assert "te kort" in text
    assert_dutch(client.post("/accounts/login/", {"login": "niemand@example.org", "password": "fout-fout"}), "login")
    # Signing up leads to the code page in our words, and the email is signed by the platform.
    answer = client.post(
        "/accounts/signup/",
        {"email": "an@example.org", "password1": "zonnebloem-Tuin-42", "password2": "zonnebloem-Tuin-42"},
        follow=True,
    )
    text = assert_dutch(answer, "confirm email")
    assert "an@example.org" in text
    mail = mailoutbox[-1]
    assert "Burenhulp" in mail.body and "testserver" not in mail.body + mail.subject
    assert not mail.subject.startswith("[")
    assert not ENGLISH.findall(mail.body + mail.subject), mail.body
    # Sign in by code.
    client2 = dutch_client()
    UserFactory(email="bea@example.org")
    answer = client2.post("/accounts/login/code/", {"email": "bea@example.org"}, follow=True)
    assert_dutch(answer, "confirm login code")
    assert "Burenhulp" in mailoutbox[-1].body and not ENGLISH.findall(mailoutbox[-1].body)
    # Password reset.
    answer = client2.post("/accounts/password/reset/", {"email": "bea@example.org"}, follow=True)
    assert_dutch(answer, "password reset done")
    link = re.search(r"http://\S+", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    assert not ENGLISH.findall(re.sub(r"http://\S+", "", mailoutbox[-1].body))


def test_enrolment_asks_no_second_password_and_the_spare_codes_lead_on(buurt: Neighbourhood) -> None:
    user: User = UserFactory(email="griet@example.org")
    buurt.coordinators.add(user)
    client = dutch_client()
    client.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery"})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page.status_code
    assert_dutch(page, "totp activate")
    secret = page.context["form"].secret
    answer = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert "/reauthenticate/" not in answer.request["PATH_INFO"], answer.redirect_chain
    text = assert_dutch(answer, "recovery codes")
    assert "reservecodes" in text.lower() or "codes" in text
    assert 'href="/dashboard/"' in answer.content.decode()
