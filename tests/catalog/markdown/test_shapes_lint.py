"""The exports of the HTML-anchor, HTML-list and icon samples pass awesome-lint (one call)."""

from __future__ import annotations

from pathlib import Path

from tests.catalog.markdown import test_html_anchors, test_html_lists, test_icons
from tests.catalog.markdown.shapes import imported, lint

SAMPLES = {
    "html-anchors": test_html_anchors.ANCHORS,
    "html-br-lines": test_html_lists.BR_LINES,
    "html-cards": test_html_lists.CARDS,
    "html-quote-cards": test_html_lists.QUOTE_CARDS,
    "icons": test_icons.ICONS,
    "icons-intro-legend": test_icons.INTRO_LEGEND,
}


def test_every_sample_exports_lint_clean(tmp_path: Path) -> None:
    lint({name: imported(text)[2] for name, text in SAMPLES.items()}, tmp_path)
