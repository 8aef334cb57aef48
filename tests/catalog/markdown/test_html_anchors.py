# ruff: noqa: E501 -- the samples are README lines as real lists write them
"""Issue 12, shape 1: an HTML anchor as the item's link (any quoting, in bold, with meta)."""

from __future__ import annotations

from catalog.markdown.html_anchors import convert
from catalog.markdown.inline import Html, Link, Strong, Text
from tests.catalog.markdown.shapes import entry, imported, section

ANCHORS = """# Awesome Kettles

> Kettles, timers and thermometers for the home brewer.

## Kettles

- <b><a href="https://pour.example/">Pour Over Kettle</a></b> (gooseneck) - Pours a thin steady stream.
- <a href='https://still.example/kettle'>Still Kettle</a> - Keeps water at a set temperature.
- <a href=https://plain.example/>Plain Kettle</a> - Boils water, nothing more.
- <a href="https://amp.example/?a=1&amp;b=2" title="Amp">Amp Kettle</a>
- [Markdown Kettle](https://md.example/) - Written the usual way.

## Timers

- <strong><a href="https://steep.example/">Steep Timer</a></strong> - Counts down a steep. ([Source Code](https://git.example/steep))
"""


def test_each_anchor_is_the_entry_link_a_reader_sees() -> None:
    doc, report, files = imported(ANCHORS)
    kettles = section(doc, "Kettles")
    assert [(e.title, e.url) for e in kettles.entries] == [
        ("Pour Over Kettle", "https://pour.example/"),
        ("Still Kettle", "https://still.example/kettle"),
        ("Plain Kettle", "https://plain.example/"),
        ("Amp Kettle", "https://amp.example/?a=1&b=2"),
        ("Markdown Kettle", "https://md.example/"),
    ]
    pour = entry(doc, "Pour Over Kettle")
    assert pour.description == "Pours a thin steady stream."
    assert pour.tags == ("gooseneck",)  # the meta between the link and the separator
    steep = entry(doc, "Steep Timer")
    assert [(link.label, link.url) for link in steep.extra_links] == [
        ("Source Code", "https://git.example/steep")
    ]
    readme = files["README.md"]
    assert "- [Still Kettle](https://still.example/kettle) - Keeps water" in readme
    assert "<a " not in readme
    assert report.links is not None
    assert report.links.entries == 6
    assert report.links.extra_links == 1
    assert report.links.lost == ()


def test_unbalanced_or_unknown_tags_are_left_alone() -> None:
    unbalanced = [Html('<a href="https://x.example/">'), Text("X")]
    assert convert(unbalanced) is unbalanced
    stray = [Text("X"), Html("</b>")]
    assert convert(stray) is stray
    span = [Html("<span>"), Text("X"), Html("</span>")]
    assert convert(span) == span


def test_nested_bold_anchor_becomes_a_bold_link() -> None:
    nodes = [
        Html("<b>"),
        Html('<a href="https://x.example/">'),
        Text("X"),
        Html("</a>"),
        Html("</b>"),
        Text(" - y"),
    ]
    assert convert(nodes) == [
        Strong([Link("https://x.example/", [Text("X")])]),
        Text(" - y"),
    ]


def test_a_name_anchor_is_not_a_link() -> None:
    nodes = [Html('<a name="top">'), Html("</a>"), Text("x")]
    assert convert(nodes) is nodes or not any(isinstance(n, Link) for n in convert(nodes))


def test_an_anchor_href_is_read_as_a_markdown_link_destination() -> None:
    # Written back as a Markdown link, ``[bad`` and ``パス`` came back percent-encoded: the
    # README changed on every round trip.
    nodes = [Html('<a href="ftp://[bad/パス">'), Text("X"), Html("</a>")]
    assert convert(nodes) == [Link("ftp://%5Bbad/%E3%83%91%E3%82%B9", [Text("X")])]
    doc, _, _files = imported(
        '# Awesome Kettles\n\n## Kettles\n\n- <a href="https://x.example/パス">X</a> - Boils.\n'
    )
    assert doc.sections[0].entries[0].url == "https://x.example/%E3%83%91%E3%82%B9"
