"""The search page under load: a fixed number of queries whatever the list's size, common
result pages served from the list's versioned cache (never stale), the filter form written
without a template per option, and the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Entry
from curation import services
from curation.services import EntryContent
from tests.catalog.test_list_page import bulk_list, nested_list, queries_of
from tests.factories import CuratedListFactory, EntryFactory, MembershipFactory, SectionFactory

pytestmark = pytest.mark.django_db


def search_url(slug: str, query: str = "") -> str:
    return reverse("catalog:list-search", args=[slug]) + query


def test_search_page_queries_do_not_grow_with_the_list(client):
    small, large = bulk_list(20, "small"), bulk_list(2000, "large")
    # The first search of a list version also reads the form's choices: the sections, the
    # markers, the licences and the tag names (then kept with the version).
    assert queries_of(client, search_url("small", "?q=one")) == 9
    assert queries_of(client, search_url("large", "?q=one")) == 9
    # the list, the page with its count (one query), the page's markers, tags and extra
    # links; an invalid filter: no page
    expected = {"?q=tool": 5, "?q=does+thing": 5, "": 5, "?tag=mit": 5, "?marker=nope": 2}
    for query, count in expected.items():
        counts = {
            size: queries_of(client, search_url(curated_list.slug, query))
            for size, curated_list in ((20, small), (2000, large))
        }
        assert counts == {20: count, 2000: count}, query
    assert queries_of(client, search_url("large", "?q=does+thing&page=40")) == 5
    # Past the last page: the count, then the last page, as Paginator.get_page answers.
    assert queries_of(client, search_url("large", "?q=does+thing&page=99")) == 7
    last = client.get(search_url("large", "?q=does+thing&page=99999999999999999999999"))
    assert last.context["page_obj"].number == 40
    assert len(last.context["results"]) == 50


def test_a_common_search_is_served_from_the_cache_until_the_list_changes(client):
    curated_list = bulk_list(20, "small")
    url = search_url("small", "?q=tool")
    first = client.get(url).content
    assert queries_of(client, url) == 5  # asked twice: now it is kept
    assert queries_of(client, url) == 1  # the list (its id names the cache entry)
    assert client.get(url).content == first
    # The form's full submission is the same search: the same page, from the same entry.
    assert queries_of(client, search_url("small", "?q=+tool&section=&tag=&marker=&added=")) == 1
    entry = Entry.objects.get(curated_list=curated_list, title="Tool 7")
    entry.title = "Tool 7 renamed"
    entry.save()
    assert "Tool 7 renamed" in client.get(url).content.decode()


def test_a_one_off_search_is_not_kept(client):
    bulk_list(20, "small")
    assert queries_of(client, search_url("small", "?q=does+0")) == 9
    for n in range(1, 3):
        assert queries_of(client, search_url("small", f"?q=does+{n}")) == 5
    for n in range(3):  # the second time: rendered again, then kept
        assert queries_of(client, search_url("small", f"?q=does+{n}")) == 5
        assert queries_of(client, search_url("small", f"?q=does+{n}")) == 1


def test_the_forms_choices_follow_the_list(client):
    """The sections, markers and tags the form offers are kept per list version: a new
    section (or tag) is offered at once."""
    curated_list = bulk_list(20, "small")
    assert "Brand new section" not in client.get(search_url("small")).content.decode()
    SectionFactory(curated_list=curated_list, title="Brand new section")
    entry = Entry.objects.get(curated_list=curated_list, title="Tool 3")
    entry.tags.add("Fresh tag")
    html = client.get(search_url("small", "?q=tool")).content.decode()
    assert "Brand new section</option>" in html
    assert '<option value="Fresh tag">' in html


def test_publishing_an_entry_shows_in_search_at_once(client, django_capture_on_commit_callbacks):
    curated_list = nested_list()
    url = search_url(curated_list.slug, "?q=starlette")
    for _ in range(3):  # a common query: cached
        assert "Starlette" not in client.get(url).content.decode()
    curator = MembershipFactory(curated_list=curated_list, role="curator").user
    reviewer = MembershipFactory(curated_list=curated_list, role="reviewer").user
    section = curated_list.sections.get(title="Web")
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.entry_create(
            actor=curator,
            content=EntryContent(section=section, title="Starlette", url="https://starlette.dev"),
        )
        services.entry_submit(actor=curator, entry=entry)
        services.entry_approve(actor=reviewer, entry=entry)
    assert "Starlette" not in client.get(url).content.decode()  # not published yet
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_publish(actor=curator, entry=entry)
    page = client.get(url).content.decode()
    assert "Starlette" in page
    assert '<h2 id="results-heading">1 link</h2>' in page


def test_the_filter_form_renders_no_template_per_option(client):
    """Django's Select renders a template per <option>: with 150 sections, half the page's
    time. The filters' selects are written directly, with the same markup."""
    curated_list = CuratedListFactory(slug="many")
    sections = [
        SectionFactory(curated_list=curated_list, title=f"Section <{n}> & co") for n in range(30)
    ]
    EntryFactory(section=sections[3], title="Only one")
    response = client.get(search_url("many", f"?section={sections[3].pk}&added=30"))
    names = [template.name for template in response.templates]
    assert "catalog/search.html" in names
    assert not [name for name in names if name and "select" in name]
    html = response.content.decode()
    assert f'<option value="{sections[3].pk}" selected>Section &lt;3&gt; &amp; co</option>' in html
    assert '<option value="" >' not in html
    assert '<option value="">All sections</option>' in html
    assert '<option value="30" selected>Last 30 days</option>' in html
    assert '<select name="section" id="id_section">' in html


# One small list and the same answers on both databases (CI runs this file on each).
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("framework", {"Django", "Flask"}),
        ("web framework", {"Django", "Flask"}),
        ('"micro web"', {"Flask"}),
        ("click", {"Click"}),
        ("httpx", {"httpx"}),
        ("client", {"httpx"}),
        ("nothing-like-this", set()),
        ("web", {"Django", "Flask"}),
    ],
)
def test_the_same_results_on_sqlite_and_postgresql(client, query, found):
    curated_list = CuratedListFactory(slug="py")
    web = SectionFactory(curated_list=curated_list, title="Web")
    cli = SectionFactory(curated_list=curated_list, title="CLI")
    EntryFactory(section=web, title="Django", description="The web framework for perfectionists.")
    EntryFactory(section=web, title="Flask", description="A micro web framework.")
    EntryFactory(section=web, title="httpx", description="An HTTP client.")
    EntryFactory(section=cli, title="Click", description="Command line interfaces.")
    EntryFactory(section=cli, title="Typer web", description="CLIs.", status=Entry.Status.DRAFT)
    response = client.get(search_url("py"), {"q": query})
    assert {entry.title for entry, _ in response.context["results"]} == found
