"""Rate limits for anonymous and signed-in clients, read from the settings on every request.

DRF's own throttles copy ``DEFAULT_THROTTLE_RATES`` once, at import; reading them per request
lets a deployment (``API_THROTTLE_ANON`` / ``API_THROTTLE_USER``) and a test change them.
A rate of ``None`` switches that limit off.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
