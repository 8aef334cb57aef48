"""``GET /api/entries/`` serialises plain rows (``catalog.api.rows``), not model instances
through ``EntrySerializer``: the answer is still the serializer's, field for field and value
for value, it still matches the committed schema.yml, a list-scoped page is sorted without the
list's title, and the query count does not grow with the list (issue 15)."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from catalog.api.filters import EntryFilter
from catalog.api.serializers import EntrySerializer
from catalog.models import Entry, EntryPlacement, LinkHealth, RepositoryInfo
from tests.catalog.test_list_page import bulk_list
from tests.curation.api.test_schema_agreement import _components, _json_schema
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    ExtraLinkFactory,
    MarkerFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Entry.Status


@pytest.fixture
def sample(settings):
    """Two lists; the sample one with nested sections, a placement, markers, tags, links,
    table attributes, link health, a repository, a proposal and entries in every state."""
    settings.REPOSITORY_STALE_AFTER_DAYS = 1  # Django's repository, 2 days quiet, is stale
    now = timezone.now()
    curated_list = CuratedListFactory(slug="sample", title="Sample")
    another = CuratedListFactory(slug="another", title="Another")  # sorts first by title
    web = SectionFactory(curated_list=curated_list, title="Web")
    frameworks = SectionFactory(parent=web, title="Frameworks")
    cli = SectionFactory(curated_list=curated_list, title="CLI")
    # Created in the other order than the legend's, so that only the legend's order (position)
    # lists star before old.
    old = MarkerFactory(curated_list=curated_list, symbol="💀", slug="old", label="Old", position=9)
    star = MarkerFactory(curated_list=curated_list, symbol="⭐", slug="star", label="S", position=1)
    django = EntryFactory(
        section=frameworks,
        title="Django",
        attributes=[{"label": "Auth", "value": "`apiKey`"}, {"label": "HTTPS", "value": "Yes"}],
    )
    django.markers.add(old)
    django.markers.add(star)
    django.tags.add("Python")
    django.tags.add("BSD")
    ExtraLinkFactory(entry=django, label="Demo", url="https://example.com/demo")
    ExtraLinkFactory(entry=django, label="Docs", url="https://example.com/docs")
    EntryPlacement.objects.create(entry=django, section=cli, position=5)
    EntryPlacement.objects.create(entry=django, section=web, position=1)
    LinkHealth.objects.create(
        entry=django,
        state="redirected",
        checked_url=django.url,
        status_code=301,
        redirect_to="https://example.com/new",
        error="",
        checked_at=now - dt.timedelta(hours=3),
        consecutive_failures=0,
    )
    RepositoryInfo.objects.create(
        entry=django,
        forge="github",
        host="github.com",
        full_name="django/django",
        url="https://github.com/django/django",
        stars=80_000,
        license="BSD-3-Clause",
        last_activity_at=now - dt.timedelta(days=2, microseconds=7),
        fetched_at=now,
    )
    fish = EntryFactory(section=cli, title="Fish", url="", description="", tags=["Go"])
    RepositoryInfo.objects.create(
        entry=fish, forge="gitea", host="codeberg.org", full_name="o/fish", url="https://x.org"
    )
    EntryFactory(section=web, title="Flask", markers=[star], tags=["Python"])
    EntryFactory(section=frameworks, title="Draft", status=S.DRAFT)
    EntryFactory(section=cli, title="Later", status=S.SCHEDULED)
    EntryFactory(proposal_for=django, status=S.SUBMITTED, description="Better.")
    EntryFactory(section=SectionFactory(curated_list=another), title="Elsewhere")
    return {"list": curated_list, "web": web, "star": star}


def serializer_output(query: str) -> list[dict]:
    """What the endpoint answered before: EntrySerializer over model instances with their
    relations prefetched, in README order with lists sorted by title (a superuser sees all)."""
    entries = (
        Entry.objects.with_display_relations()
        .with_placements()
        .select_related("curated_list", "link_health", "repository")
        .order_by("curated_list__title", "curated_list_id", "section__tree_path", "position", "pk")
    )
    filtered = EntryFilter(QueryDict(query), queryset=entries).qs
    data = EntrySerializer(filtered, many=True).data
    return json.loads(JSONRenderer().render(data))


def without_tag_order(rows: list[dict]) -> list[dict]:
    # The serializer's tags came from a prefetch without ORDER BY (the database's order); the
    # rows give them in tagging order, as the README does. Same tags, compared as sets.
    return [{**row, "tags": sorted(row["tags"])} for row in rows]


@pytest.mark.parametrize(
    "query",
    [
        "list=sample",
        "",
        "tag=python",
        "marker=star&list=sample",
        "proposals=true",
        "status=draft",
        "q=django&list=sample",
        "link=redirected",
        "repository=stale",
    ],
)
def test_the_page_is_what_the_serializer_wrote(api, sample, query):
    api.force_authenticate(UserFactory(is_superuser=True))
    response = api.get(f"/api/entries/?page_size=500&{query}")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert rows, "a sample that shows nothing proves nothing"
    assert without_tag_order(rows) == without_tag_order(serializer_output(query))


def test_the_section_filter_and_anonymous_clients_agree_too(api, sample):
    query = f"section={sample['web'].pk}"
    rows = api.get(f"/api/entries/?{query}").json()["results"]
    public = [
        row
        for row in serializer_output(query)
        if row["status"] == "published" and row["proposal_for"] is None
    ]
    assert [row["title"] for row in rows] == ["Flask", "Django"]  # Web, then Web › Frameworks
    assert without_tag_order(rows) == without_tag_order(public)


def test_the_rows_carry_every_relation(api, sample):
    rows = api.get("/api/entries/?list=sample").json()["results"]
    django = next(row for row in rows if row["title"] == "Django")
    assert django["tags"] == ["Python", "BSD"]  # tagging order
    assert [m["slug"] for m in django["markers"]] == ["star", "old"]  # the legend's order
    assert [link["label"] for link in django["extra_links"]] == ["Demo", "Docs"]
    assert django["sections"][1:] == [sample["web"].pk, django["sections"][2]]  # tree order
    assert django["link_health"]["status_code"] == 301
    assert django["link_health"]["checked_at"].endswith("Z")
    assert django["repository"]["stars"] == 80_000
    assert django["attributes"][0] == {"label": "Auth", "value": "`apiKey`"}
    fish = next(row for row in rows if row["title"] == "Fish")
    assert fish["link_health"] is None
    assert fish["repository"]["last_activity_at"] is None


def test_the_committed_schema_describes_the_answer(api, sample):
    api.force_authenticate(UserFactory(is_superuser=True))
    validator = jsonschema.Draft7Validator(
        _json_schema(_components()["PaginatedEntryList"]),
        format_checker=jsonschema.FormatChecker(),
    )
    for query in ("list=sample", "proposals=true", "page_size=2&page=2"):
        body = api.get(f"/api/entries/?{query}").json()
        assert body["results"]
        errors = [error.message for error in validator.iter_errors(body)]
        assert errors == [], errors
    # The validator does refuse a row that strays from the schema.
    body["results"][0]["sections"] = ["1"]
    assert not validator.is_valid(body)


def page_queries(api, url):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return response.json(), [query["sql"] for query in captured.captured_queries]


def test_a_list_scoped_page_is_sorted_without_the_list_title(api, sample):
    body, queries = page_queries(api, "/api/entries/?list=sample")
    assert [row["title"] for row in body["results"]] == ["Flask", "Django", "Fish"]
    # The page's ids sorted in a subquery, their rows sorted again (after the count, and the
    # list's id the page cache keys on).
    page_query = next(q for q in queries if "ORDER BY" in q and 'FROM "catalog_entry"' in q)
    assert '"catalog_curatedlist"."title"' not in page_query, page_query
    assert page_query.count("ORDER BY") == 2
    assert "tree_path" in page_query.rsplit("ORDER BY", 1)[1]
    # Every list: sorted by the lists' titles first (Another before Sample).
    body, queries = page_queries(api, "/api/entries/")
    assert [row["list"] for row in body["results"]] == ["another", "sample", "sample", "sample"]
    page_query = next(q for q in queries if "ORDER BY" in q and 'FROM "catalog_entry"' in q)
    assert '"catalog_curatedlist"."title"' in page_query.rsplit("ORDER BY", 1)[1]


def test_queries_are_flat_from_20_to_2000_entries(api):
    small, large = bulk_list(20, "small"), bulk_list(2000, "large")
    # the list's id (the page cache's key), count, page (one-to-one rows joined),
    # placements + markers + tags + extra links
    for curated_list, pages in ((small, 1), (large, 4)):
        shown = []
        for page in range(1, pages + 1):
            url = f"/api/entries/?list={curated_list.slug}&page_size=500&page={page}"
            body, queries = page_queries(api, url)
            assert len(queries) == 4, queries
            shown += [row["id"] for row in body["results"]]
        in_order = curated_list.entries.order_by("section__tree_path", "position", "pk")
        assert shown == list(in_order.values_list("pk", flat=True))  # every page, in order
    assert body["count"] == 2000
    assert body["next"] is None
