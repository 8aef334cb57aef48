"""An entry listed in several sections: one entry placed in each, shown in full in each, with
a reference title link after its first appearance so that awesome-lint's double-link rule
accepts the README; the same URL twice in one section stays a reported duplicate."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from catalog.document_json import DocumentError, document_from_json, document_to_json
from catalog.markdown.document import (
    EntryDoc,
    ExtraLinkDoc,
    FooterBlock,
    ListDoc,
    SectionDoc,
    count_entries,
    iter_sections,
)
from catalog.markdown.links import account
from catalog.markdown.parse import parse_files, parse_readme
from catalog.markdown.placements import first_placements, sections_by_entry
from catalog.markdown.render import render_files, render_readme
from tests.conftest import LINT_TOOL, require_or_skip

# A hand list that cross-lists, as many do: the timer under Brewing, Timing and Timing › Apps
# (once spelled with a trailing slash), the scale under Brewing and Apps with words of its own,
# the clock twice in Timing (a real duplicate), and a book without a URL in two sections.
CROSS_LISTED = """\
# Awesome Tea

> Teas and tools for people who brew at home.

## Brewing

- [Gongfu Timer](https://gongfu.example.org) - Times short repeated infusions. ([Source Code](https://git.example.org/gongfu))
- [Leaf Scale](https://scale.example.org) - Weighs leaves to a tenth of a gram.
- The Book of Tea - A short classic.

## Timing

- [Kettle Clock](https://kettle.example.org) - Watches the kettle.
- [Gongfu Timer](https://gongfu.example.org/) - Times short repeated infusions. ([Demo](https://demo.gongfu.example.org))
- [Kettle Clock](https://kettle.example.org) - Watches the kettle again. ([Mirror](https://mirror.kettle.example.org))

### Apps

- [Gongfu Timer](https://gongfu.example.org) - Times short repeated infusions.
- [Leaf Scale](https://scale.example.org) - Weighs leaves.
- The Book of Tea - A short classic.
"""


def seen_by_reader(doc: ListDoc) -> dict[tuple[str, ...], list[tuple[str, str]]]:
    """Per section, the (title, URL) of every entry a reader sees there, in order."""
    return {
        path: [(entry.title, entry.url) for entry in section.entries]
        for path, section in iter_sections(doc.sections)
    }


def entry_in(doc: ListDoc, path: tuple[str, ...], title: str) -> EntryDoc:
    section = dict(iter_sections(doc.sections))[path]
    return next(entry for entry in section.entries if entry.title == title)


def test_the_same_url_in_other_sections_is_one_entry_shown_in_each() -> None:
    doc, report = parse_readme(CROSS_LISTED)
    assert seen_by_reader(doc) == {
        ("Brewing",): [
            ("Gongfu Timer", "https://gongfu.example.org"),
            ("Leaf Scale", "https://scale.example.org"),
            ("The Book of Tea", ""),
        ],
        ("Timing",): [
            ("Kettle Clock", "https://kettle.example.org"),
            ("Gongfu Timer", "https://gongfu.example.org"),
        ],
        ("Timing", "Apps"): [
            ("Gongfu Timer", "https://gongfu.example.org"),
            ("Leaf Scale", "https://scale.example.org"),
            ("The Book of Tea", ""),
        ],
    }
    timer = entry_in(doc, ("Brewing",), "Gongfu Timer")
    # One entry: the same value in every section, with the links each place brought.
    assert entry_in(doc, ("Timing",), "Gongfu Timer") == timer
    assert entry_in(doc, ("Timing", "Apps"), "Gongfu Timer") == timer
    assert timer.extra_links == (
        ExtraLinkDoc("Source Code", "https://git.example.org/gongfu"),
        ExtraLinkDoc("Demo", "https://demo.gongfu.example.org"),
    )
    # The entry's own words win; the report says the scale's second wording was not kept.
    scale = entry_in(doc, ("Timing", "Apps"), "Leaf Scale")
    assert scale.description == "Weighs leaves to a tenth of a gram."
    assert any(
        r.kind == "placement shows the entry as first listed" and r.line == 20
        for r in report.repairs
    )
    # The clock twice in one section is a duplicate, merged and reported as before.
    clock = entry_in(doc, ("Timing",), "Kettle Clock")
    assert clock.extra_links == (ExtraLinkDoc("Mirror", "https://mirror.kettle.example.org"),)
    assert [(d.url, d.first.line, d.second.line) for d in report.duplicates] == [
        ("https://kettle.example.org", 13, 15)
    ]
    # Placements are reported with both places; counts count each entry once.
    assert [(p.url, p.first.path, p.further.path, p.further.line) for p in report.placements] == [
        ("https://gongfu.example.org/", ("Brewing",), ("Timing",), 14),
        ("https://gongfu.example.org", ("Brewing",), ("Timing", "Apps"), 19),
        ("https://scale.example.org", ("Brewing",), ("Timing", "Apps"), 20),
    ]
    assert "Entries placed in several sections (3 placements):" in report.format()
    # Books without a URL cannot be told apart: two entries. Three with a URL, two books.
    assert report.entries == count_entries(doc) == 5
    assert report.extra_links == 3
    assert not account(CROSS_LISTED, doc, report).missing


def test_the_readme_shows_the_entry_in_every_section_and_round_trips() -> None:
    doc, _ = parse_readme(CROSS_LISTED)
    files = render_files(doc)
    readme = files["README.md"]
    brewing, timing = readme.split("## Timing\n")
    timing, apps = timing.split("### Apps\n")
    apps = apps.split("## Contributing")[0]
    line = (
        " - Times short repeated infusions. ([Source Code](https://git.example.org/gongfu),"
        " [Demo](https://demo.gongfu.example.org))"
    )
    assert f"- [Gongfu Timer](https://gongfu.example.org){line}" in brewing
    assert f"- [Gongfu Timer][placement-1]{line}" in timing
    assert "[placement-1]: https://gongfu.example.org\n" in timing
    assert f"- [Gongfu Timer][placement-2]{line}" in apps
    assert "- [Leaf Scale][placement-3] - Weighs leaves to a tenth of a gram.\n" in apps
    assert (
        "[placement-2]: https://gongfu.example.org\n[placement-3]: https://scale.example.org"
        in apps
    )
    # Only the first appearance carries the inline link.
    assert readme.count("](https://gongfu.example.org)") == 1

    again, report = parse_files(files)
    assert again == doc
    assert len(report.placements) == 3
    assert not report.duplicates
    assert render_files(again) == files


def test_placement_before_the_first_appearance_of_a_subsection_keeps_readme_order() -> None:
    # Placed in a parent section after its subsection: README order decides which copy is
    # written inline (the first one read), whatever the database calls its own section.
    shared = EntryDoc(title="Tool", url="https://tool.example", description="Does things.")
    doc = ListDoc(
        title="Awesome Things",
        sections=(
            SectionDoc(
                title="A",
                slug="a",
                entries=(EntryDoc(title="Other", url="https://other.example"), shared),
                children=(SectionDoc(title="B", slug="b", entries=(shared,)),),
            ),
            SectionDoc(title="C", slug="c", entries=(shared,)),
        ),
        footer=(FooterBlock(title="Contributing"),),
    )
    readme = render_readme(doc)
    assert readme.count("[Tool](https://tool.example)") == 1
    assert "- [Tool][placement-1] - Does things." in readme.split("### B")[1]
    assert "- [Tool][placement-2] - Does things." in readme.split("\n## C\n")[1]
    again, report = parse_readme(readme)
    assert again.sections == doc.sections
    assert [p.further.path for p in report.placements] == [("A", "B"), ("C",)]
    assert render_readme(again) == readme


def test_alphabetical_lists_place_the_entry_in_order_in_each_section() -> None:
    shared = EntryDoc(title="Mango", url="https://mango.example", description="Fruit.")
    doc = ListDoc(
        title="Awesome Fruit",
        ordering="alphabetical",
        sections=(
            SectionDoc(
                title="Sweet",
                slug="sweet",
                entries=(shared, EntryDoc(title="Apple", url="https://apple.example")),
            ),
            SectionDoc(
                title="Tropical",
                slug="tropical",
                entries=(EntryDoc(title="Zapote", url="https://zapote.example"), shared),
            ),
        ),
    )
    readme = render_readme(doc)
    sweet, tropical = readme.split("## Tropical")
    assert sweet.index("[Apple]") < sweet.index("[Mango](https://mango.example)")
    assert tropical.index("[Mango][placement-1]") < tropical.index("[Zapote]")


def test_helpers_name_the_sections_of_each_entry() -> None:
    doc, _ = parse_readme(CROSS_LISTED)
    shown = sections_by_entry(doc)
    assert shown["gongfu.example.org"] == [("brewing",), ("timing",), ("timing", "apps")]
    assert shown["scale.example.org"] == [("brewing",), ("timing", "apps")]
    assert [entry.title for entry in first_placements(doc)] == [
        "Gongfu Timer",
        "Leaf Scale",
        "The Book of Tea",
        "Kettle Clock",
        "The Book of Tea",
    ]


def test_the_list_document_names_the_other_sections_and_is_read_strictly() -> None:
    doc, _ = parse_readme(CROSS_LISTED)
    data = json.loads(json.dumps(document_to_json(doc, slug="awesome-tea")))
    brewing, timing = data["sections"]
    assert brewing["entries"][0]["also_in"] == ["timing", "timing/apps"]
    assert brewing["entries"][2]["also_in"] == []  # the book: no URL, no identity
    assert timing["entries"][1]["also_in"] == ["brewing", "timing/apps"]
    assert timing["children"][0]["entries"][1]["also_in"] == ["brewing"]
    assert document_from_json(data) == doc

    timing["entries"][1]["also_in"] = ["brewing"]
    with pytest.raises(DocumentError, match=r"sections\[1\]\.entries\[1\]\.also_in"):
        document_from_json(data)


def test_cross_listed_exports_are_lint_clean(tmp_path: Path) -> None:
    """awesome-lint 2.3.0, in one call, on the exports of the samples of this file."""
    require_or_skip(LINT_TOOL.exists(), f"the lint tool is not at {LINT_TOOL}")
    require_or_skip(shutil.which("npm") is not None or shutil.which("node") is not None, "no npm")
    shared = EntryDoc(title="Tool", url="https://tool.example", description="Does things.")
    nested = ListDoc(
        title="Awesome Things",
        sections=(
            SectionDoc(
                title="A",
                slug="a",
                entries=(EntryDoc(title="Other", url="https://other.example"), shared),
                children=(SectionDoc(title="B", slug="b", entries=(shared,)),),
            ),
            SectionDoc(title="C", slug="c", entries=(shared,)),
        ),
    )
    dirs = []
    for name, doc in (("tea", parse_readme(CROSS_LISTED)[0]), ("things", nested)):
        target = tmp_path / name
        target.mkdir()
        for filename, body in render_files(doc).items():
            (target / filename).write_text(body, encoding="utf-8")
        dirs.append(str(target))
    done = subprocess.run(
        [str(LINT_TOOL), *dirs], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
