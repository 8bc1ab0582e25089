"""Typed helpers that read the settings' variables: the process environment first, then a `.env` file.

They stop start-up with a message naming the variable when a value is missing or malformed; they change nothing (the
`.env` file is read into its own dictionary, never into the process environment).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured


class Variables(environ.Env):
    """django-environ's reader with the checks the settings need: each stops start-up with the variable's name."""

    def flag(self, name: str, default: bool) -> bool:
        """A boolean variable: 1/true/yes or 0/false/no, anything else stops start-up with its name."""
        raw = self.str(name, default="")
        if raw == "":
            return default
        value = raw.strip().lower()
        if value in {"1", "true", "yes", "on"}:
            return True
        if value in {"0", "false", "no", "off"}:
            return False
        raise ImproperlyConfigured(f"{name} must be 1/true/yes or 0/false/no, not {raw!r}.")

    def choice(self, name: str, default: str, choices: tuple[str, ...], *, upper: bool = False) -> str:
        """One of a few words (case-insensitive); anything else stops start-up with the name and the choices."""
        raw = self.str(name, default="") or default
        value = raw.strip().upper() if upper else raw.strip().lower()
        if value not in choices:
            raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
        return value

    def checked_url(
        self, name: str, default: str | None, schemes: set[str], needed_for: str = "", *, optional: bool = False
    ) -> str:
        """A URL with one of `schemes`. Without a default (production) a missing value stops start-up, unless the
        variable is `optional` (then it is "")."""
        raw = self.str(name, default="") or default
        if not raw:
            if optional:
                return ""
            raise ImproperlyConfigured(f"{name} is not set: {needed_for}")
        scheme = urlparse(raw).scheme
        if scheme not in schemes:
            raise ImproperlyConfigured(
                f"{name} has an unsupported scheme {scheme!r}; use one of: {', '.join(sorted(schemes))}."
            )
        return raw


def read_variables(base_dir: Path) -> Variables:
    """The variables of this process: the environment, filled in by the `.env` file in `base_dir` (or the file
    BURENHULP_ENV_FILE names). Read afresh on every call; the process environment is never changed."""

    class _DotEnv(environ.Env):
        ENVIRON: dict[str, str] = {}

    _DotEnv.read_env(os.environ.get("BURENHULP_ENV_FILE", str(base_dir / ".env")), overwrite=True)
    variables = Variables()
    # The real environment always wins over the .env file.
    variables.ENVIRON = {**_DotEnv.ENVIRON, **os.environ}
    return variables


def cache_url_from_broker(broker: str) -> str:
    """The Redis database after the broker's (broker /0 → cache /1, /5 → /6): two deployments on one Redis server
    with their own broker databases get their own caches. Never the broker's own database (a cache clear would
    empty the task queue)."""
    parsed = urlparse(broker)
    if not parsed.scheme.startswith("redis"):
        return ""
    number = parsed.path.strip("/") or "0"
    if not number.isdigit():
        raise ImproperlyConfigured(f"CELERY_BROKER_URL names Redis database {number!r}; use a number (/0).")
    return parsed._replace(path=f"/{int(number) + 1}").geturl()


def redis_database(url: str) -> tuple[str, int, str]:
    """Host, port and database number of a Redis URL, to tell whether two URLs name the same database."""
    parsed = urlparse(url)
    return (parsed.hostname or "", parsed.port or 6379, parsed.path.strip("/") or "0")
