"""Every cached public endpoint (issue 15): the list page and its README, the list document,
the list's and the site's feeds, tag pages, the home page and the API's pages of a list.

- nothing is stale: publishing an entry, archiving one or renaming a section shows at once on
  every one of them (and their old ETag no longer answers 304);
- a hit runs no SQL query, a miss a fixed number whatever the size of the list;
- a hit costs one round trip to Redis (a real redis-server), with one Redis client reused;
- after the workflow changes a list, its page is rebuilt in the background: the next visitor
  is served from the cache.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from catalog import pagecache
from catalog.models import CuratedList, Entry, Section
from curation import services
from curation.models import Review, Verdict
from curation.services import EntryContent
from tests.catalog.test_list_page import bulk_list
from tests.config.test_cache import redis_cache  # noqa: F401  (a redis-server of the test's own)
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    ExtraLinkFactory,
    MembershipFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def endpoints(slug: str, tag: str) -> dict[str, str]:
    return {
        "list page": f"/lists/{slug}/",
        "README": f"/lists/{slug}/README.md",
        "document": f"/api/lists/{slug}/document/",
        "list Atom feed": f"/lists/{slug}/feed.atom",
        "list JSON feed": f"/lists/{slug}/feed.json",
        "site Atom feed": "/feed.atom",
        "site JSON feed": "/feed.json",
        "tag page": f"/lists/{slug}/tags/{tag}/",
        "home": "/",
        "API entries of the list": f"/api/entries/?list={slug}",
        "API list": f"/api/lists/{slug}/",
        "API sections": f"/api/lists/{slug}/sections/",
        "API lists": "/api/lists/",
    }


# Where an entry's title shows (the others show counts, which change too).
SHOWS_TITLES = {
    "list page",
    "README",
    "document",
    "list Atom feed",
    "list JSON feed",
    "site Atom feed",
    "site JSON feed",
    "tag page",
    "API entries of the list",
}
# Where a section's title shows.
SHOWS_SECTIONS = {
    "list page",
    "README",
    "document",
    "list JSON feed",
    "API sections",
    "API entries of the list",
}


def queries_and_response(client: Any, url: str, **headers: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return len(captured.captured_queries), response


def small_list() -> tuple[CuratedList, Section, Any, Any]:
    curated_list = CuratedListFactory(slug="fresh", title="Fresh List")
    web = SectionFactory(curated_list=curated_list, title="Web")
    for title in ("Django", "Flask"):
        EntryFactory(section=web, title=title, tags=["Python"])
    curator = MembershipFactory(curated_list=curated_list, role="curator").user
    reviewer = MembershipFactory(curated_list=curated_list, role="reviewer").user
    return curated_list, web, curator, reviewer


def warm_all(client: Any, urls: dict[str, str]) -> dict[str, Any]:
    """Every endpoint, asked twice: the second answer comes from the cache, with no query."""
    before = {}
    for name, url in urls.items():
        first = client.get(url)
        assert first.status_code == 200, name
        count, again = queries_and_response(client, url)
        assert (count, again.status_code) == (0, 200), name  # cached now
        assert again.content == first.content, name
        assert first["ETag"], name
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304, name
        before[name] = first
    return before


def assert_all_changed(client: Any, urls: dict[str, str], before: dict[str, Any]) -> dict:
    after = {}
    for name, url in urls.items():
        response = client.get(url, headers={"if-none-match": before[name]["ETag"]})
        assert response.status_code == 200, f"{name}: still 304 after the change"
        assert response.content != before[name].content, f"{name}: stale"
        assert response["ETag"] != before[name]["ETag"], name
        after[name] = response.content.decode()
    return after


def test_publishing_an_entry_shows_at_once_on_every_cached_endpoint(
    client, django_capture_on_commit_callbacks
):
    curated_list, web, curator, reviewer = small_list()
    urls = endpoints(curated_list.slug, "python")
    before = warm_all(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.entry_create(
            actor=curator,
            content=EntryContent(
                section=web, title="Starlette", url="https://starlette.dev", tags=("Python",)
            ),
        )
    for name, url in urls.items():  # a draft changes nothing: still cached, still 304
        count, response = queries_and_response(
            client, url, **{"if-none-match": before[name]["ETag"]}
        )
        assert (count, response.status_code) == (0, 304), name
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(actor=curator, entry=entry)
        services.entry_approve(actor=reviewer, entry=entry)
        services.entry_publish(actor=curator, entry=entry)
    after = assert_all_changed(client, urls, before)
    for name in SHOWS_TITLES:
        assert "Starlette" in after[name], name
    assert "3 links" in after["home"]


def test_archiving_an_entry_shows_at_once_on_every_cached_endpoint(
    client, django_capture_on_commit_callbacks
):
    curated_list, _, curator, _ = small_list()
    urls = endpoints(curated_list.slug, "python")
    before = warm_all(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_archive(actor=curator, entry=Entry.objects.get(title="Django"))
    after = assert_all_changed(client, urls, before)
    for name in SHOWS_TITLES:
        assert "Django" not in after[name], name
        assert "Flask" in after[name], name
    assert "1 link " in after["home"]


def test_renaming_a_section_shows_at_once_on_every_endpoint_that_names_it(
    client, django_capture_on_commit_callbacks
):
    curated_list, web, _, _ = small_list()
    urls = endpoints(curated_list.slug, "python")
    shown = {name: url for name, url in urls.items() if name in SHOWS_SECTIONS}
    before = warm_all(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        web.title = "Webby"
        web.save()  # as the admin does: the save, then the paths
        Section.objects.renumber(curated_list)
    after = assert_all_changed(client, shown, before)
    for name in SHOWS_SECTIONS:
        assert "Webby" in after[name], name


def test_a_members_api_request_is_not_served_the_public_page(client):
    """A member reads the list's pending entries through the API: never from (nor into) the
    anonymous cache."""
    curated_list, web, curator, _ = small_list()
    EntryFactory(section=web, title="Pending One", status=Entry.Status.DRAFT)
    url = f"/api/entries/?list={curated_list.slug}"
    assert "Pending One" not in client.get(url).content.decode()
    assert queries_and_response(client, url)[0] == 0  # cached for anonymous readers
    token = Token.objects.create(user=curator).key
    member = client.get(url, headers={"authorization": f"Token {token}"})
    assert "Pending One" in member.content.decode()
    assert "Pending One" not in client.get(url).content.decode()  # nor kept for the others


def test_a_cached_api_page_keeps_its_query_string_and_host(client):
    curated_list, *_ = small_list()
    url = f"/api/entries/?list={curated_list.slug}&page_size=1"
    first = client.get(url).json()
    second = client.get(url + "&page=2").json()
    assert first["results"][0]["title"] != second["results"][0]["title"]
    assert first["next"].startswith("http://testserver/")
    elsewhere = client.get(url, HTTP_HOST="localhost").json()  # ALLOWED_HOSTS in tests
    assert elsewhere["next"].startswith("http://localhost/")
    refused = client.get(f"/api/entries/?list={curated_list.slug}&page_size=nope")
    assert refused.status_code == 400  # refusals are not cached
    unknown = "/api/entries/?list=no-such-list"
    assert client.get(unknown).json()["results"] == []  # as the handler answers it, uncached
    assert queries_and_response(client, unknown)[0] > 0


@pytest.mark.parametrize(
    ("name", "miss"),
    [
        ("document", 8),
        ("list Atom feed", 4),
        ("list JSON feed", 4),
        ("site Atom feed", 2),
        ("site JSON feed", 2),
        ("tag page", 7),
        ("home", 1),
        ("API entries of the list", 4),
        ("API list", 4),
        ("API sections", 3),
        ("API lists", 3),
    ],
)
def test_query_counts_are_flat_in_the_list_size_and_zero_on_a_hit(client, name, miss):
    """The list page's own counts are pinned in test_list_page."""
    counts = {}
    for size, slug in [(20, "small"), (2000, "large")]:
        curated_list = bulk_list(size, slug)
        url = endpoints(curated_list.slug, "mit")[name]
        cold, response = queries_and_response(client, url)
        assert response.status_code == 200, response.content[:300]
        hot, again = queries_and_response(client, url)
        assert again.content == response.content
        counts[size] = (cold, hot)
    assert counts == {20: (miss, 0), 2000: (miss, 0)}


