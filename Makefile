# Burenhulp: one command to run the platform with demo data, one to run every test.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
PORT ?= 8000

.PHONY: install lock run test test-sqlite test-fast lint contract format typecheck bench messages services check-deploy compose-check clean

.venv/bin/python:
	python3.11 -m venv .venv || python3 -m venv .venv

install: .venv/bin/python ## Create .venv, install the locked packages (hashes checked) and test tools, compile translations.
	$(PIP) install --quiet --require-hashes -r requirements-dev.txt
	npm install --no-audit --no-fund --silent
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: install ## Install, migrate, seed the demo and start web + worker (SQLite; Redis if reachable) on 127.0.0.1:PORT.
	PORT=$(PORT) $(PY) -m burenhulp.devserver

# pip-compile's options for every lock file: hashes for each file of each version, pip and setuptools included, no
# index or find-links lines (those belong to the machine, not to the project).
LOCK := $(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

lock: .venv/bin/python ## Regenerate the hashed lock files from requirements*.in (after adding or upgrading a package).
	$(PIP) install --quiet pip-tools==7.6.2
	$(LOCK) --output-file requirements.txt requirements.in
	$(LOCK) --output-file requirements-dev.txt requirements-dev.in
	$(LOCK) --output-file requirements-bench.txt requirements-bench.in
	@echo "Lock files written: requirements.txt (image), requirements-dev.txt (make install), requirements-bench.txt (make bench)."

services: ## Make sure PostgreSQL and Redis run on this machine (CI and local tests).
	@./scripts/services.sh

test: install services ## The whole suite: guard rails (lint, format, import contract, types), migrations and catalogue checks, every test on PostgreSQL, Redis, a worker, Chromium.
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory contract
	$(MAKE) --no-print-directory typecheck
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory messages
	@git diff --quiet -I 'POT-Creation-Date' -- locale/ || { git --no-pager diff --stat -- locale/; echo "The catalogues are out of date: run 'make messages' and commit locale/."; exit 1; }
	$(MAKE) --no-print-directory compose-check
	$(PY) -m pytest -q --ds=tests.settings $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-sqlite

test-sqlite: ## The request, matching and API tests once more on SQLite, the zero-setup database.
	@mkdir -p var
	TEST_DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PY) -m pytest -q --ds=tests.settings \
		-m "not browser and not worker and not postgres" tests/api tests/matching tests/requests \
		tests/trust/test_sqlite_concurrency.py tests/trust/test_l2_guards.py tests/trust/test_l2_findings.py \
		tests/trust/test_api_strict_input.py

test-fast: ## The suite without the browser and worker tests, for a quick loop.
	$(PY) -m pytest -q --ds=tests.settings -m "not browser and not worker" $(PYTEST_ARGS)

lint: ## ruff: lint rules and formatting (`make format` fixes both).
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

contract: ## The import contract of pyproject.toml [tool.importlinter]: dependencies point one way.
	.venv/bin/lint-imports

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

typecheck: ## mypy with django-stubs (warn_unused_ignores: a stale "type: ignore" fails).
	DJANGO_DEBUG=1 .venv/bin/mypy burenhulp matching worker toolbox_content

bench: install services ## Print the benchmark tables (see bench/README.md).
	$(PIP) install --quiet --require-hashes -r requirements-bench.txt
	$(PY) -m bench $(BENCH_ARGS)

messages: ## Update the nl and fr catalogues from the code and templates.
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l nl -l fr --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --no-obsolete --add-location=file -v0
	$(PY) scripts/apply_translations.py
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Production values for the checks below: placeholders only, never used to run anything.
CHECK_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=burenhulp.example SITE_URL=https://burenhulp.example BURENHULP_TRUSTED_PROXY_COUNT=1 \
	DATABASE_URL=postgres://burenhulp:check@db:5432/burenhulp EMAIL_URL=smtp://check:check@smtp.example:587 \
	DOMAIN=burenhulp.example POSTGRES_PASSWORD=check ACME_EMAIL=ops@burenhulp.example \
	DEFAULT_FROM_EMAIL=noreply@burenhulp.example BURENHULP_ENV_FILE=/dev/null

check-deploy: ## Django's deployment checks with production values (as docker-compose.yml sets them).
	$(CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING

compose-check: ## Validate docker-compose.yml (compose v2 plugin if present, else docker-compose 1.29 from Debian).
	@if docker compose version >/dev/null 2>&1; then $(CHECK_ENV) docker compose config --quiet; \
	elif command -v docker-compose >/dev/null; then $(CHECK_ENV) docker-compose config -q; \
	else echo "Neither 'docker compose' nor 'docker-compose' is installed (apt-get install docker-compose)."; exit 1; fi \
	&& echo "docker-compose.yml is valid"

clean:
	rm -rf var/*.sqlite3 test-artifacts
