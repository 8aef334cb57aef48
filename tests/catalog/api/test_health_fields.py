"""Integrators read each entry's link health and repository state, and filter by them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from catalog.models import LinkHealth, RepositoryInfo
from tests.factories import EntryFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(settings):
    settings.REPOSITORY_STALE_AFTER_DAYS = 365
    section = SectionFactory()
    now = timezone.now()
    dead = EntryFactory(section=section, title="Dead", url="https://github.com/o/dead")
    LinkHealth.objects.create(
        entry=dead,
        state="dead",
        checked_url=dead.url,
        status_code=404,
        error="HTTP 404",
        checked_at=now,
        consecutive_failures=3,
        first_failed_at=now - dt.timedelta(days=5),
    )
    RepositoryInfo.objects.create(
        entry=dead,
        forge="github",
        host="github.com",
        full_name="o/dead",
        url=dead.url,
        stars=7,
        archived=True,
        license="MIT",
        last_activity_at=now - dt.timedelta(days=800),
        fetched_at=now,
    )
    stale = EntryFactory(section=section, title="Stale", url="https://codeberg.org/o/stale")
    RepositoryInfo.objects.create(
        entry=stale,
        forge="gitea",
        host="codeberg.org",
        full_name="o/stale",
        url=stale.url,
        last_activity_at=now - dt.timedelta(days=400),
        fetched_at=now,
    )
    plain = EntryFactory(section=section, title="Plain")
    return section.curated_list, dead, stale, plain


def titles(response):
    return sorted(row["title"] for row in response.json()["results"])


def test_an_entry_carries_its_link_health_and_repository(client, entries):
    _, dead, _, plain = entries
    data = client.get(f"/api/entries/{dead.pk}/").json()
    assert data["link_health"] == {
        "state": "dead",
        "status_code": 404,
        "redirect_to": "",
        "error": "HTTP 404",
        "checked_at": data["link_health"]["checked_at"],
        "consecutive_failures": 3,
    }
    assert data["repository"]["forge"] == "github"
    assert data["repository"]["archived"] is True
    assert data["repository"]["stars"] == 7
    assert data["repository"]["license"] == "MIT"
    empty = client.get(f"/api/entries/{plain.pk}/").json()
    assert empty["link_health"] is None
    assert empty["repository"] is None


def test_filters(client, entries):
    curated_list = entries[0]
    base = {"list": curated_list.slug}
    assert titles(client.get("/api/entries/", {**base, "link": "dead"})) == ["Dead"]
    assert titles(client.get("/api/entries/", {**base, "link": "unchecked"})) == ["Plain", "Stale"]
    assert titles(client.get("/api/entries/", {**base, "repository": "archived"})) == ["Dead"]
    assert titles(client.get("/api/entries/", {**base, "repository": "stale"})) == ["Stale"]
    refused = client.get("/api/entries/", {**base, "link": "sort-of"})
    assert refused.status_code == 400
    assert "link" in refused.json()["errors"]


def test_no_query_per_entry(client, entries, django_assert_num_queries):
    curated_list = entries[0]
    # As without health: joined, not queried; +1 for the list's id, under which the page is
    # cached (catalog.api.caching): the next request for it runs none.
    with django_assert_num_queries(4):
        client.get("/api/entries/", {"list": curated_list.slug})
    with django_assert_num_queries(0):
        client.get("/api/entries/", {"list": curated_list.slug})
