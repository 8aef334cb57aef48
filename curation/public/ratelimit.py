"""A per-address limit on suggestions, counted in the cache (shared by every app server when the
cache is Redis). Fixed windows: simple, and a burst at a window's edge costs at most double."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from config.security import client_ip

DEFAULT_LIMIT = (10, 60 * 60)  # suggestions, per this many seconds


def client_address(request: HttpRequest) -> str:
    # The address the sign-in lockout and the API throttles count by: REMOTE_ADDR, or behind
    # DJANGO_PROXY_COUNT trusted proxies the one they saw. Trusting X-Forwarded-For without
    # them would let a bot pick a fresh address per request; ignoring it behind a load
    # balancer would make every visitor share one limit.
    return client_ip(request) or "unknown"


def hit(request: HttpRequest, scope: str = "suggest") -> bool:
    """Count one attempt; True while the address is within its limit."""
    limit, window = getattr(settings, "SUGGESTION_RATE_LIMIT", DEFAULT_LIMIT)
    key = f"ratelimit:{scope}:{client_address(request)}:{int(time.time() // window)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
