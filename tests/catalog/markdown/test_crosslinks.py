"""In-page cross-links (issue 12, "Also"): "see the [XML](#xml) section" in a section's text or
an entry's description points at the anchor the exported heading gets, instead of being
unlinked because the generated Contents links the same anchor. Invented samples; each imports
without losing a link and round-trips byte for byte (``imported``); the lint runs in
``test_shapes3_lint``."""

from __future__ import annotations

from catalog.markdown import crosslinks
from catalog.markdown.links import urls_in_markdown
from catalog.markdown.syntax import parse_tree
from tests.catalog.markdown.shapes import entry, imported, section

# The source anchors differ from the export's: the H1 "Awesome Formats" takes
# "awesome-formats" in the source (the section of that name is "awesome-formats-1"), in the
# export the H1 is "Awesome Formats Awesome" (its badge) and the section "awesome-formats";
# "## Tools ![beta](…)" is "tools-" in the source, "Tools" once the badge is set aside.
CROSS_LINKS = """\
# Awesome Formats

> Tools for reading and writing data formats.

## Contents

- [JSON](#json)
- [Awesome Formats](#awesome-formats-1)
- [XML](#xml)

## JSON

Parsers first. For markup, see the [XML section](#xml).

- [fastjson](https://fastjson.example/) - Fast parser, unlike the [XML ones](#xml).

### Tools ![beta](https://img.shields.io/badge/status-beta-blue)

- [jq](https://jq.example/) - Query tool, see the [other formats](#awesome-formats-1).

[back to Contents](#contents)

## Awesome Formats

Formats that fit nowhere else, unlike the [JSON](#json) ones and their [tools](#tools-).

- [csvkit](https://csv.example/) - Table tools.

## XML

### Editors

Like the [JSON tools](#tools-) but for XML; see also [Awesome Formats](#awesome-formats-1)
and [YAML](#yaml).

- [xmllint](https://xmllint.example/) - Validator.
"""


def test_cross_links_point_at_the_exported_headings() -> None:
    doc, report, files = imported(CROSS_LINKS)
    assert section(doc, "JSON").description == (
        "Parsers first. For markup, see the [XML section](#xml)."
    )
    assert section(doc, "Awesome Formats").description == (
        "Formats that fit nowhere else, unlike the [JSON](#json) ones and their [tools](#tools)."
    )
    assert section(doc, "XML", "Editors").description == (
        "Like the [JSON tools](#tools) but for XML; see also [Awesome Formats](#awesome-formats)\n"
        "and [YAML](#yaml)."
    )
    assert entry(doc, "fastjson").description == "Fast parser, unlike the [XML ones](#xml)."
    assert entry(doc, "jq").description == "Query tool, see the [other formats](#awesome-formats)."
    # Nothing was unlinked as a repeat of the Contents; the navigation link is still decoration.
    assert not [dup for dup in report.duplicates if dup.url.startswith("#")]
    assert any(item.url == "#contents" for item in report.set_aside)
    readme = files["README.md"]
    assert "For markup, see the [XML section][section-xml].\n\n[section-xml]: #xml\n" in readme
    assert (
        "- [fastjson](https://fastjson.example/) - Fast parser, unlike the [XML ones](#xml)."
        in (readme)
    )
    assert readme.count("[section-xml]: #xml") == 1  # each anchor is defined once


def test_every_cross_link_lands_on_a_heading_of_the_export_but_the_unknown_one() -> None:
    """What a reader clicking the links finds: a heading with that anchor in the README."""
    _, report, files = imported(CROSS_LINKS)
    readme = files["README.md"]
    headings = set(crosslinks.source_anchors(parse_tree(readme)).values())
    in_page = [url[1:] for url in urls_in_markdown(readme) if url.startswith("#")]
    assert {"xml", "json", "tools", "awesome-formats"} <= set(in_page)
    assert [anchor for anchor in in_page if anchor not in headings] == ["yaml"]
    # The anchor that names no section is kept as the author wrote it, and reported.
    assert [(item.text, item.reason) for item in report.not_understood] == [
        ("#yaml", "in-page link to no heading of the list: kept as written")
    ]


def test_a_contents_list_kept_in_the_intro_is_not_a_cross_link() -> None:
    """A list of anchors among other links is kept as intro text; its anchors repeat the
    generated Contents and are unlinked as before (a list of anchors alone reads as contents
    on re-import, so keeping them would not round-trip)."""
    text = """\
# Awesome Formats

Formats and tools.

- [JSON](#json)
- [Related list](https://related.example/)

## JSON

- [fastjson](https://fastjson.example/) - Fast parser.
"""
    doc, report, _ = imported(text)
    assert "- JSON\n" in doc.intro
    assert any(dup.url == "#json" for dup in report.duplicates)


# awesome-lint counts every link of a table row, and takes the first link of an item without a
# title link for its title link: a cross-link there repeats the Contents' link to that heading.
# Written as a reference (``[XML][section-xml]``), which its double-link rule does not count,
# it stays a link and the export is lint-clean.
COUNTED_PLACES = """\
# Awesome Formats

> Tools for reading and writing data formats.

## JSON

- Hand parsing - See the [XML notes](#xml) before you start.
- [fastjson](https://fastjson.example/) - Fast parser.

## XML

- [xmllint](https://xmllint.example/) - Validator.

## Tables

| Name | Description | Works with |
| --- | --- | --- |
| [csvkit](https://csv.example/) | Table tools, unlike the [JSON](#json) ones. | [XML](#xml) |
| [tabula](https://tabula.example/) | Reads tables out of files. | PDF |
"""


def test_a_cross_link_where_every_link_counts_stays_a_link() -> None:
    doc, report, files = imported(COUNTED_PLACES)
    assert entry(doc, "Hand parsing").description == "See the [XML notes](#xml) before you start."
    assert entry(doc, "csvkit").description == "Table tools, unlike the [JSON](#json) ones."
    assert entry(doc, "csvkit").attributes[0].value == "[XML](#xml)"
    assert not [dup for dup in report.duplicates if dup.url.startswith("#")]
    readme = files["README.md"]
    assert (
        "- Hand parsing - See the [XML notes][section-xml] before you start.\n"
        "- [fastjson](https://fastjson.example/) - Fast parser.\n\n[section-xml]: #xml\n"
    ) in readme
    assert "| Table tools, unlike the [JSON][section-json] ones. | [XML][section-xml] |" in readme
    assert "[section-json]: #json\n" in readme
    assert readme.count("[section-xml]: #xml") == 1
