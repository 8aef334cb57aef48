"""On PostgreSQL, a search is a scan of the GIN index migration 0005 creates: the index's
expression and the query's must stay the same (``catalog.search.search_vector``)."""

from __future__ import annotations

import pytest
from django.db import connection

from catalog.models import Entry
from catalog.search import search_entries
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def test_the_search_uses_the_index():
    # In CI the PostgreSQL pass always runs this; only a SQLite run skips it.
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL (DATABASE_URL=postgres://…)")
    section = SectionFactory()
    Entry.objects.bulk_create(
        Entry(
            curated_list_id=section.curated_list_id,
            section=section,
            title=f"Tool number {n}",
            url=f"https://example.org/tools/{n}",
            description="A rare gem." if n == 1234 else f"Helps with chores, item {n}.",
            position=n,
            status=Entry.Status.PUBLISHED,
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_entry")
    queryset = search_entries(Entry.objects.published(), "gem")
    assert "entry_search_idx" in queryset.explain()
    assert [e.title for e in queryset] == ["Tool number 1234"]


def test_an_import_refreshes_the_planners_statistics(django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's (DATABASE_URL=postgres://…)")
    from catalog.importer import read_readme, store_document

    items = "\n".join(f"- [Tool {n}](https://example.org/{n}) - Does {n}." for n in range(120))
    doc, _ = read_readme(f"# Awesome Things\n\n## Tools\n\n{items}\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        store_document(doc, slug="awesome-things")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'catalog_entry'")
        (estimated,) = cursor.fetchone()
    assert estimated == Entry.objects.count() == 120
