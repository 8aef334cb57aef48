"""Benchmark: a README sync against a replace import of the same list, in the same run.

Generates a list of 5,000 entries (sections of 50), imports it, then brings in the same list
with 50 changes (added, removed, edited, new URL, moved to another section — ten of each) two
ways, each on its own fresh copy of the list:

- ``sync_readme --apply`` (plan + apply through the workflow services), and ``--as-submissions``;
- ``import_readme --replace`` (with the list's editorial history removed first, or it refuses).

Prints wall time and query count of each. Target (issue 13, this 2-core machine): the sync
under 10 s, with a query count that does not grow with the list.

    DJANGO_DEBUG=true .venv/bin/python bench/sync.py [--entries 5000] [--changes 50]

Runs on a throw-away SQLite file unless DATABASE_URL is set (point it at a scratch database
only: lists named bench-sync-* are replaced).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
_scratch = tempfile.TemporaryDirectory(prefix="curator-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from catalog.importer import store_document  # noqa: E402
from catalog.markdown.document import ListDoc, count_entries  # noqa: E402
from catalog.models import CuratedList  # noqa: E402
from curation.sync import apply_sync, plan_sync  # noqa: E402
from tests.curation.synclists import generated_list, with_changes  # noqa: E402


def fresh(slug: str, doc: ListDoc) -> CuratedList:
    CuratedList.objects.filter(slug=slug).delete()
    return store_document(doc, slug=slug).curated_list


def measure(label: str, action) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - start
    print(f"{label:<40} {elapsed:7.2f} s {queries:7d} queries   {result}")
    return elapsed, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    curator, _ = get_user_model().objects.get_or_create(
        username="bench-sync", defaults={"is_superuser": True, "is_staff": True}
    )
    old = generated_list(args.entries)
    new = with_changes(old, args.changes)
    print(
        f"{connection.vendor}: a list of {count_entries(old)} entries, "
        f"{len(old.sections)} sections; the new README has {args.changes} changes."
    )

    def sync(publish: bool):  # type: ignore[no-untyped-def]
        def run() -> str:
            curated_list = CuratedList.objects.get(slug="bench-sync")
            plan = plan_sync(curated_list, new, source="bench")
            outcome = apply_sync(plan, actor=curator, publish=publish)
            return plan.changes.summary() + " | " + outcome.format(publish=publish).splitlines()[0]

        return run

    fresh("bench-sync", old)
    measure(
        "sync_readme --dry-run (plan only)",
        lambda: plan_sync(
            CuratedList.objects.get(slug="bench-sync"), new, source="bench"
        ).changes.summary(),
    )
    measure("sync_readme --apply", sync(publish=True))
    measure("sync_readme again (nothing to do)", sync(publish=True))
    fresh("bench-sync", old)
    measure("sync_readme --as-submissions", sync(publish=False))

    fresh("bench-sync", old)

    def replace() -> str:
        outcome = store_document(new, slug="bench-sync", replace=True)
        return f"{outcome.entries} entries written, {outcome.replaced_entries} replaced"

    measure("import_readme --replace (same list)", replace)
    CuratedList.objects.filter(slug="bench-sync").delete()


if __name__ == "__main__":
    main()
