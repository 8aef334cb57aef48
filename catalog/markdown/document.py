"""A curated list as plain data: what the database maps to and from, and the JSON list document.

Every field holds either plain text (titles, labels, symbols, URLs) or Markdown in the one
canonical style the parser produces and the renderer writes back (descriptions, intro, footer
bodies). Tuples, not lists, so that a document is hashable and two documents compare by value:
the round-trip tests rely on ``parse_readme(render_readme(doc))[0] == doc``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Ordering = Literal["manual", "alphabetical"]
ColumnRole = Literal["title", "description", "tags", "attribute"]


@dataclass(frozen=True, slots=True)
class MarkerDef:
    """One entry of the list's legend, e.g. ``⚠`` = "Depends on a proprietary service".

    ``symbol`` is written as it reads, without Markdown escapes (``**[Deprecated]**``, ``⚠``,
    ``:star:``); the renderer escapes it. ``label`` may be empty when the list uses a marker
    without explaining it.
    """

    symbol: str
    slug: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class ExtraLinkDoc:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class AttributeDoc:
    """A labelled value of an entry, from a table column (``Auth`` = ``apiKey``). ``value`` is
    inline Markdown on one line (it may hold a link or an icon)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class ColumnDoc:
    """One column of a section written as a table: what its cells hold. ``title`` (the linked
    name) once, ``description`` and ``tags`` at most once, ``attribute`` columns by label."""

    label: str
    role: ColumnRole = "attribute"


@dataclass(frozen=True, slots=True)
class EntryDoc:
    """One list item. ``url`` may be empty (a book, an IRC channel); ``description`` is inline
    Markdown on one line; ``markers`` are symbols of ``ListDoc.markers``; ``tags`` are short
    plain strings (licence, language) shown as inline code; ``attributes`` are the values of a
    table's extra columns, by label. ``lead_in`` is block Markdown the section shows right
    before this entry, where the source put text between two of its lists ("The paid ones:"):
    it travels with the entry when entries are reordered. Empty on a section's first entry (that
    text is the section's ``description``)."""

    title: str
    url: str = ""
    description: str = ""
    extra_links: tuple[ExtraLinkDoc, ...] = ()
    markers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    attributes: tuple[AttributeDoc, ...] = ()
    lead_in: str = ""


@dataclass(frozen=True, slots=True)
class SectionDoc:
    """A heading. ``slug`` is unique among its siblings; the README anchors are computed by the
    renderer over the whole page, the way GitHub does. ``columns`` is not empty when the
    section's entries are a table (``catalog.markdown.tables``). ``description`` is the text
    between the heading and the entries, ``outro`` the text the source put after them (a
    closing note under the list), the text between two of its lists the ``lead_in`` of the
    entry it precedes; a section without entries has all its text in ``description``."""

    title: str
    slug: str
    description: str = ""
    entries: tuple[EntryDoc, ...] = ()
    children: tuple[SectionDoc, ...] = ()
    columns: tuple[ColumnDoc, ...] = ()
    outro: str = ""


@dataclass(frozen=True, slots=True)
class FooterBlock:
    """A trailing block of the README: Contributing, License, Code of Conduct, Footnotes …"""

    title: str
    body: str = ""


@dataclass(frozen=True, slots=True)
class ListDoc:
    title: str
    tagline: str = ""
    intro: str = ""
    markers: tuple[MarkerDef, ...] = ()
    sections: tuple[SectionDoc, ...] = ()
    footer: tuple[FooterBlock, ...] = ()
    repository_url: str = ""
    license: str = ""
    ordering: Ordering = "manual"


def iter_sections(sections: tuple[SectionDoc, ...]) -> list[tuple[tuple[str, ...], SectionDoc]]:
    """Every section, depth first in README order, with the titles of its path."""
    found: list[tuple[tuple[str, ...], SectionDoc]] = []

    def walk(nodes: tuple[SectionDoc, ...], path: tuple[str, ...]) -> None:
        for section in nodes:
            here = (*path, section.title)
            found.append((here, section))
            walk(section.children, here)

    walk(sections, ())
    return found


def count_entries(doc: ListDoc) -> int:
    """Entries of the list: one placed in several sections counts once (``placements``)."""
    from catalog.markdown.placements import first_placements  # it builds on this module

    return sum(1 for _ in first_placements(doc))
