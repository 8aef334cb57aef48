"""Shape 3 of issue 12: sub-bullets under an entry are its details (extra links, tags, notes),
or entries of their own when they have the shape of an item (a titled link and a description).
Every sample is invented; each imports without losing a link, round-trips byte for byte and
exports lint-clean (one awesome-lint call for the module)."""

from __future__ import annotations

import pytest

from catalog.markdown.document import EntryDoc, ExtraLinkDoc, ListDoc
from catalog.markdown.report import BADGE, ImportReport
from tests.catalog.markdown.samples import entries_of, imported, lint

APPS = """
    # Awesome Desk Apps

    > Small apps for the desk.

    ## Notes

    - [Tiny Notes](https://notes.example) - Notes in the menu bar.
      - [App Store](https://apps.example/tiny-notes)
      - ![screenshot](https://notes.example/shot.png)
      - `2024` `swift`
      - ☆ 3095
      - https://git.example/tiny/notes
      - Source: [Codeberg](https://codeberg.example/tiny)
      - [![build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example/tiny)
    - [Pad](https://pad.example) - A scratch pad.
      - [App Store](https://apps.example/pad) · [Google Play](https://play.example/pad)
      - Requires [Java](https://java.example) 21
"""

FAMILY = """
    # Awesome Office

    > Office suites and their parts.

    ## Suites

    - [Office Suite](https://office.example) - Documents for everyone.
      - [Office Writer](https://office.example/writer) - Writes letters.
      - [Office Calc](https://calc.example) - Counts things.
      - [Russian version](https://office.example/ru)
    - [Lists of Lists](https://lists.example) - Lists about lists.
      - [Spreadsheets](https://sheets.example)
      - [Mirror](https://mirror.example/lists)
"""

EXPORTS: dict[str, dict[str, str]] = {}


def sample(name: str, text: str) -> tuple[ListDoc, ImportReport, dict[str, str]]:
    _, doc, report, files = imported(text)
    EXPORTS[name] = files
    return doc, report, files


def test_details_become_extra_links_tags_and_notes() -> None:
    doc, report, files = sample("apps", APPS)
    notes = entries_of(doc, "Notes")
    assert [entry.title for entry in notes] == ["Tiny Notes", "Pad"]
    tiny = notes[0]
    assert tiny == EntryDoc(
        title="Tiny Notes",
        url="https://notes.example",
        description="Notes in the menu bar. ☆ 3095.",
        extra_links=(
            ExtraLinkDoc("App Store", "https://apps.example/tiny-notes"),
            ExtraLinkDoc("Screenshot", "https://notes.example/shot.png"),
            ExtraLinkDoc("git.example", "https://git.example/tiny/notes"),
            ExtraLinkDoc("Source: Codeberg", "https://codeberg.example/tiny"),
        ),
        tags=("2024", "swift"),
    )
    pad = notes[1]
    assert pad.extra_links == (
        ExtraLinkDoc("App Store", "https://apps.example/pad"),
        ExtraLinkDoc("Google Play", "https://play.example/pad"),
    )
    # A detail with words of its own is a note: its link stays in place in the description.
    assert pad.description == "A scratch pad. Requires [Java](https://java.example) 21."
    # The CI badge is decoration, set aside like any badge.
    assert any(
        item.url == "https://img.shields.io/badge/build-passing-green.svg" and item.reason == BADGE
        for item in report.set_aside
    )
    counts = report.repair_counts()
    assert counts["sub-item read as a detail of the entry above"] == 9
    assert "sub-item kept as an entry of its own" not in counts
    assert (
        "- [Tiny Notes](https://notes.example) - Notes in the menu bar. ☆ 3095. "
        "([App Store](https://apps.example/tiny-notes), "
        "[Screenshot](https://notes.example/shot.png), "
        "[git.example](https://git.example/tiny/notes), "
        "[Source: Codeberg](https://codeberg.example/tiny)) (`2024`, `swift`)"
    ) in files["README.md"]


def test_sub_items_shaped_like_entries_stay_entries() -> None:
    doc, report, _ = sample("family", FAMILY)
    suites = entries_of(doc, "Suites")
    assert [(entry.title, entry.url) for entry in suites] == [
        ("Office Suite", "https://office.example"),
        ("Office Writer", "https://office.example/writer"),
        ("Office Calc", "https://calc.example"),
        ("Lists of Lists", "https://lists.example"),
        # A lone titled link that does not read like a link of its parent: an entry.
        ("Spreadsheets", "https://sheets.example"),
    ]
    # "Russian version" and "Mirror" read as links of the entry above.
    assert suites[0].extra_links == (ExtraLinkDoc("Russian version", "https://office.example/ru"),)
    assert suites[3].extra_links == (ExtraLinkDoc("Mirror", "https://mirror.example/lists"),)
    counts = report.repair_counts()
    assert counts["sub-item kept as an entry of its own"] == 3
    assert counts["sub-item read as a detail of the entry above"] == 2


def test_a_page_below_the_parent_is_a_detail() -> None:
    doc, _, _ = sample(
        "forum",
        """
        # Awesome Forums

        > Places to ask.

        ## Boards

        - [Big Board](https://board.example) - A very large bulletin board.
          - [/b/linux](https://board.example/b/linux)
          - [/b/admins](https://board.example/b/admins)
        """,
    )
    (board,) = entries_of(doc, "Boards")
    assert [link.label for link in board.extra_links] == ["/b/linux", "/b/admins"]


def test_text_details_of_an_entry_without_description_open_it() -> None:
    doc, _, files = sample(
        "demos",
        """
        # Awesome Demos

        > Demos to learn from.

        ## Vision

        - [Vision Demos](https://demos.example)
          - face detector (training and detection)
          - optical flow demo
        """,
    )
    (demos,) = entries_of(doc, "Vision")
    assert demos.description == "Face detector (training and detection). optical flow demo."
    assert "- [Vision Demos](https://demos.example) - Face detector" in files["README.md"]


def test_exports_lint_clean(tmp_path_factory: pytest.TempPathFactory) -> None:
    for name, text in (("apps", APPS), ("family", FAMILY)):
        if name not in EXPORTS:
            sample(name, text)
    lint(EXPORTS, tmp_path_factory.mktemp("nested"))
