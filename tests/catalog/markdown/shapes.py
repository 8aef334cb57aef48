"""Helpers for the tests of issue 12's shapes: import a sample, check the round trip, lint the
exports of all samples in one call of awesome-lint-check."""

from __future__ import annotations

import subprocess
from pathlib import Path

from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc, iter_sections
from catalog.markdown.links import record
from catalog.markdown.parse import parse_files, parse_readme
from catalog.markdown.render import render_files
from catalog.markdown.report import ImportReport
from tests.conftest import LINT_TOOL
from tests.conftest import require_or_skip as require


def imported(text: str) -> tuple[ListDoc, ImportReport, dict[str, str]]:
    """Parse ``text``, account for its links, render it, and check the byte-for-byte round
    trip (parse → render → parse gives the same document; rendering again the same bytes)."""
    doc, report = parse_readme(text)
    tally = record(text, doc, report)
    assert tally.lost == (), tally.lost
    files = render_files(doc)
    again, _ = parse_files(files)
    assert again == doc
    assert render_files(again) == files
    return doc, report, files


def section(doc: ListDoc, *path: str) -> SectionDoc:
    for found_path, found in iter_sections(doc.sections):
        if found_path == path:
            return found
    raise AssertionError(f"no section {path}: {[p for p, _ in iter_sections(doc.sections)]}")


def entry(doc: ListDoc, title: str) -> EntryDoc:
    for _, found in iter_sections(doc.sections):
        for item in found.entries:
            if item.title == title:
                return item
    raise AssertionError(f"no entry {title!r}")


def links(item: EntryDoc) -> list[tuple[str, str]]:
    return [(link.label, link.url) for link in item.extra_links]


def lint(exports: dict[str, dict[str, str]], root: Path) -> None:
    """awesome-lint over every export in one call (skips outside CI without the tool)."""
    require(LINT_TOOL.exists(), f"the lint tool is not at {LINT_TOOL}")
    dirs = []
    for name, files in exports.items():
        target = root / name
        target.mkdir()
        for filename, body in files.items():
            (target / filename).write_text(body, encoding="utf-8")
        dirs.append(str(target))
    done = subprocess.run(
        [str(LINT_TOOL), *dirs], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
