"""Shared by the API tests (tests/catalog/api/, tests/curation/api/)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def no_throttling(settings):
    """Rate limits count requests in the cache, which outlives a test (Redis in CI): switch
    them off here; tests/curation/api/test_writes.py::test_throttling turns one back on."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


@pytest.fixture
def api():
    return APIClient()
