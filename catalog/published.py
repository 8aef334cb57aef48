"""A list's published content read once, for every place that shows it in README order.

The export (``catalog.export``) and the list page (``catalog.views.listpage``) must show the
same entries in the same order; both read through ``read_published`` so that they cannot drift.
An entry placed in several sections (``EntryPlacement``) is listed in each of them.
Seven queries whatever the size of the list (eight when it marks unmaintained projects,
``catalog.maintenance``); the repository figures readers sort by come joined to the entries'
row, at no query of their own; rows are tuples, not model instances (on a
3,000-entry list building instances costs more than rendering the README).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from catalog.maintenance import derived_markers, markers_by_entry
from catalog.models import (
    CuratedList,
    Entry,
    ExtraLink,
    FooterBlock,
    Marker,
    Section,
    TaggedEntry,
)
from catalog.ordering import RepositoryFigures, figures

PUBLISHED_QUERY_COUNT = 7


@dataclass
class PublishedEntry:
    pk: int
    section_id: int  # its own section; ``PublishedContent.entries`` also lists it where placed
    position: int
    title: str
    url: str
    description: str
    attributes: list[dict[str, str]] = field(default_factory=list)  # [{label, value}], in order
    lead_in: str = ""  # text before it in its own section (Entry.lead_in)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (name, slug), in tagging order
    markers: list[Marker] = field(default_factory=list)  # in the order they were set
    # What readers sort and filter by (catalog.ordering), joined to the entry's row.
    published_at: dt.datetime | None = None
    repository: RepositoryFigures | None = None


@dataclass
class PublishedContent:
    markers: list[Marker]
    footer: list[FooterBlock]
    sections: list[Section]  # tree order
    # By section pk, in the list's order. An entry placed in several sections (EntryPlacement)
    # is the same object in each of their lists.
    entries: dict[int, list[PublishedEntry]]
    # (section pk, entry pk) → the text before a placed entry there (EntryPlacement.lead_in).
    placed_lead_ins: dict[tuple[int, int], str] = field(default_factory=dict)

    def lead_in(self, section_id: int, entry: PublishedEntry) -> str:
        """The text the section shows right before ``entry``."""
        if entry.section_id == section_id:
            return entry.lead_in
        return self.placed_lead_ins.get((section_id, entry.pk), "")

    @property
    def entry_count(self) -> int:
        """Distinct entries: one placed in several sections counts once."""
        return len({entry.pk for entries in self.entries.values() for entry in entries})


def read_published(curated_list: CuratedList) -> PublishedContent:
    markers = list(curated_list.markers.order_by("position", "pk"))
    footer = list(curated_list.footer_blocks.order_by("position", "pk"))
    sections = list(Section.objects.for_list(curated_list).in_tree_order())
    published = Entry.objects.for_list(curated_list).published()
    # The placements come joined to their entry (a row per placement, NULLs without one), so
    # an entry shown in several sections costs no query of its own.
    rows = published.order_by("section_id", "position", "pk").values_list(
        "pk",
        "section_id",
        "position",
        "title",
        "url",
        "description",
        "attributes",
        "lead_in",
        "placements__section_id",
        "placements__position",
        "placements__lead_in",
        "published_at",
        "repository__stars",
        "repository__last_activity_at",
        "repository__archived",
        "repository__license",
    )
    entries: dict[int, PublishedEntry] = {}
    placed: list[tuple[int, int, int]] = []  # (section, position, entry)
    placed_lead_ins: dict[tuple[int, int], str] = {}
    for row in rows:
        if row[0] not in entries:
            pk, section_id, position, title, url, description, attributes, lead_in = row[:8]
            entries[pk] = PublishedEntry(
                pk,
                section_id,
                position,
                title,
                url,
                description,
                attributes,
                lead_in,
                published_at=row[11],
                repository=figures(*row[12:16]),
            )
        if row[8] is not None and row[8] != row[1]:  # moved into a section it was placed in
            placed.append((row[8], row[9], row[0]))
            if row[10]:
                placed_lead_ins[(row[8], row[0])] = row[10]
    shown = published.values("pk")

    link_rows = ExtraLink.objects.filter(entry__in=shown).order_by("entry_id", "position", "pk")
    for entry_id, label, url in link_rows.values_list("entry_id", "label", "url"):
        entries[entry_id].links.append((label, url))
    tag_rows = TaggedEntry.objects.filter(content_object__in=shown).order_by("pk")
    for entry_id, name, slug in tag_rows.values_list("content_object_id", "tag__name", "tag__slug"):
        entries[entry_id].tags.append((name, slug))
    legend = {marker.pk: marker for marker in markers}
    marker_rows = Entry.markers.through.objects.filter(entry__in=shown).order_by("pk")
    for entry_id, marker_id in marker_rows.values_list("entry_id", "marker_id"):
        entries[entry_id].markers.append(legend[marker_id])
    derived = derived_markers(curated_list, own=markers)
    if derived:  # one more query, only for lists that mark unmaintained projects
        markers.extend(derived)
        for entry_id, marker in markers_by_entry(derived, shown).items():
            entries[entry_id].markers.append(marker)

    by_section: dict[int, list[PublishedEntry]] = defaultdict(list)
    for entry in entries.values():  # dicts keep insertion order: position order per section
        by_section[entry.section_id].append(entry)
    if placed:
        _place(by_section, entries, placed)
    if curated_list.ordering == CuratedList.Ordering.ALPHABETICAL:
        for section_entries in by_section.values():
            section_entries.sort(key=lambda entry: entry.title.casefold())
    return PublishedContent(markers, footer, sections, dict(by_section), placed_lead_ins)


def _place(
    by_section: dict[int, list[PublishedEntry]],
    entries: dict[int, PublishedEntry],
    placed: list[tuple[int, int, int]],
) -> None:
    """Add the placed entries to their further sections, in position order among the section's
    own entries (a tie, which only a hand-made position can cause, puts the own entry first)."""
    placed_by_section: dict[int, list[tuple[int, int, int, PublishedEntry]]] = defaultdict(list)
    for section_id, position, entry_id in placed:
        placed_by_section[section_id].append((position, 1, entry_id, entries[entry_id]))
    for section_id, further in placed_by_section.items():
        own = [(entry.position, 0, entry.pk, entry) for entry in by_section.get(section_id, [])]
        by_section[section_id] = [item[3] for item in sorted(own + further)]
