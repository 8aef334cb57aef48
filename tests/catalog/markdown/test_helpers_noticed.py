"""Issue 12, what helpers noticed: a legend section's own text, a URL with brackets in its path
in an HTML anchor, a description opening with a bare URL, and the Contents' anchors when a
section is named like the list. Invented samples; each imports without losing a link and
round-trips byte for byte (``imported``); the lint runs in ``test_shapes3_lint``."""

from __future__ import annotations

from tests.catalog.markdown.shapes import entry, imported

LEGEND_TEXT = """\
# Awesome Kettles

> Kettles and how to boil.

## Legend

Marks used below, as the [kettle guild](https://guild.example/) defines them:

- ⚠ - Needs a proprietary app.
- 🔥 - Gas only.

## Kettles

- [Volt Kettle](https://volt.example/) - ⚠ Boils in two minutes.
- [Camp Kettle](https://camp.example/) - 🔥 Made for the fire.
"""


def test_a_legend_section_keeps_its_text_before_the_legend() -> None:
    """The legend section becomes the markers; its paragraph (and its link) is not dropped
    with it but read as the intro, which the export writes right before the legend."""
    doc, report, files = imported(LEGEND_TEXT)
    assert [marker.symbol for marker in doc.markers] == ["⚠", "🔥"]
    assert doc.intro == (
        "Marks used below, as the [kettle guild](https://guild.example/) defines them:"
    )
    assert report.repair_counts()["legend's text kept in the intro"] == 1
    assert (
        "> Kettles and how to boil.\n\n"
        "Marks used below, as the [kettle guild](https://guild.example/) defines them:\n\n"
        "| Marker | Meaning"
    ) in files["README.md"]


BRACKET_URL = """\
# Awesome Kettles

> Kettles and how to boil.

## Kettles

- <a href="https://wiki.example/[kettle]/electric">Wiki Kettle</a> - Boils on a wiki page.
- [Pair Kettle]([https://a.example/](https://b.example/)) - Two URLs in one link.
"""


def test_an_html_anchor_keeps_a_path_with_brackets() -> None:
    """``[kettle]`` in a path is part of the URL: only a link holding two URLs is repaired."""
    doc, _, files = imported(BRACKET_URL)
    assert entry(doc, "Wiki Kettle").url == "https://wiki.example/%5Bkettle%5D/electric"
    assert entry(doc, "Pair Kettle").url == "https://a.example/"
    assert [link.url for link in entry(doc, "Pair Kettle").extra_links] == ["https://b.example/"]
    assert "- [Wiki Kettle](https://wiki.example/%5Bkettle%5D/electric) - " in files["README.md"]


URL_DESCRIPTION = """\
# Awesome Kettles

> Kettles and how to boil.

## Kettles

- [Volt Kettle](https://volt.example/) - https://volt.example/manual is the manual.
- [Web Kettle](https://web.example/) - www.web.example/help answers questions.
"""


def test_a_description_opening_with_a_bare_url_is_not_capitalised() -> None:
    doc, _, files = imported(URL_DESCRIPTION)
    readme = files["README.md"]
    assert "- [Volt Kettle](https://volt.example/) - https://volt.example/manual is" in readme
    assert "- [Web Kettle](https://web.example/) - www.web.example/help answers" in readme
    assert "Https" not in readme
    assert "Www" not in readme
    assert entry(doc, "Volt Kettle").description.startswith("https://volt.example/manual")


SAME_NAME = """\
# Tea

> All about [tea](#tea) and [pots](#pots).

## Tea

- [Green](https://green.example/) - Leaves, steamed.

## Pots

- [Clay Pot](https://clay.example/) - Purple clay.
"""


def test_the_contents_anchors_are_the_exported_ones_when_a_section_is_named_like_the_list() -> None:
    """The export's title reads "Tea Awesome": the section "Tea" keeps the anchor ``tea``,
    which the Contents links; the tagline's link to it repeats that link and is unlinked, as
    is the one to ``pots`` (awesome-lint counts links in the tagline)."""
    doc, report, files = imported(SAME_NAME)
    assert doc.tagline == "All about tea and pots."
    assert {dup.url for dup in report.duplicates} == {"#tea", "#pots"}
    assert "- [Tea](#tea)\n" in files["README.md"]
