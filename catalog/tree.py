"""Assemble a list's sections and entries into the tree a page or an export walks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from catalog.models import CuratedList, Entry, Section


@dataclass
class SectionNode:
    section: Section
    entries: list[Entry] = field(default_factory=list)
    children: list[SectionNode] = field(default_factory=list)

    @property
    def entry_count(self) -> int:
        """Entries here and in every subsection."""
        return len(self.entries) + sum(child.entry_count for child in self.children)


def entry_sort_key(curated_list: CuratedList):
    if curated_list.ordering == CuratedList.Ordering.ALPHABETICAL:
        return lambda entry: (entry.title.casefold(), entry.pk)
    return lambda entry: (entry.position, entry.pk)


def build_tree(
    curated_list: CuratedList, sections: Iterable[Section], entries: Iterable[Entry]
) -> list[SectionNode]:
    """Nest ``sections`` (any order) and attach ``entries``; no query is made here."""
    nodes = {
        section.pk: SectionNode(section)
        for section in sorted(sections, key=lambda s: (s.tree_path, s.pk))
    }
    roots: list[SectionNode] = []
    for node in nodes.values():
        parent = nodes.get(node.section.parent_id) if node.section.parent_id else None
        (parent.children if parent else roots).append(node)
    for entry in entries:
        if entry.section_id in nodes:
            nodes[entry.section_id].entries.append(entry)
    key = entry_sort_key(curated_list)
    for node in nodes.values():
        node.entries.sort(key=key)
    return roots
