# Sample tables are Markdown as lists write them: one row per line, however long.
# ruff: noqa: E501
"""Tables with columns (issue 12, shape 4): each column keeps its meaning.

Invented lists in the shapes real ones take: public-apis' ``| API | Description | Auth | HTTPS |
CORS |``, a table whose name column is not the first, one with an icon column, a Stars column
(text or a shields.io badge), a Licence and a Tags column. Each is read the way a reader sees it
(titles, URLs, descriptions, attributes by column, sections), exported as a table, lint-clean,
and round-trips byte for byte.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from catalog.document_json import document_from_json, document_to_json
from catalog.markdown.document import (
    AttributeDoc,
    ColumnDoc,
    EntryDoc,
    FooterBlock,
    ListDoc,
    SectionDoc,
    iter_sections,
)
from catalog.markdown.links import account, export_missing
from catalog.markdown.parse import parse_files, parse_readme
from catalog.markdown.render import render_files, render_readme
from catalog.markdown.report import BADGE
from tests.conftest import LINT_TOOL, require_or_skip

HEAD = """# Awesome Open Data APIs [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

> Public APIs for open data, with what each asks of you.
"""
TAIL = """
## Contributing

Open a pull request with one API per line.
"""

PUBLIC_APIS = (
    HEAD
    + """
## Contents

