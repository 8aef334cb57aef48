"""Benchmark: importing and exporting READMEs, pure and through the database.

For the three largest corpus lists and a generated 10,000-entry list, prints the time to parse
the README (pure), to store it (database, one transaction), to read it back and render it (the
export), the export's query count, and whether the database export equals the pure render.

    DJANGO_DEBUG=true .venv/bin/python bench/markdown.py [--repeat 3] [--cpu]

Targets (issue 3, this 2-core machine): export of awesome-selfhosted ≤ 0.12 s; 10,000 entries
exported ≤ 0.5 s and imported ≤ 5 s. Runs on a throw-away SQLite file unless DATABASE_URL is set
(point it at a scratch database only: lists named bench-* are replaced).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
# The repository root replaces this folder on the path: this file must not shadow the markdown
# package for libraries that look for it (DRF does).
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
_scratch = tempfile.TemporaryDirectory(prefix="curator-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Time what production runs: no SQL logging (make run's DEBUG would add it to every query).
settings.DEBUG = False

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from catalog.export import export_files  # noqa: E402
from catalog.importer import read_readme, store_document  # noqa: E402
from catalog.markdown.document import (  # noqa: E402
    EntryDoc,
    ExtraLinkDoc,
    ListDoc,
    MarkerDef,
    SectionDoc,
    count_entries,
)
from catalog.markdown.render import render_files, render_readme  # noqa: E402
from catalog.models import CuratedList  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "awesome"
LARGEST = (
    "avelino__awesome-go.md",
    "rust-unofficial__awesome-rust.md",
    "awesome-selfhosted__awesome-selfhosted.md",
)
T = TypeVar("T")


clock = time.perf_counter


def timed(function: Callable[[], T], repeat: int) -> tuple[T, float]:
    """The result of the last run and the median time of ``repeat`` runs."""
    times, result = [], None
    for _ in range(repeat):
        start = clock()
        result = function()
        times.append(clock() - start)
    return result, statistics.median(times)  # type: ignore[return-value]


def generated(entries: int = 10_000, per_section: int = 100, *, placed: bool = False) -> str:
    """A README of ``entries`` entries in nested sections, with markers, tags and extra links;
    with ``placed``, every tenth entry of a group is also listed in the next group (one entry
    placed in two sections, as cross-listing lists do: 891 placements)."""
    sections = []
    previous: tuple[EntryDoc, ...] = ()
    for s in range(entries // per_section):
        docs = tuple(
            EntryDoc(
                title=f"Tool {s}-{n}",
                url=f"https://tools.example.org/{s}/{n}",
                description=f"Does thing number {n} of group {s} quickly.",
                extra_links=(ExtraLinkDoc("Source Code", f"https://src.example.org/{s}/{n}"),)
                if n % 3 == 0
                else (),
                markers=("⭐",) if n % 10 == 0 else (),
                tags=("MIT", "Python") if n % 4 == 0 else (),
            )
            for n in range(per_section)
        )
        child = SectionDoc(title=f"Group {s} Extras", slug=f"group-{s}-extras", entries=docs[:10])
        own = docs[10:] + (previous[10::10] if placed else ())
        previous = docs
        sections.append(
            SectionDoc(title=f"Group {s}", slug=f"group-{s}", entries=own, children=(child,))
        )
    doc = ListDoc(
        title="Awesome Generated",
        tagline="A generated list for benchmarks.",
        markers=(MarkerDef("⭐", "star", "Recommended"),),
        sections=tuple(sections),
    )
    return render_readme(doc)


def count_queries(function: Callable[[], object]) -> int:
    executed: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        function()
    return len(executed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the CPU this process uses instead of the wall clock: steadier on a shared "
        "machine (SQLite runs in the process; a PostgreSQL server's time is not counted)",
    )
    args = parser.parse_args()
    global clock
    if args.cpu:
        clock = time.process_time
    call_command("migrate", verbosity=0)

    sources = [(name.split("__")[1][:-3], (CORPUS / name).read_bytes()) for name in LARGEST]
    sources.append(("generated-10000", generated().encode()))
    sources.append(("generated-10000-placed", generated(placed=True).encode()))
    print(
        f"database: {connection.vendor}; median of {args.repeat} runs; "
        f"{'CPU' if args.cpu else 'wall-clock'} seconds"
    )
    header = (
        f"{'list':<24} {'entries':>7} {'parse s':>8} {'store s':>8} {'import s':>9} "
        f"{'render s':>9} {'export s':>9} {'queries':>8}  same bytes"
    )
    print(header)
    for name, data in sources:
        slug = f"bench-{name}"
        (doc, _), parse_s = timed(lambda data=data: read_readme(data), args.repeat)
        store_times = []
        for _ in range(args.repeat):  # a fresh list each time: an import, not a replacement
            CuratedList.objects.filter(slug=slug).delete()
            _, seconds = timed(lambda doc=doc, slug=slug: store_document(doc, slug=slug), 1)
            store_times.append(seconds)
        store_s = statistics.median(store_times)
        curated_list = CuratedList.objects.get(slug=slug)
        pure, render_s = timed(lambda doc=doc: render_files(doc), args.repeat)
        exported, export_s = timed(lambda cl=curated_list: export_files(cl), args.repeat)
        queries = count_queries(lambda cl=curated_list: export_files(cl))
        print(
            f"{name:<24} {count_entries(doc):>7} {parse_s:>8.3f} {store_s:>8.3f} "
            f"{parse_s + store_s:>9.3f} {render_s:>9.3f} {export_s:>9.3f} {queries:>8}  "
            f"{'yes' if exported == pure else 'NO'}"
        )
    print(
        "import = parse + store (one transaction); export = read the database + render. "
        "Targets: selfhosted export <= 0.12 s; 10,000 entries export <= 0.5 s, import <= 5 s."
    )


if __name__ == "__main__":
    main()
