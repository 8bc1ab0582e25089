"""Headless Chromium (Debian's, driven by Playwright) at a phone's size, axe-core, screenshots and signing in. The
fixtures are made available by tests/conftest.py."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from burenhulp.core.models import User
from tests.realparts import ARTIFACTS, IN_CI, ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


# --- Browser ---------------------------------------------------------------------------------------------------

PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright; never a browser Playwright downloaded itself."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        if IN_CI:
            raise RuntimeError(f"Chromium is missing at {CHROMIUM}; .ci/run installs it.")
        pytest.fail(f"Chromium is missing at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page (375×812). `bypass_csp` only lets the test inject axe-core; the pages keep their CSP."""
    context = chromium.new_context(viewport=PHONE, bypass_csp=True, locale="nl-BE", base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def page_nojs(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False, locale="nl-BE", base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


#: The page language every page is checked in with all of axe-core's rules.
DEFAULT_LANGUAGE = "nl-be"
#: The axe-core rules whose outcome can change with the words on a page: the other languages are walked with these
#: only (the markup, landmarks, contrast and focus order are the same in every language).
LANGUAGE_RULES = (
    "html-has-lang",
    "html-lang-valid",
    "valid-lang",
    "document-title",
    "page-has-heading-one",
    "empty-heading",
    "button-name",
    "input-button-name",
    "link-name",
    "label",
    "select-name",
    "image-alt",
    "svg-img-alt",
    "aria-input-field-name",
    "aria-toggle-field-name",
)


def axe_violations(page: Any, rules: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Run axe-core on the current page and return its violations: WCAG 2.1 A/AA and best practice, or the given
    rules only."""
    page.add_script_tag(path=str(AXE_JS))
    only = (
        f"{{type: 'rule', values: {json.dumps(list(rules))}}}"
        if rules
        else "{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}"
    )
    result = page.evaluate(f"async () => await axe.run(document, {{runOnly: {only}}})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def assert_accessible_in(page: Any, lang: str) -> None:
    """Every axe-core rule in the default language; in the other languages the cheaper walk: the rules that depend
    on the words (names, labels, titles, the language itself)."""
    violations = axe_violations(page, () if lang == DEFAULT_LANGUAGE else LANGUAGE_RULES)
    assert violations == [], json.dumps(violations, indent=2)


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot under test-artifacts/screenshots/ for people to look at."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def browser_login(page: Any, live_server_url: str, user: User) -> None:
    """Sign a user in by copying a Django test-client session cookie into the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server_url}])
