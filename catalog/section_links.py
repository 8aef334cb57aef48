"""In-page links to a section, stored by the section they name, not by its anchor (issue 12).

A README anchor is worked out from a section's title and every heading before it: renaming a
section (or adding one of the same name above it) changes it, and a link stored as ``#glass``
would keep pointing at the old anchor. So the database stores an in-page link to a section of
the list as ``#section-<pk>``, the id the list page gives every section: the importer writes
links that way (``by_identity``); the export, the list document and a source sync's reading of
the list turn them back into the anchor the README gives that section now (``by_anchor``).
A link to an anchor that names no section (a footer heading, a typo) is stored as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from catalog.markdown import crosslinks
from catalog.markdown.anchors import section_anchors
from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc

PREFIX = "section-"


def identity_targets(doc: ListDoc, section_pks: Sequence[int]) -> dict[str, str]:
    """README anchor (``fragment`` form) → ``section-<pk>``; ``section_pks`` in tree order."""
    targets: dict[str, str] = {}
    for anchor, pk in zip(section_anchors(doc), section_pks, strict=True):
        targets.setdefault(anchor.lower(), f"{PREFIX}{pk}")
    return targets


def anchor_targets(doc: ListDoc, section_pks: Sequence[int]) -> dict[str, str]:
    """``section-<pk>`` → the README anchor of that section; ``section_pks`` in tree order."""
    anchors = section_anchors(doc)
    return {f"{PREFIX}{pk}": anchor for anchor, pk in zip(anchors, section_pks, strict=True)}


def entry_by_anchor(entry: EntryDoc, targets: dict[str, str]) -> EntryDoc:
    """One entry read from the database (a proposal) as ``by_anchor`` reads the list's."""
    mark = f"#{PREFIX}"
    if mark not in entry.description and mark not in entry.lead_in:
        return entry
    return replace(
        entry,
        description=one_line(entry.description, targets),
        lead_in=block(entry.lead_in, targets),
    )


def by_anchor(doc: ListDoc, section_pks: Sequence[int]) -> ListDoc:
    """``doc`` (read from the database; ``section_pks`` its sections in tree order) with every
    ``#section-<pk>`` link pointing at the anchor that section's heading has in the README.
    Only texts holding such a link are read again (an export reads every entry)."""
    targets = anchor_targets(doc, section_pks)
    mark = f"#{PREFIX}"

    def text(markdown: str) -> str:
        return block(markdown, targets) if mark in markdown else markdown

    def line(markdown: str) -> str:
        return one_line(markdown, targets) if mark in markdown else markdown

    def entry(found: EntryDoc) -> EntryDoc:
        if (
            mark not in found.description
            and mark not in found.lead_in
            and not any(mark in attribute.value for attribute in found.attributes)
        ):
            return found
        return replace(
            found,
            description=line(found.description),
            lead_in=text(found.lead_in),
            attributes=tuple(replace(a, value=line(a.value)) for a in found.attributes),
        )

    def section(found: SectionDoc) -> SectionDoc:
        return replace(
            found,
            description=text(found.description),
            outro=text(found.outro),
            entries=tuple(entry(item) for item in found.entries),
            children=tuple(section(child) for child in found.children),
        )

    return replace(
        doc,
        intro=text(doc.intro),
        sections=tuple(section(found) for found in doc.sections),
        footer=tuple(replace(b, body=text(b.body)) for b in doc.footer),
    )


def block(markdown: str, targets: dict[str, str]) -> str:
    return crosslinks.rewrite_block(markdown, crosslinks.pointing(targets))


def one_line(markdown: str, targets: dict[str, str]) -> str:
    return crosslinks.rewrite_inline(markdown, crosslinks.pointing(targets))
