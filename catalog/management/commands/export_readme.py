"""python manage.py export_readme SLUG [--output DIR]"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.export import export_files
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
        files = export_files(curated_list)
        if not options["output"]:
            self.stdout.write(files["README.md"], ending="")
            return
        directory = Path(options["output"])
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for name, text in sorted(files.items()):
                write_atomically(directory / name, text)
        except OSError as error:
            raise CommandError(f"Cannot write to {directory}: {error.strerror}.") from error
        names = ", ".join(sorted(files))
        self.stdout.write(self.style.SUCCESS(f"Wrote {names} to {directory}."))


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target and rename over it: a reader never sees half a README."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an export is for everyone
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
