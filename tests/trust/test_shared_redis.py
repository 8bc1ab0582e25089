"""Two deployments that share one Redis server keep their own throttles and lockouts (issue #14, "found by other
checks"). Before, the cache was always database 1 of the broker's server, with no key prefix: a lockout in one
municipality's platform locked the same address in the other's, and each could clear the other's counters."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache

from tests.core.test_settings import load, production


def cache_of(values: dict[str, Any]) -> RedisCache:
    config = dict(values["CACHES"]["default"])
    assert config.pop("BACKEND") == "django.core.cache.backends.redis.RedisCache"
    return RedisCache(config.pop("LOCATION"), config)


def test_the_cache_database_follows_the_brokers() -> None:
    assert load(**production(CELERY_BROKER_URL="redis://redis:6379/0"))["REDIS_CACHE_URL"] == "redis://redis:6379/1"
    first = load(**production(CELERY_BROKER_URL="redis://shared:6379/2"))["REDIS_CACHE_URL"]
    second = load(**production(CELERY_BROKER_URL="redis://shared:6379/4"))["REDIS_CACHE_URL"]
    assert (first, second) == ("redis://shared:6379/3", "redis://shared:6379/5")


@pytest.fixture
def two_sites() -> Iterator[tuple[RedisCache, RedisCache]]:
    """Two deployments pointed at the very same Redis database (the test's cache database)."""
    shared = os.environ["REDIS_CACHE_URL"]
    a = cache_of(load(**production(SITE_URL="https://burenhulp.gent.example", REDIS_CACHE_URL=shared)))
    b = cache_of(load(**production(SITE_URL="https://burenhulp.brugge.example", REDIS_CACHE_URL=shared)))
    yield a, b
    a.clear()


def test_two_sites_on_one_redis_database_do_not_share_lockouts(two_sites: tuple[RedisCache, RedisCache]) -> None:
    a, b = two_sites
    key = "allauth:rl:login_failed:key:target@example.org"
    for _ in range(10):
        a.add(key, 0)
        a.incr(key)
    assert a.get(key) == 10
    assert b.get(key) is None
    b.set(key, 1)
    assert a.get(key) == 10
