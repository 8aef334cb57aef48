# ruff: noqa: E501 -- the samples are README lines as real lists write them
"""Issue 12, shape 2: lists written in HTML — ``<br>`` lines, ``<details>`` cards and groups of
blockquote cards with no Markdown list at all."""

from __future__ import annotations

from catalog.markdown.parse import parse_readme
from tests.catalog.markdown.shapes import entry, imported, links, section

BR_LINES = """# Awesome Teapots

> Teapots of clay, glass and iron.

## Clay

&nbsp;&nbsp;<a href="https://yixing.example/"><b>Yixing Pot</b></a> - Purple clay, seasons with use.<br>
&nbsp;&nbsp;<a href="https://tokoname.example/"><b>Tokoname Kyusu</b></a> - Side handle, fine mesh.<br>
&nbsp;&nbsp;<a href="https://banko.example/"><b>Banko Pot</b></a> - Unglazed, light.<br>

## Glass

Glass pots show the leaves.<br>
This paragraph has a break but is prose, not a list.
"""

CARDS = """# Awesome Tea Software

> Programs for people who keep tea.

## Inventory

<details><summary><b><a href="https://caddy.example/">Caddy</a></b> (MIT) - Tracks the teas you own.</summary>
<a href="https://github.com/tea/caddy">GitHub</a> · <a href="https://pypi.org/project/caddy">PyPI</a>
<img src="https://caddy.example/screenshot.png">
</details>

<details><summary><b><a href="https://ledger.example/">Ledger</a></b> - Logs every brew.</summary>

- [Docs](https://docs.ledger.example/)
- [Demo](https://demo.ledger.example/)

</details>
"""

QUOTE_CARDS = """# Awesome Tea Tools

> Command-line tools for tea.

## Tools

<details open>
<summary>Timers</summary>

> **[Brewclock](https://brewclock.example/)** <kbd>★ 3.8k</kbd> <kbd>MIT</kbd><br>Counts steeps in the terminal.
> [GitHub](https://github.com/tea/brewclock) · [Docs](https://brewclock.example/docs)

> **[Steeper](https://steeper.example/)** <kbd>GPL-3.0</kbd><br>Rings when the tea is ready.

</details>

<details>
<summary>Scales</summary>

> **[Gram](https://gram.example/)**<br>Reads a kitchen scale over USB.

</details>
"""


def test_br_lines_of_a_paragraph_are_entries() -> None:
    doc, _report, files = imported(BR_LINES)
    clay = section(doc, "Clay")
    assert [(e.title, e.url, e.description) for e in clay.entries] == [
        ("Yixing Pot", "https://yixing.example/", "Purple clay, seasons with use."),
        ("Tokoname Kyusu", "https://tokoname.example/", "Side handle, fine mesh."),
        ("Banko Pot", "https://banko.example/", "Unglazed, light."),
    ]
    glass = section(doc, "Glass")
    assert glass.entries == ()  # a prose paragraph with a <br> stays prose
    assert "Glass pots show the leaves." in glass.description
    assert "- [Banko Pot](https://banko.example/) - Unglazed, light." in files["README.md"]


def test_details_cards_are_entries_and_their_links_extra_links() -> None:
    doc, report, files = imported(CARDS)
    inventory = section(doc, "Inventory")
    assert [e.title for e in inventory.entries] == ["Caddy", "Ledger"]
    caddy = entry(doc, "Caddy")
    assert caddy.url == "https://caddy.example/"
    assert caddy.description == "Tracks the teas you own."
    assert caddy.tags == ("MIT",)
    assert links(caddy) == [
        ("GitHub", "https://github.com/tea/caddy"),
        ("PyPI", "https://pypi.org/project/caddy"),
    ]
    assert links(entry(doc, "Ledger")) == [
        ("Docs", "https://docs.ledger.example/"),
        ("Demo", "https://demo.ledger.example/"),
    ]
    # The card's links are never entries of their own; the screenshot is reported, with its line.
    assert report.entries == 2
    (screenshot,) = [a for a in report.set_aside if "screenshot" in a.url]
    assert screenshot.line == 7
    assert "line 7: badge: https://caddy.example/screenshot.png" in report.format()
    assert "<details>" not in files["README.md"]


def test_blockquote_cards_in_details_with_no_markdown_list() -> None:
    doc, report, files = imported(QUOTE_CARDS)
    assert not any("no list" in item.reason for item in report.not_understood)
    timers = section(doc, "Tools", "Timers")
    assert [e.title for e in timers.entries] == ["Brewclock", "Steeper"]
    brewclock = entry(doc, "Brewclock")
    assert brewclock.url == "https://brewclock.example/"
    assert brewclock.description == "Counts steeps in the terminal."
    assert brewclock.tags == ("★ 3.8k", "MIT")
    assert links(brewclock) == [
        ("GitHub", "https://github.com/tea/brewclock"),
        ("Docs", "https://brewclock.example/docs"),
    ]
    assert entry(doc, "Steeper").tags == ("GPL-3.0",)
    assert [e.title for e in section(doc, "Tools", "Scales").entries] == ["Gram"]
    assert "### Timers" in files["README.md"]


def test_without_the_html_readers_these_links_would_be_lost() -> None:
    """The accounting sees what the old reading lost: a card read as plain prose drops the
    links, and ``record`` names them."""
    from catalog.markdown.links import record

    doc, report = parse_readme(CARDS)
    assert record(CARDS, doc, report).lost == ()
    broken = doc.__class__(title=doc.title, tagline=doc.tagline)
    lost = record(CARDS, broken, report).lost
    assert "https://github.com/tea/caddy" in lost
    assert "https://caddy.example/" in lost
