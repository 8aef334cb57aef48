import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and rate-limit counters of one test never reach the next."""
    cache.clear()
    yield
    cache.clear()
