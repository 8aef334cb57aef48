"""The database edge of the export: a list's published content as a ``ListDoc``, then files.

Rendering is pure (``catalog.markdown.render``); this module only reads, in a fixed number of
queries whatever the size of the list (seven), so exporting awesome-go costs what exporting a
ten-entry list costs in round trips.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from catalog import section_links
from catalog.columns import attribute_docs, column_docs
from catalog.markdown.document import (
    EntryDoc,
    ExtraLinkDoc,
    ListDoc,
    MarkerDef,
    SectionDoc,
)
from catalog.markdown.document import (
    FooterBlock as FooterDoc,
)
from catalog.markdown.gcpause import collector_paused
from catalog.markdown.render import render_files
from catalog.models import CuratedList, Section
from catalog.published import PUBLISHED_QUERY_COUNT, PublishedEntry, read_published

EXPORT_QUERY_COUNT = PUBLISHED_QUERY_COUNT


def list_document(curated_list: CuratedList) -> ListDoc:
    """Everything the README of ``curated_list`` shows: its published entries, in order."""
    content = read_published(curated_list)
    docs: dict[int, EntryDoc] = {}  # an entry placed in several sections is one EntryDoc

    def entry_doc(entry: PublishedEntry) -> EntryDoc:
        found = docs.get(entry.pk)
        if found is None:
            found = docs[entry.pk] = EntryDoc(
                title=entry.title,
                url=entry.url,
                description=entry.description,
                extra_links=tuple(ExtraLinkDoc(label=label, url=url) for label, url in entry.links),
                markers=tuple(marker.symbol for marker in entry.markers),
                tags=tuple(name for name, _ in entry.tags),
                attributes=attribute_docs(entry.attributes),
            )
        return found

    def placed(section_id: int, entry: PublishedEntry) -> EntryDoc:
        lead_in = content.lead_in(section_id, entry)
        return replace(entry_doc(entry), lead_in=lead_in) if lead_in else entry_doc(entry)

    by_section = {
        section_id: [placed(section_id, entry) for entry in entries]
        for section_id, entries in content.entries.items()
    }
    markers, sections, footer = content.markers, content.sections, content.footer
    doc = ListDoc(
        title=curated_list.title,
        tagline=curated_list.tagline,
        intro=curated_list.intro,
        markers=tuple(MarkerDef(symbol=m.symbol, slug=m.slug, label=m.label) for m in markers),
        sections=_section_docs(sections, by_section),
        footer=tuple(FooterDoc(title=block.title, body=block.body) for block in footer),
        repository_url=curated_list.repository_url,
        license=curated_list.license,
        ordering=curated_list.ordering,  # type: ignore[arg-type]
    )
    # Links stored as "#section-<pk>" point at the anchor the section's heading has now.
    return section_links.by_anchor(doc, [section.pk for section in sections])


def _section_docs(
    sections: list[Section], entries: dict[int, list[EntryDoc]]
) -> tuple[SectionDoc, ...]:
    children: dict[int | None, list[Section]] = defaultdict(list)
    for section in sections:  # tree order, so siblings arrive by position
        children[section.parent_id].append(section)

    def build(parent_id: int | None) -> tuple[SectionDoc, ...]:
        return tuple(
            SectionDoc(
                title=section.title,
                slug=section.slug,
                description=section.description,
                entries=tuple(entries.get(section.pk, ())),
                children=build(section.pk),
                columns=column_docs(section.columns),
                outro=section.outro,
            )
            for section in children.get(parent_id, ())
        )

    return build(None)


def export_files(curated_list: CuratedList) -> dict[str, str]:
    """README.md, contributing.md and the other files of the list, rendered from the database."""
    # Reading builds a few objects per row that all live until the render ends: the collector
    # would re-scan them again and again (see gcpause), as it would in the render itself.
    with collector_paused():
        return render_files(list_document(curated_list))
