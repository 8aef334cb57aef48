"""The exports of the title and navigation samples pass awesome-lint (one call)."""

from __future__ import annotations

from pathlib import Path

from tests.catalog.markdown import test_navigation, test_rewording, test_titles
from tests.catalog.markdown.shapes import imported, lint

SAMPLES = {
    **test_titles.SAMPLES,
    "navigation": test_navigation.NAVIGATION,
    "rewording": test_rewording.REWORDING,
}


def test_every_sample_exports_lint_clean(tmp_path: Path) -> None:
    lint({name: imported(text)[2] for name, text in SAMPLES.items()}, tmp_path)
