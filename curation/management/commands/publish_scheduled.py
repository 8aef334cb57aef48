"""Publish the scheduled entries whose time has come. Safe from cron every minute:

    * * * * *  cd /srv/curator && .venv/bin/python manage.py publish_scheduled --quiet

Idempotent (a second run finds nothing due) and safe to run twice at once (each entry is
locked with SKIP LOCKED on PostgreSQL, so two runs share the work).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from curation.services import publish_due


class Command(BaseCommand):
    help = "Publish the scheduled entries that are due (run it every minute from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing when nothing was due."
        )

    def handle(self, *args: Any, quiet: bool = False, **options: Any) -> None:
        held: list[Any] = []
        published = publish_due(held=held)
        for entry in held:
            self.stderr.write(
                self.style.WARNING(
                    f"held back: {entry} ({entry.curated_list}): it has fewer approvals than "
                    "the list requires now; see its history."
                )
            )
        for entry in published:
            what = "proposal merged into" if entry.is_proposal else "published"
            self.stdout.write(f"{what}: {entry} ({entry.curated_list})")
        if published or not quiet:
            self.stdout.write(self.style.SUCCESS(f"{len(published)} scheduled entries published."))
