"""python manage.py export_readme SLUG [--output DIR]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.export import export_files
from catalog.management.files import emit_files
from catalog.models import CuratedList


class Command(BaseCommand):
    help = (
        "Export the published content of list SLUG as README.md (plus contributing.md and, "
        "where the list has one, license.md) into DIR, or the README alone to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--output", "-o", help="directory to write the files into")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            curated_list = CuratedList.objects.get(slug=options["slug"])
        except CuratedList.DoesNotExist as error:
            raise CommandError(f'No list "{options["slug"]}".') from error
        emit_files(self, export_files(curated_list), options["output"])
