"""python manage.py render_readme SOURCE [--output DIR] [--timeout SECONDS]

The command a list repository runs in its own CI: SOURCE is a saved list document or its URL
(``https://cms.example/api/lists/<slug>/document/``). It writes exactly what ``export_readme``
writes — the same renderer over the same ``ListDoc`` — and never opens the database.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.document_source import DEFAULT_TIMEOUT, SourceError, read_source
from catalog.management.files import emit_files
from catalog.markdown.render import render_files


class Command(BaseCommand):
    help = (
        "Render README.md (plus contributing.md and, where the list has one, license.md) from a "
        "list document — a file or an http(s) URL — into DIR, or the README alone to standard "
        "output. Needs no database."
    )
    # A list repository's CI has no database and no migrations to check.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="path of a saved list document, or its http(s) URL")
        parser.add_argument("--output", "-o", help="directory to write the files into")
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help=f"seconds to wait for the server (default {DEFAULT_TIMEOUT:g})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            doc = read_source(options["source"], timeout=options["timeout"])
        except SourceError as error:
            raise CommandError(str(error)) from error
        emit_files(self, render_files(doc), options["output"])
