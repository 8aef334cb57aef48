"""Redis stops while the site runs: every page, the API, submissions and "Publish now" still
answer (uncached), ``/healthz`` says the cache is unreachable, the log says so once.

A real ``redis-server`` on a free port of its own, started and stopped by the test; missing, it
skips on a developer's machine and fails in CI (``require_or_skip``).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import Entry
from config import cache as resilient
from curation import services
from tests.conftest import require_or_skip
from tests.curation.conftest import team  # noqa: F401  (the editorial team fixture)
from tests.subprocesses import free_port

pytestmark = pytest.mark.django_db
S = Entry.Status


@contextmanager
def redis_server(
    port: int | None = None, persist_in: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A redis-server of the test's own; ``persist_in`` keeps its data across a restart there
    (every write appended and synced), as a production Redis with persistence does."""
    binary = shutil.which("redis-server")
    require_or_skip(binary is not None, "redis-server is not installed")
    assert binary is not None
    port = port or free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    if persist_in is None:
        args += ["--appendonly", "no"]
    else:
        args += ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(persist_in)]
    process = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process.port = port  # type: ignore[attr-defined]
    try:
        deadline = time.monotonic() + 10
        import redis

        while True:
            try:
                redis.Redis(port=port, socket_connect_timeout=0.2).ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError("redis-server did not start") from None
                time.sleep(0.05)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def redis_cache(settings, monkeypatch, tmp_path):
    """The site's cache on a redis-server of the test's own, as ``CACHE_URL=redis://…`` sets it
    (its data kept in ``tmp_path`` across a restart)."""
    with redis_server(persist_in=tmp_path) as process:
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{process.port}/0",  # type: ignore[attr-defined]
                "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        monkeypatch.setattr(resilient, "_last_logged", -1e9)
        # Whatever an earlier test left in this process (a deletion lost to a timeout under
        # load) is not this test's outage.
        monkeypatch.setattr(resilient, "_deletions_lost", False)
        yield process


def test_redis_stopped_mid_test_is_never_a_server_error(
    client,
    team,  # noqa: F811  (the fixture imported above)
    redis_cache,
    caplog,
    django_capture_on_commit_callbacks,
):
    slug = team.curated_list.slug
    team.entry(S.PUBLISHED, title="Live before")
    to_publish = team.approved(title="Published during the outage")
    pages = [
        reverse("catalog:list-detail", args=[slug]),
        reverse("catalog:list-readme", args=[slug]),
        reverse("catalog:list-feed-atom", args=[slug]),
        f"/api/lists/{slug}/document/",
        "/api/lists/",
        "/api/entries/",
    ]
    for page in pages:  # warm: the cache holds them now
        assert client.get(page).status_code == 200, page
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert cache.get(f"listpage:html:{slug}") is not None  # Redis really held the page

    stop(redis_cache)
    caplog.clear()  # what the outage logs, from here on
    caplog.set_level(logging.ERROR, logger="config.cache")

    # Every read still answers (the test client would raise on a server error).
    for page in pages:
        assert client.get(page).status_code == 200, page
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}

    # A submission through the API (its rate limit counts in the cache).
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=team.author).key}")
    created = api.post(
        f"/api/lists/{slug}/submissions/",
        {"section": team.frameworks.pk, "title": "Via API", "url": "https://api.example.org/"},
        format="json",
    )
    assert created.status_code == 201, created.content

    # A visitor's suggestion (its per-address limit counts in the cache too).
    suggested = client.post(
        reverse("suggest:create", args=[slug]),
        {
            "url": "https://suggested.example.org/",
            "title": "Suggested",
            "description": "",
            "section": team.frameworks.pk,
            "email": "",
            "homepage": "",
        },
    )
    assert suggested.status_code == 302, suggested.content.decode()[-2000:]

    # "Publish now" in the admin; the page, not cached, shows the entry at once.
    client.force_login(team.curator)
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(
            reverse("admin:catalog_entry_decide", args=[to_publish.pk]),
            {"action": "publish", "revision": to_publish.revision, "comment": ""},
        )
    assert published.status_code == 302
    to_publish.refresh_from_db()
    assert to_publish.status == S.PUBLISHED
    client.logout()
    assert "Published during the outage" in client.get(pages[0]).content.decode()
    assert "Published during the outage" in client.get(pages[1]).content.decode()

    logged = [r.getMessage() for r in caplog.records if r.name == "config.cache"]
    assert len(logged) == 1, logged  # once, not once per request
    assert "Cache unreachable" in logged[0]
    assert "Connection refused" in logged[0] or "Error" in logged[0]


def test_the_cache_comes_back_after_an_outage_without_stale_pages(
    client,
    team,  # noqa: F811
    redis_cache,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    """Redis restarts on its port with the data it had: the same app process uses it again,
    and a page invalidated while Redis was away (the deletion lost) is not served stale."""
    slug = team.curated_list.slug
    page = reverse("catalog:list-detail", args=[slug])
    team.entry(S.PUBLISHED, title="Live before")
    entry = team.approved(title="Published during the outage")
    assert client.get(page).status_code == 200  # cached in Redis, persisted
    stop(redis_cache)
    assert client.get("/healthz").json()["cache"] == "unreachable"
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_publish(actor=team.curator, entry=entry)  # its invalidation is lost

    with redis_server(port=redis_cache.port, persist_in=tmp_path):
        assert cache.get(f"listpage:html:{slug}") is not None  # the old page is back
        assert client.get("/healthz").json()["cache"] == "ok"
        assert "Published during the outage" in client.get(page).content.decode()
        assert cache.get(f"listpage:html:{slug}") is not None  # cached again
