# ruff: noqa: E501 -- the samples are README lines as real lists write them
"""Issue 12, shape 5: icons that carry meaning are markers (with their legend); only CI and
shields badges are decoration; markers written anywhere in the item are markers."""

from __future__ import annotations

from catalog.markdown.icons import Icon, legend_line, take
from catalog.markdown.inline import Image, Link, Text
from tests.catalog.markdown.shapes import entry, imported, links, section

ICONS = """# Awesome Tea Apps

> Apps for people who brew tea.

## Legend

- ![Freeware][Freeware Icon] Freeware
- ![Open-Source Software][OSS Icon] Open-source software

## Apps

- [Leafy](https://leafy.example/) ![Freeware][Freeware Icon] [![Open-Source Software][OSS Icon]](https://github.com/tea/leafy) - Keeps a tea diary.
- [Brewy](https://brewy.example/) - Brews tea on a schedule. ![Freeware][Freeware Icon] [![Build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example/brewy)
- [Zappy](https://zappy.example/) :zap: - Times a steep.
- [Hotty](https://hotty.example/) - Heats water to a set degree :fire:

[Freeware Icon]: https://icons.example/freeware.svg
[OSS Icon]: https://icons.example/oss.svg
"""

INTRO_LEGEND = """# Awesome Tea Shops

> Shops that sell loose-leaf tea.

![Ships worldwide](https://icons.example/globe.svg) Ships worldwide<br>
![Organic](https://icons.example/leaf.svg) Organic only

## Shops

- [Leaf House](https://leafhouse.example/) ![Ships worldwide](https://icons.example/globe.svg) - Green and white teas.
- [Pu Corner](https://pucorner.example/) - Aged pu-erh. ![Organic](https://icons.example/leaf.svg)
"""


def test_legend_icons_become_markers_with_their_legend() -> None:
    doc, report, files = imported(ICONS)
    legend = {marker.symbol: marker.label for marker in doc.markers}
    assert legend["**[Freeware]**"] == "![Freeware](https://icons.example/freeware.svg) Freeware"
    assert legend["**[Open-Source Software]**"].endswith(") Open-source software")
    assert [s.title for s in doc.sections] == ["Apps"]  # the legend is no section of entries
    leafy = entry(doc, "Leafy")
    assert leafy.markers == ("**[Freeware]**", "**[Open-Source Software]**")
    assert leafy.description == "Keeps a tea diary."
    # The link around the open-source icon is the repository: an extra link, not lost.
    assert links(leafy) == [("Source Code", "https://github.com/tea/leafy")]
    brewy = entry(doc, "Brewy")
    assert brewy.markers == ("**[Freeware]**",)  # an icon at the end is a marker too
    assert brewy.description == "Brews tea on a schedule."
    # The build badge is the only decoration.
    assert {item.url for item in report.set_aside} == {
        "https://img.shields.io/badge/build-passing-green.svg",
        "https://ci.example/brewy",
    }
    assert report.links is not None
    assert report.links.decoration == 2
    assert "| ![Freeware](https://icons.example/freeware.svg) Freeware" in files["README.md"]


def test_symbols_written_around_the_text_are_markers() -> None:
    doc, _, files = imported(ICONS)
    zappy = entry(doc, "Zappy")
    assert zappy.markers == (":zap:",)
    assert zappy.description == "Times a steep."
    hotty = entry(doc, "Hotty")
    assert hotty.markers == (":fire:",)
    assert hotty.description == "Heats water to a set degree."
    assert ":fire." not in files["README.md"]


def test_a_legend_in_the_intro_as_br_lines() -> None:
    doc, _, files = imported(INTRO_LEGEND)
    assert [m.symbol for m in doc.markers] == ["**[Ships worldwide]**", "**[Organic]**"]
    assert entry(doc, "Leaf House").markers == ("**[Ships worldwide]**",)
    assert entry(doc, "Pu Corner").markers == ("**[Organic]**",)
    assert entry(doc, "Pu Corner").description == "Aged pu-erh."
    assert "Ships worldwide<br>" not in doc.intro
    assert "| ![Organic](https://icons.example/leaf.svg) Organic only" in files["README.md"]
    assert [e.title for e in section(doc, "Shops").entries] == ["Leaf House", "Pu Corner"]


def test_legend_line_and_take() -> None:
    icon = legend_line([Image("https://i.example/f.svg", "Free"), Text(" - Free of charge")])
    assert icon == Icon("Free", "https://i.example/f.svg", "Free of charge")
    assert legend_line([Image("https://i.example/f.svg", "Free")]) is None  # no words
    assert legend_line([Text("Free "), Image("https://i.example/f.svg", "Free")]) is None
    assert icon is not None
    nodes = [
        Link("https://x.example/", [Text("X")]),
        Text(" "),
        Link("https://git.example/x", [Image("https://i.example/f.svg", "Free")]),
        Text(" - desc"),
    ]
    kept, symbols, extras = take(nodes, {icon.url: icon})
    assert kept == [Link("https://x.example/", [Text("X")]), Text("  - desc")]
    assert symbols == ["**[Free]**"]
    assert [(e.label, e.url) for e in extras] == [("Source Code", "https://git.example/x")]
