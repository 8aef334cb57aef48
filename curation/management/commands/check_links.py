"""Check the links of the lists and record their health. Nightly from cron:

    30 3 * * *  cd /srv/curator && .venv/bin/python manage.py check_links --enqueue

Without ``--enqueue`` the check runs here and now, with a progress bar when stderr is a terminal;
with it, a background task does the work (``curation.tasks.check_links_task``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from catalog.models import CuratedList
from curation.health.links import check_links, format_summary


class _Unterminated:
    """tqdm redraws its line with ``\\r``: the command's stderr must not add line endings."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.encoding = getattr(out, "encoding", None)  # tqdm draws a Unicode bar for UTF-8

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()


class Command(BaseCommand):
    help = "Check the links of one list (or all) and record which are moved, failing or dead."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", dest="list_slug", metavar="SLUG", help="Only this list.")
        parser.add_argument(
            "--concurrency",
            type=int,
            metavar="N",
            help="Requests in flight at once (default: LINK_CHECK['CONCURRENCY']).",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the check to a background task."
        )

    def handle(
        self,
        *args: Any,
        list_slug: str | None = None,
        concurrency: int | None = None,
        enqueue: bool = False,
        **options: Any,
    ) -> None:
        if concurrency is not None and concurrency < 1:
            raise CommandError("--concurrency must be at least 1.")
        curated_list = None
        if list_slug:
            curated_list = CuratedList.objects.filter(slug=list_slug).first()
            if curated_list is None:
                slugs = list(CuratedList.objects.order_by("slug").values_list("slug", flat=True))
                known = ", ".join(slugs[:10]) + (", …" if len(slugs) > 10 else "")
                raise CommandError(f"No list with slug {list_slug!r} (lists: {known or 'none'}).")
        if enqueue:
            from curation.tasks import check_links_task

            result = check_links_task.enqueue(list_slug=list_slug, concurrency=concurrency)
            scope = f"list {list_slug!r}" if list_slug else "every list"
            self.stdout.write(f"Link check of {scope} enqueued (task {result.id}).")
            return

        bar = tqdm(
            unit="URL",
            file=_Unterminated(self.stderr),
            disable=not self.stderr.isatty(),
            dynamic_ncols=True,
        )

        def started(total: int) -> None:
            bar.reset(total=total)

        with bar:
            summary = check_links(
                curated_list=curated_list,
                concurrency=concurrency,
                on_start=started,
                on_result=lambda result: bar.update(),
            )
        self.stdout.write(self.style.SUCCESS(format_summary(summary)))
