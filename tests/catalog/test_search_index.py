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
