"""python manage.py import_readme PATH --list SLUG [--title TITLE] [--dry-run] [--replace]"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from catalog.importer import ImportRefused, read_readme, store_document


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after it has been checked."""


class Command(BaseCommand):
    help = (
        "Import an awesome-list README (a path, or - for standard input) into the list SLUG, "
        "as published entries. Prints what was found, repaired, merged and not understood. "
        "A license.md beside the README (as export_readme writes it) is read too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="README.md to import, or - to read standard input")
        parser.add_argument("--list", required=True, dest="slug", help="slug of the list")
        parser.add_argument("--title", help="the list's title (default: the README's H1)")
        parser.add_argument(
            "--dry-run", action="store_true", help="parse, check and report; write nothing"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the entries, legend and footer of a list that already has entries",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data, licence = self.read(options["path"])
        try:
            doc, report = read_readme(data, title=options["title"], licence=licence)
            self.stdout.write(report.format())
            with transaction.atomic():
                outcome = store_document(
                    doc, slug=options["slug"], replace=options["replace"], report=report
                )
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            self.stdout.write(
                self.style.WARNING(f'Dry run: the list "{options["slug"]}" was not changed.')
            )
            return
        except ImportRefused as error:
            raise CommandError(" ".join(error.messages)) from error
        except ValidationError as error:
            raise CommandError("The import was refused: " + " ".join(error.messages)) from error
        action = "Created" if outcome.created_list else "Imported into"
        replaced = f", replacing {outcome.replaced_entries}" if outcome.replaced_entries else ""
        self.stdout.write(
            self.style.SUCCESS(
                f'{action} "{outcome.curated_list.slug}": {outcome.sections} sections, '
                f"{outcome.entries} entries, {outcome.extra_links} extra links{replaced}."
            )
        )

    def read(self, path: str) -> tuple[bytes, bytes | None]:
        if path == "-":
            return sys.stdin.buffer.read(), None
        file = Path(path)
        if file.is_dir():
            file = file / "README.md"
        if not file.is_file():
            raise CommandError(f"No README at {file}: give the path of a file, or - for stdin.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        licence_file = file.with_name("license.md")
        licence = licence_file.read_bytes() if licence_file.is_file() else None
        return data, licence
