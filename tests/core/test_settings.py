"""Start-up with bad or missing environment variables stops with a message naming the variable; the settings are
read without side effects, so most of these run the settings module in-process with a given environment."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

from burenhulp.devserver import dev_environment

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "burenhulp" / "settings.py"
OURS = ("DJANGO_", "BURENHULP_", "DATABASE_", "EMAIL_", "SITE_URL", "CELERY_", "REDIS_", "CACHE_", "SENTRY_", "LOG_")

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "burenhulp.example",
    "SITE_URL": "https://burenhulp.example",
    "DATABASE_URL": "postgres://burenhulp:secret@db:5432/burenhulp",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example:587",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
}


def load(**env: str) -> dict[str, Any]:
    """The settings module's values for exactly this environment (no .env file)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    clean.update(env, BURENHULP_ENV_FILE=os.devnull)
    with mock.patch.dict(os.environ, clean, clear=True):
        return runpy.run_path(str(SETTINGS), run_name="settings_under_test")


def production(**changes: str | None) -> dict[str, str]:
    env = {**PRODUCTION, **changes}
    return {k: v for k, v in env.items() if v is not None}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    clean.update(env, BURENHULP_ENV_FILE=os.devnull, DJANGO_SETTINGS_MODULE="burenhulp.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_without_secret_key_refuses_to_start() -> None:
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("name", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "EMAIL_URL"])
def test_production_names_each_missing_variable(name: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"^{name} is not set"):
        load(**production(**{name: None}))


def test_production_values_load() -> None:
    values = load(**production())
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["EMAIL_HOST"] == "smtp.example"


@pytest.mark.parametrize(
    ("name", "value"),
    [("DJANGO_DEBUG", "maybe"), ("DATABASE_URL", "mysql2://x"), ("EMAIL_URL", "pigeon://x"), ("SITE_URL", "ftp://x")],
)
def test_malformed_variable_is_named(name: str, value: str) -> None:
    result = run_manage("check", **{"DJANGO_DEBUG": "1", name: value})
    assert result.returncode != 0
    assert name in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOG_FORMAT", "xml"),
        ("LOG_LEVEL", "LOUD"),
        ("SENTRY_DSN", "not-a-dsn"),
        ("REDIS_CACHE_URL", "memcached://x"),
        ("EMAIL_URL", "devmail://"),
        ("BURENHULP_TASKS_IN_PROCESS", "1"),
    ],
)
def test_malformed_or_development_only_value_in_production_is_named(name: str, value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=name):
        load(**production(**{name: value}))


def test_the_cache_may_not_be_the_brokers_database() -> None:
    with pytest.raises(ImproperlyConfigured, match="REDIS_CACHE_URL is the broker's own Redis database"):
        load(**production(CELERY_BROKER_URL="redis://redis:6379/3", REDIS_CACHE_URL="redis://redis:6379/3"))


def test_development_needs_no_variables_and_keeps_mail_on_the_development_page() -> None:
    values = load(DJANGO_DEBUG="1")
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["EMAIL_BACKEND"] == "burenhulp.core.devmail.EmailBackend"
    assert values["SITE_URL"] == "http://127.0.0.1:8000"


def test_reading_the_settings_changes_nothing(tmp_path: Path) -> None:
    """No directory made, no variable added to the process environment, no server contacted."""
    before = dict(os.environ)
    env_file = tmp_path / ".env"
    env_file.write_text("EMAIL_URL=dummymail://\nZZ_ONLY_IN_DOTENV=1\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    clean.update(production(EMAIL_URL=None, CELERY_BROKER_URL="redis://192.0.2.1:6379/0"))
    clean["BURENHULP_ENV_FILE"] = str(env_file)
    with mock.patch.dict(os.environ, clean, clear=True):
        values = runpy.run_path(str(SETTINGS), run_name="settings_under_test")
        assert "ZZ_ONLY_IN_DOTENV" not in os.environ
    assert values["EMAIL_URL"] == "dummymail://"  # filled in from the .env file
    assert dict(os.environ) == before
    assert not (tmp_path / "var").exists()


def test_empty_values_in_the_env_file_mean_the_default() -> None:
    values = load(DJANGO_DEBUG="1", MEDIA_ROOT="", STATIC_ROOT="", DJANGO_CSRF_TRUSTED_ORIGINS="", EMAIL_URL="")
    assert values["MEDIA_ROOT"] == ROOT / "var" / "media"
    assert values["STATIC_ROOT"] == ROOT / "var" / "static"
    assert values["CSRF_TRUSTED_ORIGINS"] == ["http://127.0.0.1:8000"]


def test_the_settings_do_not_look_for_a_test_runner() -> None:
    source = SETTINGS.read_text()
    assert "sys.modules" not in source and "TESTING" not in source


def test_deploy_checks_are_clean_with_production_values(tmp_path: Path) -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **production(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", BURENHULP_TRUSTED_PROXY_COUNT="1"),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_sqlite_runs_as_a_server_would() -> None:
    options = load(DJANGO_DEBUG="1", DATABASE_URL="sqlite:////tmp/x.sqlite3")["DATABASES"]["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


# --- make run -----------------------------------------------------------------------------------------------------


def test_make_run_links_follow_the_port_and_listen_on_loopback() -> None:
    env = dev_environment({"PORT": "8123"}, broker_reachable=True)
    assert env["SITE_URL"] == "http://127.0.0.1:8123"
    assert env["BIND"] == "127.0.0.1"
    assert env["DJANGO_DEBUG"] == "1"
    assert "BURENHULP_TASKS_IN_PROCESS" not in env


def test_make_run_keeps_a_given_site_url_and_says_when_tasks_run_in_process() -> None:
    env = dev_environment(
        {"PORT": "8123", "BIND": "0.0.0.0", "SITE_URL": "http://laptop.local:8123"},
        broker_reachable=False,
    )
    assert env["SITE_URL"] == "http://laptop.local:8123"
    assert env["BURENHULP_TASKS_IN_PROCESS"] == "1"
    assert dev_environment({"BIND": "0.0.0.0"}, broker_reachable=True)["SITE_URL"] == "http://127.0.0.1:8000"
