"""The suite runs on the database and cache CI asks for; a missing service fails in CI."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from tests.conftest import in_ci, require_or_skip


@pytest.mark.django_db
def test_database_is_the_one_requested():
    """DATABASE_URL is honoured: a PostgreSQL pass run on SQLite by mistake would prove nothing."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    if in_ci() and os.environ.get("EXPECT_DATABASE_VENDOR"):
        assert connection.vendor == os.environ["EXPECT_DATABASE_VENDOR"]


def test_redis_cache_round_trip():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    cache = RedisCache(url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        cache.set("probe", {"answer": 42}, timeout=30)
        reachable = True
    except Exception as error:
        reachable = False
        reason = f"Redis at {url} is not reachable: {error}"
    require_or_skip(reachable, reason if not reachable else "")
    assert cache.get("probe") == {"answer": 42}
    cache.delete("probe")
    assert cache.get("probe") is None


def test_configured_cache_works():
    """Whatever CACHE_URL configured (local memory by default, Redis in CI's second pass)."""
    cache = caches["default"]
    key = f"probe-{uuid.uuid4().hex}"
    cache.set(key, "value", timeout=30)
    assert cache.get(key) == "value"
