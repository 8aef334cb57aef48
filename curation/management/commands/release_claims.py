"""Send back to the queue the submissions taken for review longer than their list's days
(``QueueSettings.claim_days``, 7 by default) without a decision, emailing each holder. Safe
from cron (hourly is plenty) and idempotent:

    0 * * * *  cd /srv/curator && .venv/bin/python manage.py release_claims --quiet
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from curation.services import release_stale_claims
from curation.tasks import release_claims_task


class Command(BaseCommand):
    help = "Release the review claims held longer than their list's days without a decision."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing when nothing was due."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task worker instead of doing it now",
        )

    def handle(self, *args: Any, quiet: bool = False, **options: Any) -> None:
        if options["enqueue"]:
            result = release_claims_task.enqueue()
            self.stdout.write(f"queued (task {result.id})")
            return
        released = release_stale_claims()
        for claim in released:
            self.stdout.write(
                f"released: {claim.entry} ({claim.entry.curated_list}), taken by {claim.holder}"
            )
        if released or not quiet:
            self.stdout.write(self.style.SUCCESS(f"{len(released)} review claims released."))
