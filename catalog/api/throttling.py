"""Rate limits for anonymous and signed-in clients, read from the settings on every request.

DRF's own throttles copy ``DEFAULT_THROTTLE_RATES`` once, at import; reading them per request
lets a deployment (``API_THROTTLE_ANON`` / ``API_THROTTLE_USER``) and a test change them.
A rate of ``None`` switches that limit off.

DRF's own counting reads the client's history from the cache, appends and writes it back: two
app servers (or two threads) reading at once both write one more, and under 200 concurrent
connections a limit of 1,000 let 1,844 requests through. Here each client has one counter per
window, and the cache increments it (``cache.incr``, atomic in Redis and in the local-memory
cache): exactly ``num_requests`` are allowed per window, whatever the concurrency. The windows
are fixed (1,000/hour: from the top of the hour), so a client may spend one window's budget at
its end and the next one's at its start.
"""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class AtomicCounting(SimpleRateThrottle):
    window_end: float = 0.0

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None or self.num_requests is None or self.duration is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.key = f"{key}:{window}"
        self.window_end = (window + 1) * self.duration
        count = self._increment(self.key, self.duration + 1)
        return count <= self.num_requests

    def _increment(self, key: str, timeout: int) -> int:
        if self.cache.add(key, 1, timeout):
            return 1
        try:
            return int(self.cache.incr(key))
        except ValueError:  # expired between add and incr: this request opens the window
            self.cache.add(key, 1, timeout)
            return 1

    def wait(self) -> float | None:
        return max(0.0, self.window_end - self.timer())


class AnonThrottle(AtomicCounting, AnonRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(AtomicCounting, UserRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
