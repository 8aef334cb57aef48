"""A list may show its entries' repository figures (stars, last activity, archived) to readers
(issue 16, "Readers"); off by default, so existing pages look as they did."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0013_entry_search_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="curatedlist",
            name="show_repository_figures",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Show each entry's repository figures (stars, last activity, archived) on "
                    "the list page and in search, from the stored repository metadata."
                ),
            ),
        ),
    ]
