"""docker-compose.yml is safe by default: one published entry point, secrets without defaults, migrations once."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(SOURCE)
SERVICES = COMPOSE["services"]


def test_only_the_proxy_publishes_ports_and_mailpit_is_development_only() -> None:
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"caddy", "mailpit"}
    assert SERVICES["mailpit"]["profiles"] == ["dev"]
    assert all(str(port).startswith("127.0.0.1:") for port in SERVICES["mailpit"]["ports"])
    environments = [COMPOSE["x-app"]["environment"]] + [s.get("environment") or {} for s in SERVICES.values()]
    assert not any("mailpit" in str(value) for env in environments for value in env.values())


def test_secrets_and_the_mail_server_are_required_never_defaulted() -> None:
    for name in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "EMAIL_URL", "DOMAIN", "DEFAULT_FROM_EMAIL", "ACME_EMAIL"):
        uses = re.findall(r"\$\{" + name + r"(:?[-?])?", SOURCE)
        assert ":?" in uses, f"{name} must be required: ${{{name}:?…}}"
        assert not {"-", ":-"} & set(uses), f"{name} must never have a default"


def test_web_worker_and_beat_start_after_one_migration_and_have_health_checks() -> None:
    assert SERVICES["migrate"]["command"] == ["deploy/bin/migrate"]
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["command"] == [f"deploy/bin/{name}"]
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert SERVICES[name]["healthcheck"]["test"] == ["CMD", "python", "manage.py", "healthcheck", name]
    assert "migrate" not in (ROOT / "deploy" / "bin" / "web").read_text().split("\n", 3)[-1]
    assert COMPOSE["x-app"]["environment"]["BURENHULP_TRUSTED_PROXY_COUNT"] == "1"


def test_the_image_is_built_from_the_lock_file_and_runs_as_a_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps -r requirements.txt" in dockerfile
    assert re.search(r"^USER burenhulp$", dockerfile, re.MULTILINE)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".env", ".venv", "node_modules", "var", "test-artifacts"} <= set(ignored)
    assert "--hash=sha256:" in (ROOT / "requirements.txt").read_text()
