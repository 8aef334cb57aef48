"""On PostgreSQL, a search matches and ranks on the stored ``search_document`` column
(migration 0013) through its GIN index, on a fresh database and right after a bulk import."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from catalog.models import Entry
from catalog.search import search_entries
from tests.factories import EntryFactory, SectionFactory

pytestmark = pytest.mark.django_db
INDEX = "entry_search_document_idx"


def _postgresql_only() -> None:
    # In CI the PostgreSQL pass always runs these; only a SQLite run skips them.
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL (DATABASE_URL=postgres://…)")


def _plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _plan_nodes(child)


def _index_scan(queryset) -> dict:
    """The plan node that scans the search index, as EXPLAIN (ANALYZE, BUFFERS) ran it."""
    (explained,) = json.loads(queryset.explain(format="json", analyze=True, buffers=True))
    nodes = [n for n in _plan_nodes(explained["Plan"]) if n.get("Index Name") == INDEX]
    assert nodes, f"the search does not use {INDEX}"
    return nodes[0]


def test_the_search_uses_the_index_and_ranks_on_the_stored_vector():
    _postgresql_only()
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
    plan = queryset.explain(verbose=True)
    assert INDEX in plan
    # ts_rank reads the stored vector: no to_tsvector is computed per hit (or anywhere).
    assert "to_tsvector" not in plan
    assert [e.title for e in queryset] == ["Tool number 1234"]


def test_a_search_right_after_a_bulk_import_scans_the_index_alone(
    django_capture_on_commit_callbacks,
):
    """An import writes thousands of rows with ``bulk_create``; the index must answer the next
    search by itself, not after reading a pending list of every new row (GIN's fastupdate,
    which only VACUUM folds in: 61 ms against 3 ms on awesome-go + 5,000 entries)."""
    _postgresql_only()
    from catalog.importer import read_readme, store_document

    items = "\n".join(
        f"- [Tool {n}](https://example.org/{n}) - "
        + ("A rare gem." if n == 1234 else f"Stores database rows of group {n % 50}, quickly.")
        for n in range(3000)
    )
    doc, _ = read_readme(f"# Awesome Things\n\n## Tools\n\n{items}\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        store_document(doc, slug="awesome-things")
    queryset = search_entries(Entry.objects.published(), "gem")
    scan = _index_scan(queryset)
    blocks = scan["Shared Hit Blocks"] + scan["Shared Read Blocks"]
    # A few pages of the index's tree; a pending list of 3,000 new rows is dozens more.
    assert blocks <= 10, scan
    assert [e.title for e in queryset] == ["Tool 1234"]


def test_every_write_path_updates_what_search_finds():
    """The document is a generated column: saves, bulk_create and update() all refresh it."""
    section = SectionFactory()
    saved = Entry.objects.create(
        section=section, title="Saved", url="https://a.example/", status=Entry.Status.PUBLISHED
    )
    (bulk,) = Entry.objects.bulk_create(
        [
            Entry(
                curated_list_id=section.curated_list_id,
                section=section,
                title="Bulk",
                url="https://b.example/",
                position=5,
                status=Entry.Status.PUBLISHED,
            )
        ]
    )
    published = Entry.objects.published()
    assert [e.title for e in search_entries(published, "saved")] == ["Saved"]
    assert [e.title for e in search_entries(published, "bulk")] == ["Bulk"]
    Entry.objects.filter(pk=bulk.pk).update(description="Now about zebras.")
    saved.title = "Renamed"
    saved.save()
    assert [e.title for e in search_entries(published, "zebras")] == ["Bulk"]
    assert [e.title for e in search_entries(published, "renamed")] == ["Renamed"]
    assert list(search_entries(published, "saved")) == []


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


def test_a_search_works_inside_a_subquery():
    """The stored column is named under the alias the query gives the entry table, also
    when the search is a subquery (``U0``) of another query."""
    section = SectionFactory()
    for title in ("Zebra tool", "Lion tool", "Zebra crossing"):
        EntryFactory(section=section, title=title)
    found = search_entries(Entry.objects.published(), "zebra").values("pk")
    outer = Entry.objects.filter(pk__in=found).exclude(title__startswith="Lion")
    if connection.vendor == "postgresql":
        # The subquery's own row, not the outer one (which would often match by chance).
        assert "U0.search_document @@" in str(outer.query)
    assert sorted(outer.values_list("title", flat=True)) == ["Zebra crossing", "Zebra tool"]
