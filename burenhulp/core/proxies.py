"""The visitor's address behind a known number of reverse proxies.

One setting, `TRUSTED_PROXY_COUNT` (environment `BURENHULP_TRUSTED_PROXY_COUNT`, 0 by default), says how many proxies
stand in front of the web processes. It drives Django's `SECURE_PROXY_SSL_HEADER`, DRF's `NUM_PROXIES`, allauth's
`ALLAUTH_TRUSTED_PROXY_COUNT`, gunicorn's `forwarded_allow_ips` (`deploy/gunicorn.conf.py`) and every rate-limit key,
which all count the address that `client_ip()` returns. Without a proxy `X-Forwarded-For` is never read: anyone can
send it. Behind N proxies the visitor is the N-th address from the right, the one the outermost proxy saw; what a
visitor wrote further left is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

VARIABLE = "BURENHULP_TRUSTED_PROXY_COUNT"


def parse_proxy_count(raw: str | None) -> int:
    """The number of trusted proxies from its environment value: empty means 0; anything but 0–5 stops start-up."""
    value = (raw or "").strip()
    if value == "":
        return 0
    if not value.isdigit() or int(value) > 5:
        raise ImproperlyConfigured(
            f"{VARIABLE} must be the number of reverse proxies in front of the web processes (0 to 5), not {raw!r}."
        )
    return int(value)


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address rate limits count: REMOTE_ADDR without a proxy; behind N proxies, the N-th X-Forwarded-For entry
    from the right (or the leftmost when the header is shorter). A malformed entry falls back to REMOTE_ADDR."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    entries = [part for part in str(forwarded).split(",") if part.strip()]
    if not entries:
        return remote
    return _valid(entries[-min(count, len(entries))]) or remote
