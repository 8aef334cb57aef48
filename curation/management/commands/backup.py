"""``manage.py backup PATH``: everything the site holds, as one gzip'd JSON file.

    python manage.py backup /var/backups/curator/                # a dated file in the folder
    python manage.py backup /var/backups/curator/latest.json.gz  # that file, replaced whole

A consistent snapshot (one transaction; REPEATABLE READ on PostgreSQL), written beside the
target and renamed over it, readable by ``manage.py restore`` on SQLite or PostgreSQL. The
command lives in ``curation`` because a backup spans both apps (see ``curation/backup.py``).
For large installations, ``pg_dump`` is faster: see docs/deploy.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from curation.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (lists, entries, history, reviews, users, API tokens …) into "
        "PATH as one gzip'd JSON file; PATH may be a folder, for a dated file name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file, or a folder to write a dated file into")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        target = Path(path)
        if target.is_dir():
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            target = target / f"awesome-curator-{stamp}.json.gz"
        if not target.parent.is_dir():
            raise CommandError(f"No folder {target.parent}: create it first.")
        try:
            summary = create_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror or error}.") from error
        size = target.stat().st_size / 1024 / 1024
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {summary.describe()} to {target} ({size:.1f} MB).")
        )
