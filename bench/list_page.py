"""Benchmark: the public list page at growing sizes, against the smallest as a baseline.

Prints, for lists of 20, 200, 2,000 and 5,000 published entries in nested sections: the SQL
queries one page view makes, the median time of the view (Django test client, no network), the
time per entry, and the ratio to the 20-entry list. The query count must stay flat; the time
should grow about linearly with the entries rendered.

    DJANGO_DEBUG=true .venv/bin/python bench/list_page.py [--repeat 7] [--sizes 20,200,2000,5000]

Runs on a throw-away SQLite file (or DATABASE_URL, if set, which it migrates and fills: point it
at a scratch database only).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# The repository root replaces this folder on the path: bench/markdown.py must not shadow the
# markdown package for libraries that look for it (DRF does).
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
_scratch = tempfile.TemporaryDirectory(prefix="curator-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalog.models import CuratedList, Entry, ExtraLink, Marker, Section  # noqa: E402

SECTIONS_PER_LEVEL = 8  # 8 top-level sections, each with 8 subsections: 72 sections


def build_list(size: int) -> CuratedList:
    curated_list = CuratedList.objects.create(slug=f"bench-{size}", title=f"Bench {size}")
    marker = Marker.objects.create(
        curated_list=curated_list, symbol="⭐", slug="pick", label="Pick"
    )
    parents = Section.objects.bulk_create(
        Section(curated_list=curated_list, title=f"Top {n}", slug=f"top-{n}", position=n)
        for n in range(SECTIONS_PER_LEVEL)
    )
    children = Section.objects.bulk_create(
        Section(curated_list=curated_list, parent=p, title=f"Sub {n}", slug=f"sub-{n}", position=n)
        for p in parents
        for n in range(SECTIONS_PER_LEVEL)
    )
    Section.objects.renumber(curated_list)
    now = timezone.now()
    entries = Entry.objects.bulk_create(
        Entry(
            curated_list=curated_list,
            section=children[n % len(children)],
            title=f"Tool {n}",
            url=f"https://example.com/tools/{size}/{n}",
            normalized_url=f"example.com/tools/{size}/{n}",
            description=f"What tool {n} does, in one sentence.",
            position=n,
            status=Entry.Status.PUBLISHED,
            published_at=now,
        )
        for n in range(size)
    )
    Entry.markers.through.objects.bulk_create(
        Entry.markers.through(entry_id=e.pk, marker_id=marker.pk) for e in entries[::5]
    )
    ExtraLink.objects.bulk_create(
        ExtraLink(entry=e, label="Source Code", url=f"https://example.com/src/{e.pk}")
        for e in entries[::3]
    )
    for entry in entries[::4]:
        entry.tags.add("MIT", "Python")
    return curated_list


def measure(client: Client, url: str, repeat: int) -> tuple[int, float]:
    # The page cache would answer every view after the first; this measures the rendering
    # (the cache is measured against a static file by bench/pages.sh).
    cache.clear()
    client.get(url)  # warm templates and connections
    cache.clear()
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    cache.clear()
    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(repeat):
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return len(executed), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", default="20,200,2000,5000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    setup_test_environment(debug=False)  # time what production runs, not DEBUG's extras
    call_command("migrate", verbosity=0)
    client = Client()
    print(f"database: {connection.vendor}; median of {args.repeat} views per size")
    print(f"{'entries':>8} {'queries':>8} {'ms/view':>9} {'µs/entry':>9} {'× baseline':>11}")
    baseline = None
    for size in sizes:
        curated_list = build_list(size)
        count, seconds = measure(client, curated_list.get_absolute_url(), args.repeat)
        baseline = baseline or seconds
        per_entry = seconds / size * 1e6 if size else 0.0
        ratio = seconds / baseline
        print(f"{size:>8} {count:>8} {seconds * 1000:>9.1f} {per_entry:>9.1f} {ratio:>11.1f}")


if __name__ == "__main__":
    main()
