"""``manage.py restore PATH [--force]``: load a backup made by ``manage.py backup``.

Into an empty database after ``manage.py migrate`` (a new machine, a new PostgreSQL database,
or SQLite → PostgreSQL); ``--force`` deletes everything in a database that has data first, in
the same transaction as the load. The whole file is checked first, a backup from a newer schema
is refused, and a failure leaves the database as it was. See ``curation/backup.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from curation.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this (migrated, empty) database; "
        "--force deletes what it holds first. All in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file (.json.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="delete everything in this database first (in the restore's transaction)",
        )

    def handle(self, *args: Any, path: str, force: bool = False, **options: Any) -> None:
        try:
            summary = restore_backup(Path(path), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if summary.migrations_since:
            self.stdout.write(
                self.style.WARNING(
                    "The backup predates migrations applied here "
                    f"({', '.join(summary.migrations_since)}); its rows were loaded into the "
                    "newer schema."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Restored {summary.describe()} from {path}."))
