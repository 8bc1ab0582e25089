"""HTTP protections: CSP without inline code, no framing, no caching of personal pages, error pages that say
nothing, production cookies and HSTS."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from burenhulp.core.apitokens import token_issue
from burenhulp.core.models import User
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.trust.urls_boom import SECRET_IN_ERROR

ROOT = Path(__file__).resolve().parents[2]
# Emails are not web pages: mail clients need inline styles, and CSP does not apply to them.
PAGE_TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("burenhulp/*/templates"), *ROOT.glob("*/templates")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
JS_URL = re.compile(r"href\s*=\s*[\"']\s*javascript:", re.IGNORECASE)


def page_templates() -> list[Path]:
    found: set[Path] = set()
    for directory in PAGE_TEMPLATE_DIRS:
        if directory.is_dir() and ".venv" not in directory.parts:
            found.update(p for p in directory.rglob("*.html") if "emails" not in p.relative_to(directory).parts)
    return sorted(found)


def inline_code(html: str) -> list[str]:
    problems = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
        ("event handler attribute", EVENT_HANDLER),
        ("javascript: link", JS_URL),
    ]:
        problems.extend(f"{name}: {m.group(0)!r}" for m in pattern.finditer(html))
    return problems


def test_no_page_template_has_inline_script_or_style() -> None:
    templates = page_templates()
    assert len(templates) > 5
    problems = {str(t.relative_to(ROOT)): inline_code(t.read_text()) for t in templates}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_detector_finds_what_it_looks_for() -> None:
    bad = '<script>alert(1)</script><p style="color:red" onclick="x()"><style>p{}</style><a href="javascript:x()">'
    assert len(inline_code(bad)) == 5
    assert inline_code('<script src="/static/x.js" defer></script><p class="style">') == []


@pytest.fixture
def pages(requester: Resident, coordinator: User) -> list[tuple[Client, str]]:
    anonymous = Client()
    return [
        (anonymous, "/"),
        (anonymous, "/accounts/login/"),
        (anonymous, "/accounts/signup/"),
        (anonymous, "/api/v1/docs/"),
        (web_client(requester.user), "/my-data/"),
        (web_client(coordinator), "/my-data/"),
    ]


def test_every_page_sends_a_strict_content_security_policy(pages: list[tuple[Client, str]]) -> None:
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives["default-src"] == "'self'", path
        assert directives["script-src"] == "'self'", path
        assert directives["style-src"] == "'self'", path
        assert directives["frame-ancestors"] == "'none'", path
        assert directives["object-src"] == "'none'", path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert inline_code(response.content.decode()) == [], path


def test_pages_for_a_signed_in_person_are_never_stored(requester: Resident) -> None:
    for path in ("/my-data/", "/my-data/download/", "/dashboard/"):
        response = web_client(requester.user).get(path, follow=True)
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def test_api_answers_to_a_token_are_never_stored(requester: Resident) -> None:
    assert requester.user is not None
    token = token_issue(user=requester.user)
    response = Client().get("/api/v1/categories/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_home_page_may_be_cached() -> None:
    assert "no-store" not in Client().get("/").get("Cache-Control", "")


def test_a_missing_page_says_only_that(db: None) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/zqxsentinel-no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We cannot find this page" in body
    # The visitor's own path comes back only escaped, in the language switch's "next" field; no debug page.
    for leak in ("Using the URLconf", "Request URL", "Django", "Traceback", "<zqxsentinel"):
        assert leak not in body


def test_a_forbidden_page_says_only_that(requester: Resident) -> None:
    client = web_client(requester.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/admin/login/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


@pytest.mark.urls("tests.trust.urls_boom")
def test_a_crash_shows_a_generic_page_without_details(db: None) -> None:
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    for leak in (SECRET_IN_ERROR, "RuntimeError", "Traceback", "boom", "settings", "DEBUG"):
        assert leak not in body


def test_production_settings_use_secure_cookies_and_hsts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BURENHULP_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="burenhulp.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="burenhulp.example",
        SITE_URL="https://burenhulp.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "DEBUG",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "DEBUG": False,
    }


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/queue/?buurt=%00", 200),
        ("/api/v1/services/?buurt=a%00b", 200),
        ("/coordinator/?q=a%00b", 200),
        ("/guidance/search/?q=hond%00", 200),
        ("/my-data/%00/", 400),
        ("/api/v1/requests/%00/", 400),
    ],
)
def test_a_nul_character_in_the_address_never_crashes(coordinator: User, url: str, status: int) -> None:
    """Dropped from the query string, refused in the path: never a 500 (schemathesis found one)."""
    client = web_client(coordinator)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    if url.startswith("/api/") and status == 400:
        assert "detail" in response.json()
