"""Benchmark: what one huge README costs the import (issue 17), time and peak memory.

Generates a README of tiny items (``- [a1](https://e.example/1)``, 100 per section) of about
``--mb`` megabytes, and runs ``read_readme`` on it — the step every way in (the admin's import
and sync, ``import_readme``, ``sync_readme``) runs first — in a fresh process, so that the peak
resident memory (``ru_maxrss``) is this run's alone.

    DJANGO_DEBUG=true .venv/bin/python bench/huge_readme.py [--mb 5] [--items N]

``--items`` generates exactly N items instead (e.g. 20000: the largest import accepted,
``catalog.importer.MAX_README_ITEMS``). Prints the size, the item count, the outcome (entries
parsed or the refusal), the wall time of ``read_readme`` and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # as bench/markdown.py: this folder must not shadow the markdown package
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from catalog.importer import ImportRefused, read_readme  # noqa: E402
from catalog.markdown.document import count_entries  # noqa: E402


def tiny_items(*, megabytes: float | None = None, items: int | None = None) -> bytes:
    """``items`` tiny items, or as many as fill ``megabytes``, 100 to a section."""
    lines = ["# Awesome Huge", "", "> Tiny items.", ""]
    size, n = 0, 0
    limit = int(megabytes * 1024 * 1024) if megabytes is not None else None
    while items is None or n < items:
        heading = f"\n## Section {n // 100}\n" if n % 100 == 0 else ""
        line = f"- [a{n}](https://e.example/{n})"
        grown = size + len(heading) + bool(heading) + len(line) + 1
        if limit is not None and grown > limit - 64:  # stays under the size limit
            break
        if heading:
            lines.append(heading)
        lines.append(line)
        size, n = grown, n + 1
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of the README (default 5)")
    parser.add_argument("--items", type=int, help="exactly this many items instead of --mb")
    args = parser.parse_args()
    data = tiny_items(items=args.items, megabytes=None if args.items is not None else args.mb)
    items = data.count(b"\n- [")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        doc, _ = read_readme(data)
        outcome = f"parsed {count_entries(doc)} entries"
    except ImportRefused as error:
        outcome = "refused: " + " ".join(error.messages)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"README: {len(data) / 1024 / 1024:.2f} MB, {items} items")
    print(f"outcome: {outcome}")
    print(f"read_readme: {seconds:.2f} s; peak RSS {peak / 1024:.0f} MB", end="")
    print(f" (before it: {before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
