"""Publish a list's README to its repository now, or retry the pushes that failed.

    python manage.py push_readme awesome-tea --dry-run   # what would be committed, nothing sent
    python manage.py push_readme awesome-tea             # push (or open/update the PR) now
    python manage.py push_readme awesome-tea --force     # replace a README changed on the branch
    python manage.py push_readme --due                   # cron: retry every failed push now due

The workflow pushes by itself after each change (when the list's repository is enabled); this
is for the first push, a push after a conflict, and cron's safety net for retries.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import CuratedList
from curation.push.models import PushAttempt, PushState
from curation.push.service import PushOutcome, due_for_retry, push_list


class Command(BaseCommand):
    help = "Push the regenerated README of a list to its repository (see docs/push.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", nargs="?", help="the list to push")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would be committed; push nothing, record nothing",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the README on the branch even when someone else changed it there",
        )
        parser.add_argument(
            "--due", action="store_true", help="retry every failed push whose retry is due"
        )

    def handle(self, *args: Any, slug: str | None = None, **options: Any) -> None:
        if options["due"]:
            if slug or options["dry_run"] or options["force"]:
                raise CommandError("--due takes no list, --dry-run or --force.")
            repositories = due_for_retry()
            for repository in repositories:
                outcome = push_list(repository.curated_list, trigger=PushAttempt.Trigger.RETRY)
                self._report(repository.curated_list.slug, outcome)
            if not repositories:
                self.stdout.write("No push is due for a retry.")
            return
        if not slug:
            raise CommandError("Name the list to push (its slug), or use --due.")
        curated_list = CuratedList.objects.filter(slug=slug).first()
        if curated_list is None:
            raise CommandError(f'No list "{slug}".')
        try:
            outcome = push_list(
                curated_list,
                trigger=PushAttempt.Trigger.COMMAND,
                dry_run=options["dry_run"],
                force=options["force"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self._report(slug, outcome)
        if not outcome.ok:
            raise CommandError(f"{slug}: {outcome.detail}")

    def _report(self, slug: str, outcome: PushOutcome) -> None:
        size = f"README.md {outcome.readme_bytes:,} bytes"
        if outcome.dry_run:
            if outcome.state == PushState.UNCHANGED:
                self.stdout.write(f"{slug}: already up to date ({size}); nothing would be pushed.")
            elif outcome.ok:
                paths = ", ".join(outcome.changed_paths)
                self.stdout.write(f"{slug}: would commit {paths} ({size}) with this message:\n")
                self.stdout.write(outcome.message)
            return
        if not outcome.ok:
            when = (
                f" Next retry: {outcome.next_retry_at:%Y-%m-%d %H:%M} UTC."
                if outcome.next_retry_at
                else ""
            )
            self.stderr.write(f"{slug}: {PushState(outcome.state).label}.{when}")
            return
        where = outcome.pull_request_url or outcome.commit_sha[:12]
        extra = f" ({outcome.detail})" if outcome.detail else ""
        self.stdout.write(
            self.style.SUCCESS(f"{slug}: {PushState(outcome.state).label}: {where}{extra}.")
        )
