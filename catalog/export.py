"""The database edge of the export: a list's published content as a ``ListDoc``, then files.

Rendering is pure (``catalog.markdown.render``); this module only reads, in a fixed number of
queries whatever the size of the list (seven), so exporting awesome-go costs what exporting a
ten-entry list costs in round trips.
"""

from __future__ import annotations

from collections import defaultdict

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
from catalog.markdown.render import render_files
from catalog.models import CuratedList, Entry, ExtraLink, Section, TaggedEntry

EXPORT_QUERY_COUNT = 7


def list_document(curated_list: CuratedList) -> ListDoc:
    """Everything the README of ``curated_list`` shows: its published entries, in order.

    Rows are read as tuples, not model instances: on a 3,000-entry list building the instances
    would cost more than rendering the README.
    """
    markers = list(curated_list.markers.order_by("position", "pk"))
    footer = list(curated_list.footer_blocks.order_by("position", "pk"))
    sections = list(Section.objects.for_list(curated_list).in_tree_order())
    published = Entry.objects.for_list(curated_list).published()
    rows = published.order_by("section_id", "position", "pk").values_list(
        "pk", "section_id", "title", "url", "description"
    )
    shown = published.values("pk")

    links: dict[int, list[ExtraLinkDoc]] = defaultdict(list)
    link_rows = ExtraLink.objects.filter(entry__in=shown).order_by("entry_id", "position", "pk")
    for entry_id, label, url in link_rows.values_list("entry_id", "label", "url"):
        links[entry_id].append(ExtraLinkDoc(label=label, url=url))
    tags: dict[int, list[str]] = defaultdict(list)
    tag_rows = TaggedEntry.objects.filter(content_object__in=shown).order_by("pk")
    for entry_id, name in tag_rows.values_list("content_object_id", "tag__name"):
        tags[entry_id].append(name)
    symbols = {marker.pk: marker.symbol for marker in markers}
    entry_markers: dict[int, list[str]] = defaultdict(list)
    marker_rows = Entry.markers.through.objects.filter(entry__in=shown).order_by("pk")
    for entry_id, marker_id in marker_rows.values_list("entry_id", "marker_id"):
        entry_markers[entry_id].append(symbols[marker_id])

    by_section: dict[int, list[EntryDoc]] = defaultdict(list)
    for pk, section_id, title, url, description in rows:
        by_section[section_id].append(
            EntryDoc(
                title=title,
                url=url,
                description=description,
                extra_links=tuple(links.get(pk, ())),
                markers=tuple(entry_markers.get(pk, ())),
                tags=tuple(tags.get(pk, ())),
            )
        )
    if curated_list.ordering == CuratedList.Ordering.ALPHABETICAL:
        for docs in by_section.values():
            docs.sort(key=lambda doc: doc.title.casefold())

    return ListDoc(
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
            )
            for section in children.get(parent_id, ())
        )

    return build(None)


def export_files(curated_list: CuratedList) -> dict[str, str]:
    """README.md, contributing.md and the other files of the list, rendered from the database."""
    return render_files(list_document(curated_list))
