"""Shape 8 of issue 12 (the card form): a link collection that is not a list, written as bold
names with a description and the URL below after a pointer (``🔗 https://…``). The cards are
entries; the paragraphs around them stay the section's text. Invented sample; it imports
without losing a link, round-trips byte for byte and exports lint-clean."""

from __future__ import annotations

from pathlib import Path

from catalog.markdown.document import EntryDoc, iter_sections
from tests.catalog.markdown.samples import entries_of, imported, lint

CARDS = """
    # Awesome Tea Links

    > Links about tea, as cards.

    ## Tools

    Some tools we like.

    **Tea Timer** - Times short repeated infusions.
    🔗 https://timer.example

    **Leaf Scale** - weighs leaves to a tenth of a gram

    🔗 https://scale.example

    **Kettle Log**: keeps a log of water temperatures.
    Works offline.
    🔗 [kettle.example](https://kettle.example/)

    **Not a card** - this paragraph has no link below it.

    ## Reading

    **The Tea Book** - A short classic.
    Link: https://book.example
"""


def test_cards_become_entries_and_prose_stays_prose(tmp_path: Path) -> None:
    _, doc, report, files = imported(CARDS)
    assert [(entry.title, entry.url) for entry in entries_of(doc, "Tools")] == [
        ("Tea Timer", "https://timer.example"),
        ("Leaf Scale", "https://scale.example"),
        ("Kettle Log", "https://kettle.example/"),
    ]
    kettle = entries_of(doc, "Tools")[2]
    assert kettle.description == "Keeps a log of water temperatures. Works offline."
    assert entries_of(doc, "Reading") == (
        EntryDoc("The Tea Book", "https://book.example", "A short classic."),
    )
    tools = next(section for path, section in iter_sections(doc.sections) if path == ("Tools",))
    assert "Some tools we like." in tools.description
    # It comes after the cards in the source: it stays after the entries (issue 12, "Also").
    assert tools.outro == "**Not a card** - this paragraph has no link below it."
    assert report.repair_counts()["bold name with its link below read as an entry"] == 4
    assert not report.not_understood  # a list without a Markdown list is no puzzle here
    assert (
        "- [Tea Timer](https://timer.example) - Times short repeated infusions.\n"
        in (files["README.md"])
    )
    lint({"cards": files}, tmp_path)
