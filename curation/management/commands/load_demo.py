"""``manage.py load_demo [--force]``: load or reset the demo list and the demo accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.choices import EntryStatus
from curation.demo.loader import DemoResult, load_demo


class Command(BaseCommand):
    help = (
        'Load the demo list "Awesome Plain Text" and one demo account per role, or reset them '
        "to the demo's state. Safe to run again. Development only: the demo passwords are "
        "public, so this refuses to run with DEBUG off unless given --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with DEBUG off (a staging site, say). Never in production.",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load the demo: DEBUG is off, so this may be a production site, and "
                "the demo accounts' passwords are published. For local development set "
                "DJANGO_DEBUG=true (make run does); to load it anyway, pass --force."
            )
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "DEBUG is off and --force was given: the demo accounts below can log in "
                    "with published passwords. Delete them before this site goes public."
                )
            )
        result = load_demo(stdout=self.stdout)
        self.write_summary(result)
        self.write_accounts(result)

    def write_summary(self, result: DemoResult) -> None:
        if result.kept_because:
            self.stdout.write(
                self.style.WARNING(
                    f'The demo list "{result.curated_list.title}" was left as it stands: '
                    f"{result.kept_because}. The demo accounts are ready. To start over with a "
                    "fresh demo, stop the server and run `make reset-demo` (it moves the local "
                    "database var/awesome-curator.sqlite3 aside and loads the demo anew)."
                )
            )
        counts = ", ".join(
            f"{result.status_counts[status]} {label.lower()}"
            for status, label in EntryStatus.choices
            if result.status_counts.get(status)
        )
        curated_list = result.curated_list
        site = settings.SITE_URL.rstrip("/")
        ready = "stands as it is" if result.kept_because else "is ready"
        self.stdout.write(
            self.style.SUCCESS(f'Demo list "{curated_list.title}" {ready}.')
            + f"\n  {result.entry_count} entries in {result.section_count} sections: {counts}"
            + f"\n  {result.proposal_count} proposed edit(s) of published entries"
            + f"\n  Public page: {site}{curated_list.get_absolute_url()}"
            + f"\n  Admin:       {site}/admin/\n"
        )

    def write_accounts(self, result: DemoResult) -> None:
        header = ("username", "password", "role", "can do")
        rows = [(a.username, a.password, a.role_label, a.can) for a in result.accounts]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]

        def line(cells: tuple[str, ...]) -> str:
            padded = (cell.ljust(width) for cell, width in zip(cells[:3], widths, strict=True))
            return "  ".join([*padded, cells[3]])

        self.stdout.write("Demo accounts (development only: these passwords are public):")
        self.stdout.write("  " + line(header))
        self.stdout.write("  " + line((*tuple("-" * w for w in widths), "-" * len(header[3]))))
        for row in rows:
            self.stdout.write("  " + line(row))
