"""Text a section shows between two of its lists is kept with the entry it precedes (issue 12):
``Entry.lead_in`` in the entry's own section, ``EntryPlacement.lead_in`` where it is placed.
Existing rows have none: their sections keep that text in ``description``, as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_section_outro"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="lead_in",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Markdown the section shows right before this entry, between two of its "
                    "lists (“The paid ones:”). It moves with the entry, and shows while the "
                    "entry does."
                ),
            ),
        ),
        migrations.AddField(
            model_name="historicalentry",
            name="lead_in",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Markdown the section shows right before this entry, between two of its "
                    "lists (“The paid ones:”). It moves with the entry, and shows while the "
                    "entry does."
                ),
            ),
        ),
        migrations.AddField(
            model_name="entryplacement",
            name="lead_in",
            field=models.TextField(
                blank=True,
                help_text="Markdown this section shows right before the entry (Entry.lead_in).",
            ),
        ),
        migrations.AddField(
            model_name="historicalentryplacement",
            name="lead_in",
            field=models.TextField(
                blank=True,
                help_text="Markdown this section shows right before the entry (Entry.lead_in).",
            ),
        ),
    ]
