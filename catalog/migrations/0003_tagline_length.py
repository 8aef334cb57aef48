from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_entry_history"),
    ]

    operations = [
        migrations.AlterField(
            model_name="curatedlist",
            name="tagline",
            field=models.CharField(
                blank=True,
                help_text="One sentence under the title of the README.",
                max_length=1000,
            ),
        ),
    ]
