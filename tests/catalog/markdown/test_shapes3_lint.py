"""The exports of the cross-link and section-text samples pass awesome-lint (one call)."""

from __future__ import annotations

from pathlib import Path

from tests.catalog.markdown import test_crosslinks, test_helpers_noticed, test_section_text
from tests.catalog.markdown.shapes import imported, lint

SAMPLES = {
    "cross-links": test_crosslinks.CROSS_LINKS,
    "counted-places": test_crosslinks.COUNTED_PLACES,
    "legend-text": test_helpers_noticed.LEGEND_TEXT,
    "bracket-url": test_helpers_noticed.BRACKET_URL,
    "url-description": test_helpers_noticed.URL_DESCRIPTION,
    "same-name": test_helpers_noticed.SAME_NAME,
    "closing-notes": test_section_text.CLOSING_NOTES,
    "between-lists": test_section_text.BETWEEN_LISTS,
}


def test_every_sample_exports_lint_clean(tmp_path: Path) -> None:
    lint({name: imported(text)[2] for name, text in SAMPLES.items()}, tmp_path)
