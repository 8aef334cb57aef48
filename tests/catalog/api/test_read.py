"""The read API: lists, sections, entries; who sees what; filters; fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Entry
from curation.models import Role
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    ExtraLinkFactory,
    FooterBlockFactory,
    MarkerFactory,
    MembershipFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Entry.Status


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def shelf():
    """One list with a published entry in each state's neighbourhood, and another list."""
    curated_list = CuratedListFactory(slug="awesome-tools", title="Awesome Tools")
    web = SectionFactory(curated_list=curated_list, title="Web")
    frameworks = SectionFactory(parent=web, title="Frameworks")
    cli = SectionFactory(curated_list=curated_list, title="CLI")
    star = MarkerFactory(curated_list=curated_list, symbol="⭐", slug="must-read", label="Must")
    live = EntryFactory(section=frameworks, title="Django", tags=["Python", "BSD"], markers=[star])
    ExtraLinkFactory(entry=live, label="Demo", url="https://example.com/demo")
    return {
        "list": curated_list,
        "web": web,
        "frameworks": frameworks,
        "cli": cli,
        "star": star,
        "live": live,
        "shell": EntryFactory(section=cli, title="Fish", description="A friendly shell."),
        "draft": EntryFactory(section=frameworks, title="Draft", status=S.DRAFT),
        "submitted": EntryFactory(section=cli, title="Pending", status=S.SUBMITTED),
        "proposal": EntryFactory(proposal_for=live, status=S.SUBMITTED, description="Better."),
        "elsewhere": EntryFactory(title="Elsewhere"),
    }


def test_lists_show_counts_legend_and_links(api, shelf):
    FooterBlockFactory(curated_list=shelf["list"], title="License", body="CC0")
    rows = api.get("/api/lists/").json()["results"]
    tools = next(row for row in rows if row["slug"] == "awesome-tools")
    assert tools["published_count"] == 2
    assert tools["markers"] == [{"symbol": "⭐", "slug": "must-read", "label": "Must"}]
    assert tools["document_url"] == "http://testserver/api/lists/awesome-tools/document/"
    detail = api.get("/api/lists/awesome-tools/").json()
    assert detail["footer_blocks"] == [{"title": "License", "body": "CC0"}]
    assert "intro" in detail
    assert api.get("/api/lists/nope/").status_code == 404


def test_sections_come_in_readme_order_with_published_counts(api, shelf):
    rows = api.get("/api/lists/awesome-tools/sections/").json()
    assert [(row["title_path"], row["depth"], row["published_count"]) for row in rows] == [
        ("Web", 0, 0),
        ("Web › Frameworks", 1, 1),
        ("CLI", 0, 1),
    ]
    assert rows[1]["parent"] == shelf["web"].pk


def test_anonymous_clients_see_published_entries_only(api, shelf):
    assert ids(api.get("/api/entries/?list=awesome-tools")) == [shelf["live"].pk, shelf["shell"].pk]
    entry = api.get(f"/api/entries/{shelf['live'].pk}/").json()
    assert entry["markers"] == [{"symbol": "⭐", "slug": "must-read"}]
    assert sorted(entry["tags"]) == ["BSD", "Python"]
    assert entry["extra_links"] == [{"label": "Demo", "url": "https://example.com/demo"}]
    assert entry["section_title_path"] == "Web › Frameworks"
    for hidden in ("draft", "submitted", "proposal"):
        assert api.get(f"/api/entries/{shelf[hidden].pk}/").status_code == 404
    assert ids(api.get("/api/entries/?status=submitted")) == []
    assert ids(api.get("/api/entries/?proposals=true")) == []


def test_members_also_see_pending_entries_of_their_scope(api, shelf):
    member = MembershipFactory(curated_list=shelf["list"], role=Role.CONTRIBUTOR).user
    api.force_authenticate(member)
    listed = ids(api.get("/api/entries/?list=awesome-tools"))
    assert listed == [shelf[k].pk for k in ("live", "draft", "shell", "submitted")]  # README order
    assert ids(api.get("/api/entries/?status=submitted")) == [shelf["submitted"].pk]
    assert ids(api.get("/api/entries/?proposals=true")) == [shelf["proposal"].pk]
    # Another list's drafts stay hidden; its published entries are public anyway.
    other_draft = EntryFactory(section=shelf["elsewhere"].section, status=S.DRAFT)
    assert api.get(f"/api/entries/{other_draft.pk}/").status_code == 404


