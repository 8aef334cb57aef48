from tests.catalog.api.conftest import api, no_throttling  # noqa: F401  (shared fixtures)
