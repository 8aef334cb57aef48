"""A GIN index over the search document of entries, on PostgreSQL only (SQLite searches by
substring). Superseded by migration 0013, which stores the document in a generated column with
its own GIN index and drops this one."""

from django.db import migrations


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("description", weight="B", config="english")
        + SearchVector("url", weight="C", config="simple")
    )
    return GinIndex(vector, name="entry_search_idx")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("catalog", "Entry"), _index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("catalog", "Entry"), _index())


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_link_health_repository")]

    operations = [migrations.RunPython(create, drop)]
