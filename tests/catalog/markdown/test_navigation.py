"""Navigation sharing a line with other text (issue 12): the back-to-top link is decoration
(reported with its line), the rest of the line stays the section's text."""

from __future__ import annotations

from catalog.markdown.report import BACK_TO_TOP
from tests.catalog.markdown.shapes import entry, imported, section

NAVIGATION = """\
# Awesome Kettles

> Kettles worth boiling water in.

## Electric

*Kettles that plug in.* [back to top](#readme)

- [Pour Over Kettle](https://pour.example/) - Pours a thin steady stream.

## Stove

**[⬆ Back to Index](#index)**<br>
Kettles for the hob.

- [Whistler](https://whistle.example/) - Whistles when it boils.
"""


def test_navigation_in_a_line_is_decoration_and_the_rest_is_kept() -> None:
    doc, report, files = imported(NAVIGATION)
    assert section(doc, "Electric").description == "*Kettles that plug in.*"
    assert section(doc, "Stove").description == "Kettles for the hob."
    assert [(item.url, item.line) for item in report.set_aside if item.reason == BACK_TO_TOP] == [
        ("#readme", 7),
        ("#index", 13),
    ]
    assert entry(doc, "Whistler").url == "https://whistle.example/"
    readme = files["README.md"]
    for gone in ("#readme", "#index", "Back to Index", "back to top"):
        assert gone not in readme
    assert "## Stove\n\nKettles for the hob.\n\n- [Whistler]" in readme


def test_a_line_that_is_only_navigation_is_still_dropped_whole() -> None:
    doc, report, _ = imported(NAVIGATION.replace("*Kettles that plug in.* ", ""))
    assert section(doc, "Electric").description == ""
    assert any(item.url == "#readme" for item in report.set_aside)
