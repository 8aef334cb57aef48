"""An entry listed in several sections (a project under each of its categories) is one entry.

In a ``ListDoc`` such an entry appears, as equal ``EntryDoc`` values, in the ``entries`` of
every section it is placed in; what makes the copies one entry is their URL (``link_key``, the
key awesome-lint compares links by). The same URL twice in one section is a duplicate, which
the importer merges and reports, so within a section a key appears once. Entries without a URL
cannot be told apart: each copy is an entry of its own.

The README shows the entry in full in every section. Its first appearance (README order)
carries the inline link; the later ones write the title link as a reference
(``[Title][placement-1]``, defined under that section's list), which GitHub renders as the same
link and awesome-lint's double-link rule (it counts inline links) does not take for a
duplicate. Reading such a README back gives the same document: markdown-it resolves the
reference, and the importer sees the same URL in another section.
"""

from __future__ import annotations

from collections.abc import Iterator

from catalog.markdown.dedupe import link_key
from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc, iter_sections

REFERENCE_PREFIX = "placement-"


def entry_key(entry: EntryDoc) -> str:
    """What makes copies of an entry in several sections one entry ("" when it has no URL)."""
    return link_key(entry.url) if entry.url else ""


def first_placements(doc: ListDoc) -> Iterator[EntryDoc]:
    """Every entry once, where it first appears in README order (entries without a URL each)."""
    seen: set[str] = set()
    for _, section in iter_sections(doc.sections):
        for entry in section.entries:
            key = entry_key(entry)
            if key:
                if key in seen:
                    continue
                seen.add(key)
            yield entry


def sections_by_entry(doc: ListDoc) -> dict[str, list[tuple[str, ...]]]:
    """For each entry key, the slug paths of the sections it is shown in, in README order."""
    found: dict[str, list[tuple[str, ...]]] = {}

    def walk(sections: tuple[SectionDoc, ...], path: tuple[str, ...]) -> None:
        for section in sections:
            here = (*path, section.slug)
            for entry in section.entries:
                key = entry_key(entry)
                if key:
                    found.setdefault(key, []).append(here)
            walk(section.children, here)

    walk(doc.sections, ())
    return found
