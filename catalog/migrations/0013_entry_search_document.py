"""The search document of an entry as a stored column on PostgreSQL (issue 15).

``catalog_entry.search_document`` is a generated column (``GENERATED ALWAYS AS … STORED``):
PostgreSQL computes it on every insert and update, whatever wrote the row (the admin, the
services, the importer's and the sync's ``bulk_create``, ``QuerySet.update``, a shell), so it
cannot fall behind. Searches match and rank on it (``catalog.search``), so ``ts_rank`` reads
the stored vector instead of recomputing ``to_tsvector`` for every hit.

Its GIN index is built with ``fastupdate = off``: every write goes into the index itself, not
into a pending list that only VACUUM (or ``gin_clean_pending_list``) folds in. With the pending
list, the index of a freshly imported list was scanned after a long sequential read of the
pending pages (61 ms against 3 ms once vacuumed, on awesome-go + 5,000 entries).

The column is not a model field: the model stays the same on SQLite (which searches by
substring), and nothing in Python (history, admin, fixtures, serializers) copies it. Migration
0005's expression index is dropped; it served the same documents computed at query time.

Changing the type of ``title``, ``description`` or ``url`` later needs this column dropped and
re-added around it (PostgreSQL refuses to alter a column a generated column reads).
"""

from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(description, '')), 'B')"
    " || setweight(to_tsvector('simple'::regconfig, COALESCE(url, '')), 'C')"
)

FORWARD = [
    "DROP INDEX IF EXISTS entry_search_idx",
    f"ALTER TABLE catalog_entry ADD COLUMN search_document tsvector"
    f" GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX entry_search_document_idx ON catalog_entry"
    " USING gin (search_document) WITH (fastupdate = off)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS entry_search_document_idx",
    "ALTER TABLE catalog_entry DROP COLUMN IF EXISTS search_document",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    """Back to migration 0005's expression index (its definition, as it was)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    for statement in BACKWARD:
        schema_editor.execute(statement)
    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("description", weight="B", config="english")
        + SearchVector("url", weight="C", config="simple")
    )
    schema_editor.add_index(
        apps.get_model("catalog", "Entry"), GinIndex(vector, name="entry_search_idx")
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_entry_lead_in")]

    operations = [migrations.RunPython(forward, backward)]
