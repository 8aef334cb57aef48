"""A list can mark archived and stale projects: the README, the document, the page and the
search filter agree, and lists that do not ask are untouched."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from catalog.export import EXPORT_QUERY_COUNT, export_files, list_document
from catalog.markdown.render import render_files
from catalog.models import RepositoryInfo
from tests.factories import CuratedListFactory, EntryFactory, MarkerFactory, SectionFactory

pytestmark = pytest.mark.django_db


def repo(entry, *, archived=False, days_ago=10):
    RepositoryInfo.objects.create(
        entry=entry,
        forge="github",
        host="github.com",
        full_name=f"o/{entry.pk}",
        url=entry.url,
        archived=archived,
        last_activity_at=timezone.now() - dt.timedelta(days=days_ago),
        fetched_at=timezone.now(),
    )


@pytest.fixture
def listing(settings):
    settings.REPOSITORY_STALE_AFTER_DAYS = 365
    curated_list = CuratedListFactory(mark_unmaintained=True)
    section = SectionFactory(curated_list=curated_list, title="Tools")
    MarkerFactory(curated_list=curated_list, symbol="⭐", slug="star", label="Must-read.")
    archived = EntryFactory(section=section, title="Frozen")
    stale = EntryFactory(section=section, title="Sleepy")
    fresh = EntryFactory(section=section, title="Lively")
    plain = EntryFactory(section=section, title="Bookish", url="")
    repo(archived, archived=True, days_ago=900)
    repo(stale, days_ago=500)
    repo(fresh, days_ago=5)
    return curated_list, {"archived": archived, "stale": stale, "fresh": fresh, "plain": plain}


def entry_markers(document):
    return {e.title: e.markers for s in document.sections for e in s.entries}


def test_the_readme_and_document_mark_unmaintained_projects(listing):
    curated_list, _ = listing
    document = list_document(curated_list)
    assert [m.symbol for m in document.markers] == ["⭐", "🗄", "💤"]
    assert entry_markers(document) == {
        "Frozen": ("🗄",),
        "Sleepy": ("💤",),
        "Lively": (),
        "Bookish": (),
    }
    readme = export_files(curated_list)["README.md"]
    assert "- [Frozen](https://example.com/tools/frozen) - 🗄 What Frozen does" in readme
    assert re.search(r"^\| 💤 +\| No commit for over 365 days\. +\|$", readme, re.MULTILINE)
    assert render_files(document) == export_files(curated_list)  # the document stays complete


def test_a_list_that_does_not_ask_is_untouched(listing, django_assert_num_queries):
    curated_list, _ = listing
    curated_list.mark_unmaintained = False
    curated_list.save()
    document = list_document(curated_list)
    assert [m.symbol for m in document.markers] == ["⭐"]
    assert all(markers == () for markers in entry_markers(document).values())
    with django_assert_num_queries(EXPORT_QUERY_COUNT):
        export_files(curated_list)


def test_marking_costs_one_query_whatever_the_size(listing, django_assert_num_queries):
    curated_list, entries = listing
    for n in range(30):
        repo(EntryFactory(section=entries["fresh"].section, title=f"More {n}"), archived=True)
    with django_assert_num_queries(EXPORT_QUERY_COUNT + 1):
        export_files(curated_list)


def test_the_page_and_the_search_filter_show_them(client, listing):
    curated_list, _ = listing
    page = client.get(curated_list.get_absolute_url()).content.decode()
    assert "?marker=archived-repository" in page
    assert "Archived repository." in page
    search = f"/lists/{curated_list.slug}/search/"
    response = client.get(search, {"marker": "unmaintained"})
    assert response.status_code == 200
    found = response.content.decode()
    assert "Sleepy" in found
    assert "Frozen" not in found
    assert "Lively" not in found
    form = client.get(search).content.decode()
    assert '<option value="archived-repository"' in form
