"""Django's Redis cache, made to degrade instead of failing when Redis does not answer.

Everything the site keeps in the cache can be rebuilt or done without: the public pages are
rendered again, a rate limit counts nothing while Redis is away. So an unreachable Redis is a
slower site, never a server error: a read misses, a write is dropped, ``incr`` behaves as for
a missing key (``ValueError``, which every caller already handles). Each failure is logged (at
most one line per ``LOG_EVERY`` seconds per process, so an outage does not flood the log), and
``reachable()`` tells ``/healthz`` the truth.

A deletion lost in an outage is an invalidation lost: a page dropped while Redis was away would
be served, stale, once it is back. So the first operation that succeeds after a lost deletion
sends ``catalog.signals.cache_deletions_lost`` (the page cache then forgets every list's
version) before answering.

Only losing the connection is absorbed; any other Redis error (a bug of ours) still raises.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
LOG_EVERY = 30.0  # seconds

T = TypeVar("T")
_last_logged = 0.0
_log_lock = threading.Lock()
_deletions_lost = False  # in this process, since the cache last answered


def _log_outage(operation: str, error: BaseException) -> None:
    global _last_logged
    now = time.monotonic()
    with _log_lock:
        if now - _last_logged < LOG_EVERY:
            return
        _last_logged = now
    logger.error(
        "Cache unreachable (%s: %s); answering without it. Further failures are logged at "
        "most every %d s.",
        operation,
        error,
        LOG_EVERY,
    )


def _recover() -> None:
    """After an outage that lost deletions: let the caches built on this one forget."""
    global _deletions_lost
    with _log_lock:
        if not _deletions_lost:
            return
        _deletions_lost = False
    from catalog.signals import cache_deletions_lost

    logger.warning("Cache reachable again; deletions were lost meanwhile: forgetting pages.")
    cache_deletions_lost.send_robust(sender=None)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool: Django's
    makes a new one for every operation, which cost a quarter of a cached page's hit. A
    ``redis.Redis`` is safe to share (each command takes a connection from the pool)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # (Django's private helpers, which its stubs do not declare.)
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: Any, params: Any) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _degrade(self, operation: str, call: Callable[[], T], fallback: T) -> T:
        global _deletions_lost
        try:
            result = call()
        except UNREACHABLE as error:
            _log_outage(operation, error)
            if operation in ("delete", "delete_many", "clear"):
                _deletions_lost = True
            return fallback
        if _deletions_lost:
            _recover()
        return result

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._degrade(
            "add", lambda: RedisCache.add(self, key, value, timeout, version), False
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._degrade("get", lambda: RedisCache.get(self, key, default, version), default)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._degrade("set", lambda: RedisCache.set(self, key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._degrade("touch", lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._degrade("delete", lambda: RedisCache.delete(self, key, version), False)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._degrade("get_many", lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._degrade("has_key", lambda: RedisCache.has_key(self, key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            _log_outage("incr", error)
            raise ValueError(f"Key {key!r} not found (the cache is unreachable).") from error

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return self._degrade(
            "set_many", lambda: RedisCache.set_many(self, data, timeout, version), list(data)
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._degrade("delete_many", lambda: RedisCache.delete_many(self, keys, version), None)

    def clear(self) -> None:
        self._degrade("clear", lambda: RedisCache.clear(self), None)


def reachable(cache: Any) -> bool:
    """Whether ``cache`` keeps what is put in it now: a write and a read of a fresh token."""
    key, token = "healthz:probe", secrets.token_hex(8)
    try:
        cache.set(key, token, 10)
        return bool(cache.get(key) == token)
    except Exception:  # any backend, any failure: the answer is "no"
        logger.exception("The cache probe failed")
        return False