@pytest.mark.parametrize("together", [1, 2])
def test_the_workflow_rebuilds_the_list_page_in_the_background(
    client, django_capture_on_commit_callbacks, together
):
    """The first visitor after a publish does not render the page: the task did (in-process
    with the default task backend, on a worker with the database one). Also when one
    transaction publishes two entries (as a bulk action does): the list changed once, and the
    second entry's writes, which come after, do not drop the rebuilt page at their commit."""
    _, web, curator, reviewer = small_list()
    entries = []
    for title in ["Starlette", "Quart"][:together]:
        entry = EntryFactory(section=web, title=title, status=Entry.Status.APPROVED)
        Review.objects.create(
            entry=entry, reviewer=reviewer, verdict=Verdict.APPROVE, entry_revision=1
        )
        entries.append(entry)
    for url in ("/lists/fresh/", "/api/lists/fresh/document/", "/"):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for entry in entries:
            services.entry_publish(actor=curator, entry=entry)
    for url in ("/lists/fresh/", "/api/lists/fresh/document/", "/"):
        count, response = queries_and_response(client, url)
        assert count == 0, url
        for entry in entries:
            assert entry.title in response.content.decode() or url == "/", url
    assert f"{2 + together} links" in client.get("/").content.decode()


# --- On a real Redis ------------------------------------------------------------------------


