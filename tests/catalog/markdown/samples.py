"""Helpers for the shape tests (test_nested, test_punctuation): import an invented sample,
check that no link went missing, that the export round-trips byte for byte, and lint the
exports of a whole test module in one call of awesome-lint (it starts node once per list)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from textwrap import dedent

from catalog.markdown.document import EntryDoc, ListDoc, iter_sections
from catalog.markdown.links import account, export_missing
from catalog.markdown.parse import parse_files, parse_readme
from catalog.markdown.render import render_files
from catalog.markdown.report import ImportReport
from tests.conftest import LINT_TOOL
from tests.conftest import require_or_skip as require


def imported(text: str) -> tuple[str, ListDoc, ImportReport, dict[str, str]]:
    """Parse ``text`` (dedented) and check every link is accounted for, in the document and in
    the export, and that the export round-trips byte for byte."""
    text = dedent(text).lstrip("\n")
    doc, report = parse_readme(text)
    assert not account(text, doc, report).missing
    files = render_files(doc)
    assert not export_missing(text, files, report)
    again, _ = parse_files(files)
    assert again == doc
    assert render_files(again) == files
    return text, doc, report, files


def entries_of(doc: ListDoc, *path: str) -> tuple[EntryDoc, ...]:
    for found, section in iter_sections(doc.sections):
        if found == path:
            return section.entries
    raise AssertionError(f"no section {path}: {[p for p, _ in iter_sections(doc.sections)]}")


def lint(exports: dict[str, dict[str, str]], root: Path) -> str:
    """awesome-lint over every export (name → files) at once; returns its output."""
    require(LINT_TOOL.exists(), f"the lint tool is not at {LINT_TOOL}")
    require(shutil.which("npm") is not None or shutil.which("node") is not None, "no node/npm")
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
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "✖" not in output.replace("✖ Linting", "")
    return output
