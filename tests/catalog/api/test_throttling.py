"""The API throttles count atomically: under concurrency exactly the limit is let through
(issue 17: 1,844 requests passed a limit of 1,000 with DRF's read-append-write history)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from rest_framework.request import Request

from catalog.api.throttling import AnonThrottle

REDIS = "redis://127.0.0.1:6379/7"


@pytest.fixture
def redis_cache():
    cache = RedisCache(REDIS, {"KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}"})
    try:
        cache.get("ping")
    except Exception as error:
        pytest.fail(f"Redis is not running on {REDIS}: {error}")
    yield cache
    cache.clear()


def test_concurrent_anonymous_requests_get_exactly_the_limit(redis_cache, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "60/hour", "user": None},
    }
    request = Request(RequestFactory().get("/api/lists/", REMOTE_ADDR="203.0.113.9"))
    allowed: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(16)

    def client() -> None:
        start.wait()
        for _ in range(15):
            throttle = AnonThrottle()
            throttle.cache = redis_cache
            verdict = throttle.allow_request(request, None)
            with lock:
                allowed.append(verdict)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 240
    assert allowed.count(True) == 60


def test_a_refused_client_is_told_when_to_come_back(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": None},
    }
    from django.core.cache import cache

    cache.clear()
    request = Request(RequestFactory().get("/api/lists/", REMOTE_ADDR="203.0.113.10"))
    throttle = AnonThrottle()
    assert throttle.allow_request(request, None)
    assert not throttle.allow_request(request, None)
    assert 0 < throttle.wait() <= 60
