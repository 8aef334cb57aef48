"""Existing tags whose name has a dot get the readable slug new ones get (catalog.tagslugs):
gpl-30 → gpl-3.0, where that slug is free."""

from django.db import migrations


def readable(apps, schema_editor):
    from catalog.tagslugs import readable_slug

    tag_model = apps.get_model("taggit", "Tag")
    taken = set(tag_model.objects.values_list("slug", flat=True))
    for tag in tag_model.objects.filter(name__contains="."):
        slug = readable_slug(tag.name)
        if slug != tag.slug and slug not in taken:
            taken.discard(tag.slug)
            taken.add(slug)
            tag.slug = slug
            tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_entry_source_sync"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(readable, migrations.RunPython.noop)]
