"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest

from config.settings import cache_from_url
from tests.conftest import REPO_ROOT


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(tmp_path) -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "curator.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "CACHE_URL": "locmemcache://",
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_without_secret_key_refuses_to_start(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_debug_runs_without_secret_key(tmp_path):
    env = {"DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}"}
    result = run_manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_redis_cache_url_uses_djangos_own_backend_made_resilient():
    from django.core.cache.backends.redis import RedisCache
    from django.utils.module_loading import import_string

    config = cache_from_url("redis://127.0.0.1:6379/2")
    assert config["BACKEND"] == "config.cache.ResilientRedisCache"
    assert issubclass(import_string(config["BACKEND"]), RedisCache)
    assert config["LOCATION"] == "redis://127.0.0.1:6379/2"
    # a Redis that does not answer holds a request half a second, not forever
    assert config["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def test_default_cache_is_local_memory():
    assert cache_from_url("locmemcache://")["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("dbcache://cache_table", "django.core.cache.backends.db.DatabaseCache"),
        ("dummycache://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_other_cache_urls(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend


def test_env_example_documents_every_variable_the_settings_read():
    source = (REPO_ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    documented = set(re.findall(r"^([A-Z_]+)=", (REPO_ROOT / ".env.example").read_text(), re.M))
    assert read, "the pattern found no variable: the test would prove nothing"
    assert read - documented == set()
