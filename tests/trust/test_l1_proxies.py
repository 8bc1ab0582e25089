"""L1 and I2 (issue #14): one setting for the number of trusted proxies drives every rate-limit key, HTTPS detection
and gunicorn's forwarded-allow-ips.

Without a proxy nothing a visitor writes in X-Forwarded-For or X-Forwarded-Proto counts (they could send anything);
behind N proxies the visitor is the N-th X-Forwarded-For address from the right, so visitors behind the proxy get
buckets of their own instead of the whole city sharing the proxy's, and a spoofed left part changes nothing.
"""

from __future__ import annotations

import os
import runpy
from itertools import count
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from burenhulp.core.models import Neighbourhood
from tests.core.test_settings import load, production

ROOT = Path(__file__).resolve().parents[2]
PROXY = "172.18.0.5"  # the reverse proxy's address, as gunicorn sees it
LOCKED = "Too many failed login attempts"
_n = count(1)


def token_request(client: APIClient, forwarded_for: str | None = None) -> int:
    """A malformed token request: answered 400 by validation, after the throttle has counted it."""
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post("/api/v1/auth/token/", {"email": "not-an-email"}, format="json", **headers).status_code


def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_token_throttle(db: None) -> None:
    client = APIClient(REMOTE_ADDR="198.51.100.20")
    statuses = [token_request(client, f"203.0.113.{i}") for i in range(11)]
    assert statuses == [400] * 10 + [429]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_token_throttle_counts_each_visitor(db: None) -> None:
    via_proxy = APIClient(REMOTE_ADDR=PROXY)
    # One visitor, spoofing the left part of the header: still one visitor.
    statuses = [token_request(via_proxy, f"10.9.9.{i}, 198.51.100.7") for i in range(11)]
    assert statuses == [400] * 10 + [429]
    # Another visitor behind the same proxy has a bucket of their own.
    assert token_request(via_proxy, "198.51.100.8") == 400


@pytest.fixture
def card_url(db: None) -> str:
    buurt = Neighbourhood.objects.create(name="Kaart", slug="kaart-test", lat=51.0, lon=3.7)
    return reverse("referral_card", args=[buurt.slug])


def post_card(url: str, remote: str, forwarded_for: str | None = None) -> int:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return Client(REMOTE_ADDR=remote).post(url, {}, **headers).status_code


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_referral_card_limit_counts_each_visitor(card_url: str) -> None:
    statuses = [post_card(card_url, PROXY, "198.51.100.30") for _ in range(6)]
    assert 429 not in statuses[:5]
    assert statuses[5] == 429
    # The next professional behind the same proxy is not refused because of the first.
    assert post_card(card_url, PROXY, "198.51.100.31") != 429


def test_without_a_proxy_the_referral_card_limit_ignores_forwarded_for(card_url: str) -> None:
    statuses = [post_card(card_url, "198.51.100.40", f"203.0.113.{i}") for i in range(6)]
    assert 429 not in statuses[:5]
    assert statuses[5] == 429


def login(remote: str, forwarded_for: str) -> str:
    client = Client(REMOTE_ADDR=remote)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/accounts/login/",
        {"login": f"nobody-{next(_n)}@example.org", "password": "wrong-password-123"},
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.content.decode()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_login_limit_counts_each_visitor(db: None) -> None:
    # Ten failed sign-ins a minute from one visitor (over different accounts) lock that visitor's sign-in...
    for _ in range(10):
        assert LOCKED not in login(PROXY, "198.51.100.50")
    assert LOCKED in login(PROXY, "10.0.0.1, 198.51.100.50")
    # ...and not that of everyone else behind the same proxy.
    assert LOCKED not in login(PROXY, "198.51.100.51")


def test_without_a_proxy_the_login_limit_ignores_forwarded_for(db: None) -> None:
    for i in range(10):
        login("198.51.100.60", f"203.0.113.{i}")
    assert LOCKED in login("198.51.100.60", "203.0.113.99")


# --- The one setting ----------------------------------------------------------------------------------------------


def test_the_proxy_count_drives_https_detection_and_every_proxy_setting() -> None:
    alone = load(**production())
    assert alone["TRUSTED_PROXY_COUNT"] == 0
    assert alone["SECURE_PROXY_SSL_HEADER"] is None  # I2: a visitor's X-Forwarded-Proto is not believed
    assert alone["REST_FRAMEWORK"]["NUM_PROXIES"] == 0  # L1: DRF never reads X-Forwarded-For
    assert alone["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    behind = load(**production(BURENHULP_TRUSTED_PROXY_COUNT="1"))
    assert behind["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert behind["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    assert behind["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1


def gunicorn_config(**env: str) -> dict[str, object]:
    with mock.patch.dict(os.environ, env):
        return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))


def test_the_proxy_count_drives_gunicorns_forwarded_allow_ips() -> None:
    assert gunicorn_config(BURENHULP_TRUSTED_PROXY_COUNT="0")["forwarded_allow_ips"] == ""
    assert gunicorn_config(BURENHULP_TRUSTED_PROXY_COUNT="1")["forwarded_allow_ips"] == "*"


@pytest.mark.parametrize("value", ["two", "-1", "1.5", "99"])
def test_a_malformed_proxy_count_stops_start_up_naming_the_variable(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="BURENHULP_TRUSTED_PROXY_COUNT"):
        load(**production(BURENHULP_TRUSTED_PROXY_COUNT=value))
    with pytest.raises(ImproperlyConfigured, match="BURENHULP_TRUSTED_PROXY_COUNT"):
        gunicorn_config(BURENHULP_TRUSTED_PROXY_COUNT=value)