- [Weather](#weather)
- [Transport](#transport)

## Weather

Forecasts and observations.

| API | Description | Auth | HTTPS | CORS |
|---|---|:---:|---|---|
| [Cloudcast](https://cloudcast.example.org/api) | Hourly forecasts for any town | `apiKey` | Yes | Unknown |
| [Rain Radar](https://radar.example.net/) | Radar images every five minutes ([Docs](https://docs.radar.example.net/)) | No | Yes | Yes |
| [Sunny](https://sunny.example.com) | Sunrise \\| sunset times | | No | No |

## Transport

| API | Description | Auth | HTTPS | CORS |
|---|---|---|---|---|
| [Tram Times](https://trams.example.org/v2) | Live departures of city trams | `OAuth` | Yes | No |
"""
    + TAIL
)

ICONS_AND_STARS = (
    HEAD
    + """
## Datasets

| | Name | Stars | License | Tags | About |
|---|---|---|---|---|---|
| ![icon](https://records.example.org/icon.png) | **[Old Records](https://records.example.org)** | ★ 3.2k | MIT | `csv` `json` | Two centuries of station data, cleaned |
| ![icon](https://thermo.example.org/logo.svg) | [Thermo](https://thermo.example.org) | [![stars](https://img.shields.io/github/stars/ex/thermo)](https://github.com/ex/thermo/stargazers) | Apache-2.0 | `api` | Temperature anomalies by month |
| | [Tide Tables](https://tides.example.com) | 中文 12 | | | 潮汐表：各港口的潮汐预报 |
"""
    + TAIL
)

NAME_NOT_FIRST = (
    HEAD
    + """
## Libraries

| Language | Library | Notes | Repository |
|---|---|---|---|
| Go | [geoparse](https://geoparse.example.dev) | Parses GeoJSON streams without loading them whole | [source](https://git.example.dev/geoparse) |
| Rust | [tilecut](https://tilecut.example.dev) | Cuts vector tiles on the fly for web maps | [source](https://git.example.dev/tilecut) |
"""
    + TAIL
)

SAMPLES = {
    "public-apis": PUBLIC_APIS,
    "icons-and-stars": ICONS_AND_STARS,
    "name-not-first": NAME_NOT_FIRST,
}


def entries_of(doc: ListDoc, title: str) -> tuple[EntryDoc, ...]:
    return next(
        section for path, section in iter_sections(doc.sections) if path[-1] == title
    ).entries


def attributes(entry: EntryDoc) -> dict[str, str]:
    return {attribute.label: attribute.value for attribute in entry.attributes}


# --- what a reader sees ---------------------------------------------------------------------


def test_public_apis_columns_become_labelled_attributes_not_description_text() -> None:
    doc, report = parse_readme(PUBLIC_APIS)
    assert [section.title for section in doc.sections] == ["Weather", "Transport"]
    weather = doc.sections[0]
    assert weather.description == "Forecasts and observations."
    assert weather.columns == (
        ColumnDoc("API", "title"),
        ColumnDoc("Description", "description"),
        ColumnDoc("Auth", "attribute"),
        ColumnDoc("HTTPS", "attribute"),
        ColumnDoc("CORS", "attribute"),
    )
    cloudcast, radar, sunny = weather.entries
    assert (cloudcast.title, cloudcast.url) == ("Cloudcast", "https://cloudcast.example.org/api")
    assert cloudcast.description == "Hourly forecasts for any town."
    assert attributes(cloudcast) == {"Auth": "`apiKey`", "HTTPS": "Yes", "CORS": "Unknown"}
    assert radar.description == "Radar images every five minutes."
    assert [(link.label, link.url) for link in radar.extra_links] == [
        ("Docs", "https://docs.radar.example.net/")
    ]
    assert attributes(radar) == {"Auth": "No", "HTTPS": "Yes", "CORS": "Yes"}
    # An empty cell is no attribute; an escaped pipe stays in the description.
    assert attributes(sunny) == {"HTTPS": "No", "CORS": "No"}
    assert sunny.description == "Sunrise | sunset times."
    for entry in weather.entries:
        assert "apiKey" not in entry.description
        assert "Yes" not in entry.description
    (tram,) = doc.sections[1].entries
    assert attributes(tram) == {"Auth": "`OAuth`", "HTTPS": "Yes", "CORS": "No"}
    assert report.entries == 4


def test_icon_stars_licence_and_tag_columns() -> None:
    doc, report = parse_readme(ICONS_AND_STARS)
    records, thermo, tides = entries_of(doc, "Datasets")
    assert doc.sections[0].columns == (
        ColumnDoc("", "attribute"),
        ColumnDoc("Name", "title"),
        ColumnDoc("Stars", "attribute"),
        ColumnDoc("License", "attribute"),
        ColumnDoc("Tags", "tags"),
        ColumnDoc("About", "description"),
    )
    # The bold title link is the title; the icon carries meaning and is kept, by column.
    assert (records.title, records.url) == ("Old Records", "https://records.example.org")
    assert attributes(records) == {
        "": "![icon](https://records.example.org/icon.png)",
        "Stars": "★ 3.2k",
        "License": "MIT",
    }
    assert records.tags == ("csv", "json")
    assert records.description == "Two centuries of station data, cleaned."
    # A shields.io star badge is decoration: set aside as a badge and reported, not an attribute.
    assert attributes(thermo) == {
        "": "![icon](https://thermo.example.org/logo.svg)",
        "License": "Apache-2.0",
    }
    badges = {item.url for item in report.set_aside if item.reason == BADGE}
    assert "https://img.shields.io/github/stars/ex/thermo" in badges
    assert "https://github.com/ex/thermo/stargazers" in badges
    assert thermo.tags == ("api",)
    # A row without icon, licence or tags has only the attributes it fills.
    assert attributes(tides) == {"Stars": "中文 12"}
    assert tides.description.startswith("潮汐表：各港口的潮汐预报")  # the sentence end is shape 6's
    assert tides.tags == ()


def test_the_name_column_need_not_be_first() -> None:
    doc, _ = parse_readme(NAME_NOT_FIRST)
    geoparse, tilecut = entries_of(doc, "Libraries")
    assert doc.sections[0].columns == (
        ColumnDoc("Language", "attribute"),
        ColumnDoc("Library", "title"),
        ColumnDoc("Notes", "description"),
        ColumnDoc("Repository", "attribute"),
    )
    assert (geoparse.title, geoparse.url) == ("geoparse", "https://geoparse.example.dev")
    assert geoparse.description == "Parses GeoJSON streams without loading them whole."
    assert attributes(geoparse) == {
        "Language": "Go",
        "Repository": "[source](https://git.example.dev/geoparse)",
    }
    assert attributes(tilecut)["Language"] == "Rust"


def test_a_two_column_table_keeps_working_as_before() -> None:
    text = (
        HEAD
        + """
## Reading

| Link | Preview |
|---|---|
| [Why open data](https://essay.example.org/why) | A short essay on publishing data |
| [Data licences](https://essay.example.org/licences) | Which licence fits which dataset |
"""
        + TAIL
    )
    doc, _ = parse_readme(text)
    first, second = entries_of(doc, "Reading")
    assert first.description == "A short essay on publishing data."
    assert first.attributes == ()
    assert second.attributes == ()
    assert doc.sections[0].columns == (
        ColumnDoc("Link", "title"),
        ColumnDoc("Preview", "description"),
    )


@pytest.mark.parametrize("name", SAMPLES)
def test_every_link_is_accounted_for(name: str) -> None:
    text = SAMPLES[name]
    doc, report = parse_readme(text)
    assert not account(text, doc, report).missing
    assert not export_missing(text, render_files(doc), report)


# --- export ---------------------------------------------------------------------------------


def test_a_table_goes_out_as_a_table_in_its_column_order() -> None:
    doc, _ = parse_readme(PUBLIC_APIS)
    readme = render_readme(doc)
    weather = """
| API                                            | Description                                                                | Auth     | HTTPS | CORS    |
| ---------------------------------------------- | -------------------------------------------------------------------------- | -------- | ----- | ------- |
| [Cloudcast](https://cloudcast.example.org/api) | Hourly forecasts for any town.                                             | `apiKey` | Yes   | Unknown |
| [Rain Radar](https://radar.example.net/)       | Radar images every five minutes. ([Docs](https://docs.radar.example.net/)) | No       | Yes   | Yes     |
| [Sunny](https://sunny.example.com)             | Sunrise \\| sunset times.                                                   |          | No    | No      |
"""
    assert "Forecasts and observations.\n" + weather in readme
    assert "- [Cloudcast]" not in readme  # not a list item any more


def test_pipes_align_in_utf16_units_as_remark_lint_counts() -> None:
    doc, _ = parse_readme(ICONS_AND_STARS)
    table = [line for line in render_readme(doc).splitlines() if line.startswith("|")]
    widths = {len(line.encode("utf-16-le")) // 2 for line in table}
    assert len(table) == 5
    assert len(widths) == 1


@pytest.mark.parametrize("name", SAMPLES)
def test_export_round_trips_byte_for_byte(name: str) -> None:
    doc, _ = parse_readme(SAMPLES[name])
    files = render_files(doc)
    assert render_files(doc) == files
    again, _ = parse_files(files)
    assert again == doc
    assert render_files(again) == files


def test_attributes_without_columns_are_written_as_a_table_and_kept() -> None:
    """An entry given attributes in the admin, in a section that was a list: nothing is lost."""
    doc = ListDoc(
        title="Awesome Maps",
        tagline="Maps and the tools to make them.",
        sections=(
            SectionDoc(
                title="Tiles",
                slug="tiles",
                entries=(
                    EntryDoc(
                        title="Tilecut",
                        url="https://tilecut.example.dev",
                        description="Cuts vector tiles.",
                        tags=("rust",),
                        attributes=(AttributeDoc("Licence", "MIT"),),
                    ),
                    EntryDoc(title="Plain Tiles", url="https://plain.example.dev"),
                ),
            ),
        ),
        footer=(FooterBlock("Contributing"),),
    )
    files = render_files(doc)
    assert "| Name" in files["README.md"]
    assert "| Licence |" in files["README.md"]
    again, _ = parse_files(files)
    (tilecut, plain) = again.sections[0].entries
    assert tilecut.attributes == (AttributeDoc("Licence", "MIT"),)
    assert tilecut.tags == ("rust",)
    assert plain.attributes == ()
    assert render_files(again) == files


def test_in_a_table_a_repeated_extra_link_is_dropped_and_reported() -> None:
    """In a table every link counts for awesome-lint's double-link rule."""
    text = (
        HEAD
        + """
## Tools

| Name | Description |
|---|---|
| [Mapper](https://mapper.example.org) | Draws maps ([Tiles](https://tiles.example.org)) |
| [Tiles](https://tiles.example.org) | Serves tiles |
"""
        + TAIL
    )
    doc, report = parse_readme(text)
    mapper, tiles = entries_of(doc, "Tools")
    assert mapper.extra_links == ()
    assert tiles.url == "https://tiles.example.org"
    assert any(
        dup.url == "https://tiles.example.org" and dup.what == "extra link dropped"
        for dup in report.duplicates
    )
    assert not account(text, doc, report).missing


def test_the_list_document_carries_columns_and_attributes() -> None:
    doc, _ = parse_readme(PUBLIC_APIS)
    data = document_to_json(doc, slug="open-data")
    assert data["version"] == 4
    weather = data["sections"][0]
    assert weather["columns"][2] == {"label": "Auth", "role": "attribute"}
    assert weather["entries"][0]["attributes"][0] == {"label": "Auth", "value": "`apiKey`"}
    assert document_from_json(data) == doc
    assert render_readme(document_from_json(data)) == render_readme(doc)


# --- awesome-lint, one call for every sample --------------------------------------------------


def test_exports_are_lint_clean(tmp_path: Path) -> None:
    require_or_skip(LINT_TOOL.exists(), f"the lint tool is not at {LINT_TOOL}")
    dirs = []
    for name, text in SAMPLES.items():
        doc, _ = parse_readme(text)
        target = tmp_path / name
        target.mkdir()
        for filename, body in render_files(doc).items():
            (target / filename).write_text(body, encoding="utf-8")
        dirs.append(str(target))
    done = subprocess.run(
        [str(LINT_TOOL), *dirs], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


def test_whatever_an_attribute_holds_the_table_keeps_its_shape_and_nothing_runs() -> None:
    label = "Au|th <b>"
    doc = ListDoc(
        title="Awesome Odd Cells",
        tagline="Cells that try to break out.",
        sections=(
            SectionDoc(
                title="Odd",
                slug="odd",
                columns=(ColumnDoc("Name", "title"), ColumnDoc(label, "attribute")),
                entries=(
                    EntryDoc(
                        title="Pipe",
                        url="https://pipe.example.org",
                        attributes=(
                            AttributeDoc(
                                label, "a | b\nc <script>alert(1)</script> [x](javascript:alert(1))"
                            ),
                        ),
                    ),
                    EntryDoc(
                        title="Code",
                        url="https://code.example.org",
                        attributes=(AttributeDoc(label, "`x|y`"),),
                    ),
                ),
            ),
        ),
        footer=(FooterBlock("Contributing"),),
    )
    files = render_files(doc)
    readme = files["README.md"]
    assert not re.search(r"(?<!\\)<script", readme)  # written as text: \<script>
    assert "](javascript:" not in readme
    again, _ = parse_files(files)
    (section,) = again.sections
    assert [entry.title for entry in section.entries] == ["Pipe", "Code"]
    assert [column.label for column in section.columns] == ["Name", label]
    assert section.entries[1].attributes == (AttributeDoc(label, "`x|y`"),)
    assert section.entries[0].attributes[0].value.startswith("a | b c ")
    # Once imported, the text is in the importer's canonical form: stable from then on.
    assert render_files(parse_files(render_files(again))[0]) == render_files(again)


def test_a_table_with_few_title_links_is_written_as_a_list() -> None:
    # A link-less list item and a one-row table in one section: written as a two-row table
    # with one title link, it came back as prose and the entry's URL was lost.
    text = (
        "# Awesome Tea\n\n## Brewing\n\n- Kettle - Boils.\n\n"
        "| Name | Description |\n| --- | --- |\n| [Cup](https://cup.example/) | Holds. |\n"
    )
    doc, _ = parse_readme(text)
    assert [entry.url for entry in doc.sections[0].entries] == ["", "https://cup.example/"]
    readme = render_files(doc)["README.md"]
    assert "- [Cup](https://cup.example/) - Holds." in readme
    again, _ = parse_readme(readme)
    assert [entry.url for entry in again.sections[0].entries] == ["", "https://cup.example/"]
    assert render_files(again)["README.md"] == readme
