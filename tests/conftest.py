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


@pytest.fixture
def demo():
    """The demo list, loaded fresh (pages and rate-limit counters of earlier tests forgotten)."""
    from django.core.cache import cache

    from curation.demo.loader import load_demo

    cache.clear()
    return load_demo().curated_list
