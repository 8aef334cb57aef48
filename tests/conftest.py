"""Shared test set-up. Factories live in tests/factories.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = (REPO_ROOT.parent / "shared").resolve()
CORPUS = SHARED_DIR / "corpus" / "awesome"
CORPUS_FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
LINT_TOOL = SHARED_DIR / "tools" / "awesome-lint-check"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_or_skip(condition: bool, reason: str) -> None:
    """Skip on a developer's machine when something external is missing; fail in CI."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests that log in many times use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def test_client_login_gives_axes_a_request(monkeypatch):
    """django-axes refuses ``authenticate()`` without a request (it could not count failures),
    and the test client's ``login()`` passes none: give it one, as the axes docs advise."""
    from django.http import HttpRequest
    from django.test.client import ClientMixin

    login = ClientMixin.login

    def login_with_request(self, **credentials):  # type: ignore[no-untyped-def]
        credentials.setdefault("request", HttpRequest())
        return login(self, **credentials)

    monkeypatch.setattr(ClientMixin, "login", login_with_request)


@pytest.fixture
def demo():
    """The demo list, loaded fresh (pages and rate-limit counters of earlier tests forgotten)."""
    from django.core.cache import cache

    from curation.demo.loader import load_demo

    cache.clear()
    return load_demo().curated_list
