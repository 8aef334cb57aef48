"""python manage.py sync_readme SLUG SOURCE [--dry-run] [--apply | --as-submissions] [--as USER]"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.importer import ImportRefused, read_readme
from catalog.models import CuratedList
from curation.readme_source import SourceError, read_source
from curation.sync import apply_sync, check_may_sync, plan_sync


class Command(BaseCommand):
    help = (
        "Bring the changes of a list's README (a path, - for standard input, or the http(s) URL "
        "of the raw file) into the list SLUG as a change set, through the workflow: added "
        "entries as submissions and changes as proposals (the default), or published at once "
        "with --apply. Removed entries are archived. The change set is printed first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="slug of the list")
        parser.add_argument("source", help="README.md path, - for stdin, or the raw README's URL")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the change set; write nothing"
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--apply",
            action="store_true",
            help="publish additions and changes at once (curators of the whole list)",
        )
        mode.add_argument(
            "--as-submissions",
            action="store_true",
            help="additions become submissions, changes proposals, for review (the default)",
        )
        parser.add_argument(
            "--as", dest="username", help="the curator the sync acts as (named in the audit trail)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        curated_list = CuratedList.objects.filter(slug=options["slug"]).first()
        if curated_list is None:
            raise CommandError(f'No list "{options["slug"]}": create it with import_readme first.')
        actor = None
        if not options["dry_run"]:
            actor = self.actor(options["username"])
            try:
                check_may_sync(actor, curated_list)
            except PermissionDenied as error:
                raise CommandError(str(error)) from error
        try:
            data = read_source(options["source"])
            doc, _ = read_readme(data)
        except SourceError as error:
            raise CommandError(str(error)) from error
        except ImportRefused as error:
            raise CommandError(" ".join(error.messages)) from error
        text = data.decode("utf-8", errors="replace")
        plan = plan_sync(curated_list, doc, source=options["source"], text=text)
        self.stdout.write(plan.format())
        if options["dry_run"]:
            dry = f'Dry run: "{curated_list.slug}" was not changed.'
            self.stdout.write(self.style.WARNING(dry))
            return
        if plan.is_empty:
            self.stdout.write(self.style.SUCCESS("Nothing to do: the list already says this."))
            return
        assert actor is not None
        try:
            outcome = apply_sync(plan, actor=actor, publish=options["apply"])
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError("The sync was refused: " + " ".join(messages)) from error
        if not outcome.wrote_anything:
            self.stdout.write(outcome.format(publish=options["apply"]))
            self.stdout.write(self.style.SUCCESS("Nothing was written: the list already has this."))
            return
        self.stdout.write(self.style.SUCCESS(outcome.format(publish=options["apply"])))

    def actor(self, username: str | None) -> Any:
        if not username:
            raise CommandError(
                "Name the curator the sync acts as with --as USERNAME (or use --dry-run)."
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'No user "{username}".')
        return user
