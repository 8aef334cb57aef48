"""A section's text after its entries (a closing note under the list) is kept apart from the
text before them, so the export writes it where the source had it (issue 12). Existing sections
keep all their text in ``description``, as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_readable_tag_slugs"),
    ]

    operations = [
        migrations.AddField(
            model_name="section",
            name="outro",
            field=models.TextField(
                blank=True,
                help_text="Markdown after the section's entries (a closing note under the list).",
            ),
        ),
    ]
