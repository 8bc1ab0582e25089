"""Logs and error reporting for every process (web, worker, beat, commands, and gunicorn's own log lines).

- `logging_config()` builds the one logging dictionary: plain lines, or one JSON object per line with
  `LOG_FORMAT=json`; every handler passes the redaction filter (`burenhulp.privacy.log_filters`), so email addresses,
  tokens, signed links and phone numbers never reach a log line, a file or a log collector.
- `init_error_reporting()` turns on Sentry (sentry-sdk) when `SENTRY_DSN` is set. Nothing personal is sent: no
  request bodies, cookies, user details or local variables, and every message, exception text, breadcrumb and URL
  goes through the same redaction as the logs.

This module reads no settings and imports no models: `settings.py` and `deploy/gunicorn.conf.py` both use it.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import sentry_sdk

from burenhulp.privacy.log_filters import redact

LOG_FORMATS = ("plain", "json")
# The fields of a LogRecord that are not extra context.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, exception, and any `extra` values."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (int, float, bool)) or value is None else redact(str(value))
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, level: str = "INFO", fmt: str = "plain", gunicorn: bool = False) -> dict[str, Any]:
    """The logging dictionary. `gunicorn=True` adds gunicorn's error and access loggers, so its lines (which hold
    request paths with signed links) are redacted and formatted like everything else."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": fmt,
        "filters": ["redact"],
    }
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "json": {"()": "burenhulp.observability.JsonFormatter"},
        },
        # Email addresses, tokens and phone numbers are cut from log lines (paths of 4xx answers hold signed links).
        "filters": {"redact": {"()": "burenhulp.privacy.log_filters.RedactFilter"}},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            **{
                name: {"filters": ["redact"]}
                for name in (
                    "django.request",
                    "django.server",
                    "django.security.csrf",
                    "django.security.DisallowedHost",
                )
            },
        },
    }
    if gunicorn:
        config["handlers"]["access"] = {**handler, "stream": "ext://sys.stdout"}
        config["loggers"]["gunicorn.error"] = {"handlers": ["console"], "level": level, "propagate": False}
        config["loggers"]["gunicorn.access"] = {"handlers": ["access"], "level": "INFO", "propagate": False}
    return config


# --- Error reporting -------------------------------------------------------------------------------------------

# Keys whose string values are free text that may hold personal data.
_TEXT_KEYS = {"message", "formatted", "value", "url", "query_string", "params", "data", "extra", "reason", "culprit"}


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_scrub(v) for v in value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    return value


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's `before_send`: redact every free-text field of an event, drop what identifies a person."""
    for key in list(event):
        if key in _TEXT_KEYS or key in {"logentry", "exception", "breadcrumbs", "threads"}:
            event[key] = _scrub(event[key])
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {
            k: v for k, v in headers.items() if k.lower() not in {"cookie", "authorization", "x-forwarded-for"}
        }
        event["request"] = _scrub(request)
    event.pop("user", None)
    return event


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    return _scrub(crumb)


def init_error_reporting(*, dsn: str, environment: str, release: str | None) -> None:
    """Start sentry-sdk with the Django, Celery and logging integrations it enables by itself; nothing personal."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,  # type: ignore[arg-type]
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=0.0,
    )