def test_a_section_scope_reaches_its_subtree_only(api, shelf):
    scoped = MembershipFactory(section=shelf["cli"], role=Role.REVIEWER).user
    api.force_authenticate(scoped)
    assert ids(api.get("/api/entries/?list=awesome-tools")) == [
        shelf["live"].pk,
        shelf["shell"].pk,
        shelf["submitted"].pk,
    ]
    assert api.get(f"/api/entries/{shelf['draft'].pk}/").status_code == 404


def test_superusers_see_everything(api, shelf):
    api.force_authenticate(UserFactory(is_superuser=True, is_staff=True))
    assert shelf["draft"].pk in ids(api.get("/api/entries/?list=awesome-tools"))


def test_filters(api, shelf):
    live, shell = shelf["live"].pk, shelf["shell"].pk
    assert ids(api.get(f"/api/entries/?section={shelf['web'].pk}")) == [live]  # subtree
    assert ids(api.get(f"/api/entries/?section={shelf['cli'].pk}")) == [shell]
    assert ids(api.get("/api/entries/?section=999999")) == []
    assert ids(api.get("/api/entries/?tag=python")) == [live]
    assert ids(api.get("/api/entries/?marker=must-read")) == [live]
    assert ids(api.get("/api/entries/?q=friendly shell")) == [shell]
    assert ids(api.get("/api/entries/?q=fish&list=awesome-tools")) == [shell]
    assert api.get("/api/entries/?status=bogus").status_code == 400
    body = api.get("/api/entries/?status=bogus").json()
    assert body["code"] == "invalid_choice"
    assert body["detail"].startswith("status: ")


def test_pagination(api, shelf):
    page = api.get("/api/entries/?page_size=1").json()
    assert page["count"] == 3
    assert len(page["results"]) == 1
    assert page["next"].endswith("page=2&page_size=1")
    assert api.get("/api/entries/?page=99").status_code == 404


def _entries(section, count, markers):
    for _ in range(count):
        entry = EntryFactory(section=section, tags=["MIT", "Go"], markers=markers)
        ExtraLinkFactory(entry=entry)


def count_queries(api, url):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_entry_queries_do_not_grow_with_the_page(api, django_assert_num_queries, signed_in):
    section = SectionFactory()
    marker = MarkerFactory(curated_list=section.curated_list)
    if signed_in:
        api.force_authenticate(MembershipFactory(curated_list=section.curated_list).user)
    # count, page (section, list, link health, repository joined), placements + markers +
    # tags + extra links in one (catalog.api.rows); + memberships
    expected = 3 + signed_in
    _entries(section, 1, [marker])
    with django_assert_num_queries(expected):
        assert len(api.get("/api/entries/").json()["results"]) == 1
    _entries(section, 40, [marker])
    with django_assert_num_queries(expected):
        assert len(api.get("/api/entries/").json()["results"]) == 41


def test_list_and_section_queries_do_not_grow(api, django_assert_num_queries):
    first = CuratedListFactory()
    MarkerFactory(curated_list=first)
    SectionFactory(curated_list=first)
    with django_assert_num_queries(3):  # count, page (with stats), markers
        api.get("/api/lists/")
    # the list's id (its page cache, catalog.api.caching), the list, its sections with counts
    with django_assert_num_queries(3):
        api.get(f"/api/lists/{first.slug}/sections/")
    for _ in range(15):
        other = CuratedListFactory()
        MarkerFactory(curated_list=other)
        _entries(SectionFactory(curated_list=other), 2, [])
        SectionFactory(curated_list=first)
    with django_assert_num_queries(3):
        assert len(api.get("/api/lists/").json()["results"]) == 16
    with django_assert_num_queries(3):
        assert len(api.get(f"/api/lists/{first.slug}/sections/").json()) == 16
    with django_assert_num_queries(0):  # cached until the list changes
        assert len(api.get(f"/api/lists/{first.slug}/sections/").json()) == 16
