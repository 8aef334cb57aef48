"""A section's text stays where the source put it relative to its entries (issue 12, "Also"):
text before the entries is ``description``, text after them (a closing note under the list)
``outro``, written after the entries on export. Invented samples; each imports without losing
a link and round-trips byte for byte (``imported``); the lint runs in ``test_shapes3_lint``."""

from __future__ import annotations

from tests.catalog.markdown.shapes import entry, imported, section

CLOSING_NOTES = """\
# Awesome Teapots

> Teapots and what to brew in them.

## Clay

Unglazed pots that season with use.

- [Yixing Pot](https://yixing.example/) - Purple clay from Jiangsu.
- [Tokoname Pot](https://tokoname.example/) - Red clay with a side handle.

Use one pot per kind of tea: the clay keeps the taste. See the [glass pots](#glass) for
anything else.

> Never wash a clay pot with soap.

### Kyusu

- [Banko Kyusu](https://banko.example/) - Fine mesh strainer.

Kyusu are for green tea.

## Glass

- [Clear Pot](https://clear.example/) - Watch the leaves open.

## Tables

| Name | Description | Volume |
| --- | --- | --- |
| [Big Pot](https://big.example/) | Serves eight. | 1.5 l |
| [Small Pot](https://small.example/) | Serves two. | 0.4 l |

Volumes are to the brim.

## Between

Before the lists.

- [First Pot](https://first.example/) - Opens the section.

Between the lists.

- [Second Pot](https://second.example/) - Closes the section.
"""


def test_text_after_the_entries_stays_after_them() -> None:
    doc, _, files = imported(CLOSING_NOTES)
    clay = section(doc, "Clay")
    assert clay.description == "Unglazed pots that season with use."
    assert clay.outro == (
        "Use one pot per kind of tea: the clay keeps the taste. See the [glass pots](#glass) for\n"
        "anything else.\n\n> Never wash a clay pot with soap."
    )
    assert [item.title for item in clay.entries] == ["Yixing Pot", "Tokoname Pot"]
    assert section(doc, "Clay", "Kyusu").outro == "Kyusu are for green tea."
    assert section(doc, "Glass").outro == ""
    assert section(doc, "Tables").outro == "Volumes are to the brim."
    assert entry(doc, "Big Pot").attributes[0].value == "1.5 l"
    readme = files["README.md"]
    # A reader of the export sees the note under the list, before the subsection.
    assert (
        "- [Tokoname Pot](https://tokoname.example/) - Red clay with a side handle.\n\n"
        "Use one pot per kind of tea: the clay keeps the taste. See the [glass pots]"
        "[section-glass] for\nanything else.\n\n> Never wash a clay pot with soap.\n\n"
        "[section-glass]: #glass\n\n### Kyusu\n"
    ) in readme
    assert "Fine mesh strainer.\n\nKyusu are for green tea.\n\n## Glass" in readme
    assert "| 0.4 l  |\n\nVolumes are to the brim.\n\n## Between" in readme


def test_text_between_two_lists_stays_before_the_entries() -> None:
    """One section has one list on export: text between two lists of the source cannot stay
    between them, and goes before the entries as it did before (only text after the last
    entry is the outro)."""
    doc, _, _ = imported(CLOSING_NOTES)
    between = section(doc, "Between")
    assert between.description == "Before the lists.\n\nBetween the lists."
    assert between.outro == ""
    assert [item.title for item in between.entries] == ["First Pot", "Second Pot"]


def test_a_section_without_entries_keeps_all_its_text_as_its_description() -> None:
    doc, _, _ = imported(
        "# Awesome Teapots\n\n> Teapots.\n\n## About Tea\n\nFirst.\n\nSecond.\n\n"
        "## Pots\n\n- [Clear Pot](https://clear.example/) - Watch the leaves open.\n"
    )
    assert section(doc, "About Tea").description == "First.\n\nSecond."
    assert section(doc, "About Tea").outro == ""
