"""Rewrite every list's README into README_EXPORT_DIR (one folder per list slug).

The workflow already does this after each change when README_EXPORT_DIR is set; the command is
for the first run, after changing the export format, or from cron as a safety net:

    15 * * * *  cd /srv/curator && .venv/bin/python manage.py regenerate_readmes --enqueue
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import CuratedList
from curation.tasks import regenerate_readme_task


class Command(BaseCommand):
    help = "Rewrite the README of every list (or --list SLUG) into README_EXPORT_DIR/<slug>/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", dest="list_slug", help="only this list")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task worker instead of doing it now",
        )

    def handle(self, *args: Any, list_slug: str | None = None, **options: Any) -> None:
        if not settings.README_EXPORT_DIR:
            raise CommandError(
                "README_EXPORT_DIR is not set: say where the READMEs go (see .env.example), "
                "or use export_readme SLUG --output DIR for one list."
            )
        lists = CuratedList.objects.order_by("slug")
        if list_slug:
            lists = lists.filter(slug=list_slug)
            if not lists.exists():
                raise CommandError(f'No list "{list_slug}".')
        for curated_list in lists:
            if options["enqueue"]:
                result = regenerate_readme_task.enqueue(curated_list.pk)
                self.stdout.write(f"{curated_list.slug}: queued (task {result.id})")
            else:
                written = regenerate_readme_task.call(curated_list.pk)
                self.stdout.write(f"{curated_list.slug}: wrote {', '.join(written)}")
