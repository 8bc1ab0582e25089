"""Start-up with bad or missing environment variables stops with a message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BURENHULP_", "DATABASE_", "EMAIL_"))}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "burenhulp.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_without_secret_key_refuses_to_start() -> None:
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("DJANGO_DEBUG", "maybe"), ("DATABASE_URL", "mysql2://x"), ("EMAIL_URL", "pigeon://x"), ("SITE_URL", "ftp://x")],
)
def test_malformed_variable_is_named(name: str, value: str) -> None:
    result = run_manage("check", **{"DJANGO_DEBUG": "1", name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_deploy_checks_are_clean_with_production_values(tmp_path: Path) -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="burenhulp.example",
        SITE_URL="https://burenhulp.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
