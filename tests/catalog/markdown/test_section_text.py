"""A section's text stays where the source put it relative to its entries (issue 12, "Also"):
text before the entries is ``description``, text after them (a closing note under the list)
``outro``, written after the entries on export. Invented samples; each imports without losing
a link and round-trips byte for byte (``imported``); the lint runs in ``test_shapes3_lint``."""

from __future__ import annotations

from dataclasses import replace

from catalog.markdown.parse import parse_readme
from catalog.markdown.render import render_readme
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


def test_text_between_two_lists_stays_between_them() -> None:
    """Text between two lists is the ``lead_in`` of the entry it preceded: the export writes it
    between the same two lists again, and the entry carries it when entries are reordered."""
    doc, _, files = imported(CLOSING_NOTES)
    between = section(doc, "Between")
    assert between.description == "Before the lists."
    assert between.outro == ""
    assert [item.title for item in between.entries] == ["First Pot", "Second Pot"]
    assert [item.lead_in for item in between.entries] == ["", "Between the lists."]
    assert (
        "## Between\n\nBefore the lists.\n\n"
        "- [First Pot](https://first.example/) - Opens the section.\n\n"
        "Between the lists.\n\n"
        "- [Second Pot](https://second.example/) - Closes the section.\n"
    ) in files["README.md"]


def test_a_section_without_entries_keeps_all_its_text_as_its_description() -> None:
    doc, _, _ = imported(
        "# Awesome Teapots\n\n> Teapots.\n\n## About Tea\n\nFirst.\n\nSecond.\n\n"
        "## Pots\n\n- [Clear Pot](https://clear.example/) - Watch the leaves open.\n"
    )
    assert section(doc, "About Tea").description == "First.\n\nSecond."
    assert section(doc, "About Tea").outro == ""


BETWEEN_LISTS = """\
# Awesome Kettles

> Kettles and how to boil.

## Electric

Kettles with a plug.

- [Volt Kettle](https://volt.example/) - Boils in two minutes.
- [Amp Kettle](https://amp.example/) - Keeps the water warm.

The ones below cost money, see [stove kettles](#stove) for free ones:

- [Paid Kettle](https://paid.example/) - Has a display.

> Paid kettles come with a warranty.

- [Rich Kettle](https://rich.example/) - Made of copper.
- [Volt Kettle](https://volt.example/) - Listed twice.

Merged away above.

- [Last Kettle](https://last.example/) - Closes the list.

## Stove

| Name | Description | Size |
| --- | --- | --- |
| [Whistle Kettle](https://whistle.example/) | Sings when it boils. | 2 l |

Bigger ones:

| Name | Description | Size |
| --- | --- | --- |
| [Camp Kettle](https://camp.example/) | Made for the fire. | 5 l |
"""


def test_text_between_lists_before_each_entry_it_preceded() -> None:
    doc, report, files = imported(BETWEEN_LISTS)
    electric = section(doc, "Electric")
    assert electric.description == "Kettles with a plug."
    assert [item.title for item in electric.entries] == [
        "Volt Kettle",
        "Amp Kettle",
        "Paid Kettle",
        "Rich Kettle",
        "Last Kettle",
    ]
    assert [item.lead_in for item in electric.entries] == [
        "",
        "",
        "The ones below cost money, see [stove kettles](#stove) for free ones:",
        "> Paid kettles come with a warranty.",
        # The text before a duplicate merged away goes with the next entry kept.
        "Merged away above.",
    ]
    assert len(report.duplicates) == 1
    readme = files["README.md"]
    assert (
        "- [Amp Kettle](https://amp.example/) - Keeps the water warm.\n\n"
        "The ones below cost money, see [stove kettles][section-stove] for free ones:\n\n"
        "[section-stove]: #stove\n\n"
        "- [Paid Kettle](https://paid.example/) - Has a display.\n\n"
        "> Paid kettles come with a warranty.\n\n"
        "- [Rich Kettle](https://rich.example/) - Made of copper.\n\n"
        "Merged away above.\n\n"
        "- [Last Kettle](https://last.example/) - Closes the list.\n"
    ) in readme


def test_text_between_two_tables_keeps_two_tables() -> None:
    doc, _, files = imported(BETWEEN_LISTS)
    stove = section(doc, "Stove")
    assert [item.lead_in for item in stove.entries] == ["", "Bigger ones:"]
    assert [item.attributes[0].value for item in stove.entries] == ["2 l", "5 l"]
    assert (
        "| [Whistle Kettle](https://whistle.example/) | Sings when it boils. | 2 l  |\n\n"
        "Bigger ones:\n\n| Name"
    ) in files["README.md"]


def test_the_text_travels_with_its_entry_when_the_entries_are_reordered() -> None:
    doc, _, _ = imported(BETWEEN_LISTS)
    reordered = replace(doc, ordering="alphabetical")
    readme = render_readme(reordered)
    # Alphabetical: Amp, Last, Paid, Rich, Volt. Each text still opens the run of its entry.
    assert (
        "- [Amp Kettle](https://amp.example/) - Keeps the water warm.\n\n"
        "Merged away above.\n\n"
        "- [Last Kettle](https://last.example/) - Closes the list.\n\n"
        "The ones below cost money"
    ) in readme
    again, _ = parse_readme(readme)
    assert render_readme(again) == render_readme(replace(again, ordering="alphabetical"))
