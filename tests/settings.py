"""Test settings: the one place where tests differ from production settings. Tests name them explicitly
(`--ds=tests.settings`, and `DJANGO_SETTINGS_MODULE` in pyproject.toml); `burenhulp/settings.py` never guesses
whether it runs under a test runner.

Tests run against PostgreSQL (TEST_DATABASE_URL, default the local server) and the real Redis. `make test` then runs
the request, matching and API tests once more on SQLite (`make test-sqlite`: TEST_DATABASE_URL=sqlite:///…).
The variables below are set only where the environment does not set them, so the worker processes that tests start
inherit the same database, broker and cache.
"""

import os
from pathlib import Path

os.environ.setdefault(
    "DATABASE_URL", os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/burenhulp")
)
os.environ.setdefault("CELERY_BROKER_URL", os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/13"))
os.environ.setdefault("REDIS_CACHE_URL", os.environ.get("TEST_CACHE_URL", "redis://127.0.0.1:6379/14"))
os.environ.setdefault("EMAIL_URL", "memorymail://")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SITE_URL", "http://testserver")
# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from burenhulp.settings import *  # noqa: F403
from burenhulp.settings import DATABASES, STORAGES

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Ordinary tests run tasks in-process after commit (the same code the worker runs); the worker tests start a real
# Celery worker against Redis instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
SITE_URL = "http://testserver"
COORDINATOR_IDLE_SECONDS = 30 * 60
# The test client speaks plain HTTP and static files are not collected.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A test database in a file, not in shared memory: threads then hold real, separate connections, so concurrent
    # transactions behave as they do under `make run` (tests/trust/test_sqlite_concurrency.py).
    _name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_name.with_name(f"test-{_name.name}"))}
    # Emptied between transactional tests past the audit log's append-only trigger (tests/sqlite_backend/base.py).
    DATABASES["default"]["ENGINE"] = "tests.sqlite_backend"
# PostgreSQL emptied with DELETE between transactional tests (tests/pg_backend/base.py says why).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "tests.pg_backend"
