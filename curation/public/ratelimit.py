"""A per-address limit on suggestions, counted in the cache (shared by every app server when the
cache is Redis). Fixed windows: simple, and a burst at a window's edge costs at most double.

Only what was accepted counts (:func:`hit` after the suggestion is stored): a duplicate, a bad
link or a honeypot does not use up a visitor's allowance; :func:`exceeded` checks it before."""

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


def _key(request: HttpRequest, scope: str) -> tuple[str, int, int]:
    limit, window = getattr(settings, "SUGGESTION_RATE_LIMIT", DEFAULT_LIMIT)
    key = f"ratelimit:{scope}:{client_address(request)}:{int(time.time() // window)}"
    return key, limit, window


def exceeded(request: HttpRequest, scope: str = "suggest") -> bool:
    """Whether the address has used up its allowance in this window (counts nothing)."""
    key, limit, _window = _key(request, scope)
    return int(cache.get(key) or 0) >= limit


def hit(request: HttpRequest, scope: str = "suggest") -> bool:
    """Count one accepted suggestion; True while the address is within its limit."""
    key, limit, window = _key(request, scope)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
