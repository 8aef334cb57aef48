"""Refresh the repository figures (stars, last activity, archived, licence) of the entries.

    python manage.py refresh_metadata                   # every list, now
    python manage.py refresh_metadata --list awesome-go # one list
    python manage.py refresh_metadata --enqueue         # as a background task (from cron)

Unauthenticated GitHub allows 60 requests an hour: set GITHUB_TOKEN for real lists. A run
that meets a spent quota stops asking that forge and says so in the summary ("skipped").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import CuratedList
from curation.health.forges import DEFAULT_MAX_WAIT, RepoMeta, RepoRef
from curation.health.metadata import refresh_metadata


class Command(BaseCommand):
    help = (
        "Ask GitHub, GitLab and Codeberg about the repositories behind the entries and record "
        "their stars, last activity, archived flag and licence."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", dest="list_slug", metavar="SLUG", help="Only this list.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the refresh as a background task instead of running it here.",
        )
        parser.add_argument(
            "--max-wait",
            type=float,
            default=DEFAULT_MAX_WAIT,
            metavar="SECONDS",
            help="Wait this long at most for a forge's rate limit to reset "
            f"(default {DEFAULT_MAX_WAIT:g}); a later reset skips that forge for this run.",
        )

    def handle(
        self,
        *args: Any,
        list_slug: str | None = None,
        enqueue: bool = False,
        max_wait: float = DEFAULT_MAX_WAIT,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        curated_list = None
        if list_slug:
            curated_list = CuratedList.objects.filter(slug=list_slug).first()
            if curated_list is None:
                raise CommandError(f"No curated list with the slug {list_slug!r}.")
        if enqueue:
            from curation.tasks import refresh_metadata_task

            result = refresh_metadata_task.enqueue(list_slug=list_slug)
            what = f"of {curated_list}" if curated_list else "of all lists"
            self.stdout.write(
                f"Metadata refresh {what} queued (task {result.id}: {result.status.label.lower()})."
            )
            return
        summary = refresh_metadata(
            curated_list=curated_list,
            on_result=self._report if verbosity >= 2 else None,
            max_wait=max_wait,
        )
        self.stdout.write(self.style.SUCCESS(str(summary)))

    def _report(self, ref: RepoRef, meta: RepoMeta) -> None:
        if not meta.ok:
            self.stdout.write(f"{ref}: {meta.error}")
            return
        facts = [f"{meta.stars} stars" if meta.stars is not None else "stars unknown"]
        if meta.last_activity_at:
            facts.append(f"last activity {meta.last_activity_at:%Y-%m-%d}")
        if meta.archived:
            facts.append("archived")
        if meta.license:
            facts.append(meta.license)
        self.stdout.write(f"{ref}: {', '.join(facts)}")