class RoundTrips:
    """Counts what is sent to Redis: one packed command (a GET, an MGET, a whole pipeline) is
    one round trip."""

    def __init__(self, monkeypatch: Any) -> None:
        import redis.connection

        self.count = 0
        send = redis.connection.AbstractConnection.send_packed_command

        def counted(connection: Any, command: Any, check_health: bool = True) -> None:
            self.count += 1
            return send(connection, command, check_health)

        monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)

    def of(self, client: Any, url: str) -> tuple[int, Any]:
        start = self.count
        response = client.get(url)
        return self.count - start, response


def test_a_hit_is_one_round_trip_to_redis(
    client,
    redis_cache,  # noqa: F811
    monkeypatch,
    settings,
):
    # The API's rate limits count in the cache too (their own round trips): off here.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    curated_list, *_ = small_list()
    trips = RoundTrips(monkeypatch)
    urls = endpoints(curated_list.slug, "python")
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name
        count, response = trips.of(client, url)
        assert response.status_code == 200, name
        assert count == 1, name
    # A process that does not hold the page (another worker): still one round trip.
    with pagecache._local_lock:
        pagecache._local.clear()
    count, response = trips.of(client, urls["list page"])
    assert (count, response.status_code) == (1, 200)
    # The same Redis client for every command.
    backend = cache._cache  # type: ignore[attr-defined]
    assert backend.get_client() is backend.get_client()


def test_on_redis_a_change_drops_the_page_everywhere(
    client,
    redis_cache,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    curated_list, _, curator, _ = small_list()
    urls = endpoints(curated_list.slug, "python")
    before = warm_all(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_archive(actor=curator, entry=Entry.objects.get(title="Django"))
    assert_all_changed(client, urls, before)
    # A page of a list recreated under the slug without any signal is not served either.
    old = CuratedListFactory(slug="flushed", title="Old Title")
    assert "Old Title" in client.get("/lists/flushed/").content.decode()
    CuratedList.objects.filter(pk=old.pk)._raw_delete(using="default")
    CuratedListFactory(slug="flushed", title="New Title")
    assert "New Title" in client.get("/lists/flushed/").content.decode()


# --- Health figures, written in bulk (no model signal) ---------------------------------------


def test_a_link_check_and_a_metadata_refresh_show_at_once_in_the_cached_api_pages(client, settings):
    from curation.health.links import check_links
    from curation.health.metadata import refresh_metadata
    from tests.curation.health.fakeforges import FakeForges
    from tests.curation.health.servers import LocalServer, Reply

    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.LINK_CHECK = {**settings.LINK_CHECK, "TIMEOUT": 2.0, "RETRIES": 0}
    curated_list = CuratedListFactory(slug="checked")
    section = SectionFactory(curated_list=curated_list)
    url = f"/api/entries/?list={curated_list.slug}"
    with LocalServer() as server, FakeForges() as forges:
        settings.REPOSITORY_FORGES = forges.forge_settings()
        forges.add_github("owner/tool")
        entry = EntryFactory(section=section, url=server.route("/gone", Reply(404)))
        ExtraLinkFactory(entry=entry, label="Source Code", url="https://github.com/owner/tool")
        assert client.get(url).json()["results"][0]["link_health"] is None
        assert queries_and_response(client, url)[0] == 0  # cached

        check_links(curated_list=curated_list)
        assert client.get(url).json()["results"][0]["link_health"]["state"] == "failing"

        assert client.get(url).json()["results"][0]["repository"] is None
        refresh_metadata(curated_list=curated_list)
        assert client.get(url).json()["results"][0]["repository"] is not None
