"""Every real list of ../shared/corpus/awesome: imported without losing a link, exported
deterministically, re-imported to the same document, and accepted by awesome-lint 2.3.0.

The corpus lives beside the checkout, never inside it. Outside CI a missing corpus (or a
missing npm for awesome-lint) skips with the reason; with CI=true it fails.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalog.markdown.document import ListDoc
from catalog.markdown.links import account, export_missing
from catalog.markdown.parse import parse_files, parse_readme
from catalog.markdown.render import render_files
from catalog.markdown.report import ImportReport
from tests.conftest import CORPUS, CORPUS_FILES, LINT_TOOL
from tests.conftest import require_or_skip as require


@dataclass(frozen=True)
class Imported:
    text: str
    doc: ListDoc
    report: ImportReport
    files: dict[str, str]


@pytest.fixture(scope="session")
def corpus() -> dict[str, Imported]:
    require(bool(CORPUS_FILES), f"the corpus is not at {CORPUS}")
    imported = {}
    for path in CORPUS_FILES:
        text = path.read_text(encoding="utf-8")
        doc, report = parse_readme(text)
        imported[path.name] = Imported(text, doc, report, render_files(doc))
    return imported


@pytest.fixture(scope="session")
def lint_results(corpus: dict[str, Imported], tmp_path_factory: pytest.TempPathFactory) -> str:
    """awesome-lint over all exports in one call of the tool (it starts node once per list)."""
    require(LINT_TOOL.exists(), f"the lint tool is not at {LINT_TOOL}")
    require(shutil.which("npm") is not None or shutil.which("node") is not None, "no node/npm")
    root = tmp_path_factory.mktemp("exports")
    dirs = []
    for name, item in corpus.items():
        target = root / name.removesuffix(".md")
        target.mkdir()
        for filename, body in item.files.items():
            (target / filename).write_text(body, encoding="utf-8")
        dirs.append(str(target))
    done = subprocess.run(
        [str(LINT_TOOL), *dirs], capture_output=True, text=True, timeout=1200, check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    return output


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[path.stem for path in CORPUS_FILES])
def test_import_keeps_every_link(corpus: dict[str, Imported], path: Path) -> None:
    item = corpus[path.name]
    links = account(item.text, item.doc, item.report)
    assert not links.missing, sorted(links.missing)[:20]
    # In the exported files, only badges, TOC anchors and back-to-top links may be missing.
    assert not export_missing(item.text, item.files, item.report)
    assert item.report.entries > 0


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[path.stem for path in CORPUS_FILES])
def test_export_round_trips_byte_for_byte(corpus: dict[str, Imported], path: Path) -> None:
    item = corpus[path.name]
    assert render_files(item.doc) == item.files  # deterministic
    again, _ = parse_files(item.files)
    assert again == item.doc
    assert render_files(again) == item.files


def test_exports_lint_clean(lint_results: str) -> None:
    assert "✖" not in lint_results.replace("✖ Linting", "")


def test_summary(corpus: dict[str, Imported], capsys: pytest.CaptureFixture[str]) -> None:
    """Entries per list, for the record (shown with ``-s`` or ``-rP``)."""
    lines = [f"{'list':50} {'sections':>8} {'entries':>8} {'extra':>6} {'prose':>6} {'dups':>5}"]
    for name, item in corpus.items():
        report = item.report
        lines.append(
            f"{name.removesuffix('.md'):50} {report.sections:8} {report.entries:8} "
            f"{report.extra_links:6} {report.prose_links:6} {len(report.duplicates):5}"
        )
    print("\n".join(lines))
    assert len(corpus) == len(CORPUS_FILES)
