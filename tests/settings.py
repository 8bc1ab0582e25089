"""Test settings: the one place where tests differ from production settings.

Tests run against PostgreSQL (TEST_DATABASE_URL, default the local server) and the real Redis. `make test` then runs
the request, matching and API tests once more on SQLite (`make test-sqlite`: TEST_DATABASE_URL=sqlite:///…).
"""

import os

os.environ.setdefault("BURENHULP_TESTING", "1")
os.environ.setdefault(
    "DATABASE_URL", os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/burenhulp")
)
os.environ.setdefault("CELERY_BROKER_URL", os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/13"))
os.environ.setdefault("REDIS_CACHE_URL", os.environ.get("TEST_CACHE_URL", "redis://127.0.0.1:6379/14"))
os.environ.setdefault("EMAIL_URL", "memorymail://")
# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from burenhulp.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Ordinary tests run tasks in-process after commit (the same code the worker runs); the worker tests start a real
# Celery worker against Redis instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
SITE_URL = "http://testserver"
COORDINATOR_IDLE_SECONDS = 30 * 60
# PostgreSQL emptied with DELETE between transactional tests (tests/pg_backend/base.py says why).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.pg_backend"  # noqa: F405
