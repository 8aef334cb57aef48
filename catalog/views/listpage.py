"""A list's published content as the list page shows it: the README's content, in its order.

Read the way ``catalog.export.list_document`` reads (tuples, the same orderings, the same
alphabetical sort, the same description style), but keeping primary keys for anchors and
slugs for tag and marker links. A fixed number of queries whatever the size of the list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from catalog.markdown import style
from catalog.models import CuratedList, Entry, ExtraLink, Section, TaggedEntry
from catalog.rendering import is_safe_url, render_block, render_inline

# Headings stop at <h6>; deeper sections (the README lists them as groups) keep h6.
MAX_HEADING = 6
# The contents name the top two levels, as the README's does.
CONTENTS_DEPTH = 2


@dataclass(frozen=True)
class ShownMarker:
    symbol: str
    slug: str
    label: str


@dataclass(frozen=True)
class ShownTag:
    name: str
    slug: str


@dataclass
class PageEntry:
    pk: int
    title: str
    url: str
    description: SafeString
    markers: list[ShownMarker] = field(default_factory=list)
    tags: list[ShownTag] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"


@dataclass
class PageSection:
    pk: int
    title: str
    title_path: str
    description: SafeString
    level: int
    entries: list[PageEntry] = field(default_factory=list)
    children: list[PageSection] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.pk}"

    @property
    def heading(self) -> str:
        return f"h{min(self.level, MAX_HEADING)}"

    @property
    def in_contents(self) -> bool:
        return self.level <= CONTENTS_DEPTH + 1


@dataclass
class ListPage:
    curated_list: CuratedList
    tagline: SafeString
    intro: SafeString
    markers: list[ShownMarker]
    footer: list[tuple[str, SafeString]]
    sections: list[PageSection]
    entry_count: int


def safe_url(url: str) -> str:
    return url if url and is_safe_url(url) else ""


def load(curated_list: CuratedList) -> ListPage:
    """Seven queries: legend, footer, sections, entries, extra links, tags, entry markers."""
    markers = list(curated_list.markers.order_by("position", "pk"))
    footer = list(curated_list.footer_blocks.order_by("position", "pk"))
    section_rows = list(
        Section.objects.for_list(curated_list)
        .in_tree_order()
        .values_list("pk", "parent_id", "title", "title_path", "description", "depth")
    )
    published = Entry.objects.for_list(curated_list).published()
    rows = list(
        published.order_by("section_id", "position", "pk").values_list(
            "pk", "section_id", "title", "url", "description"
        )
    )
    shown = published.values("pk")

    links: dict[int, list[tuple[str, str]]] = defaultdict(list)
    link_rows = ExtraLink.objects.filter(entry__in=shown).order_by("entry_id", "position", "pk")
    for entry_id, label, url in link_rows.values_list("entry_id", "label", "url"):
        links[entry_id].append((label, safe_url(url)))
    tags: dict[int, list[ShownTag]] = defaultdict(list)
    tag_rows = TaggedEntry.objects.filter(content_object__in=shown).order_by("pk")
    for entry_id, name, slug in tag_rows.values_list("content_object_id", "tag__name", "tag__slug"):
        tags[entry_id].append(ShownTag(name, slug))
    legend = {m.pk: ShownMarker(m.symbol, m.slug, m.label) for m in markers}
    entry_markers: dict[int, list[ShownMarker]] = defaultdict(list)
    marker_rows = Entry.markers.through.objects.filter(entry__in=shown).order_by("pk")
    for entry_id, marker_id in marker_rows.values_list("entry_id", "marker_id"):
        entry_markers[entry_id].append(legend[marker_id])

    by_section: dict[int, list[PageEntry]] = defaultdict(list)
    for pk, section_id, title, url, description in rows:
        by_section[section_id].append(
            PageEntry(
                pk=pk,
                title=title,
                url=safe_url(url),
                description=mark_safe(render_inline(style.description(description, title=title))),
                markers=entry_markers.get(pk, []),
                tags=tags.get(pk, []),
                links=links.get(pk, []),
            )
        )
    if curated_list.ordering == CuratedList.Ordering.ALPHABETICAL:
        for entries in by_section.values():
            entries.sort(key=lambda entry: entry.title.casefold())

    nodes: dict[int, PageSection] = {}
    roots: list[PageSection] = []
    for pk, parent_id, title, title_path, description, depth in section_rows:
        node = PageSection(
            pk=pk,
            title=title,
            title_path=title_path or title,
            description=mark_safe(render_block(description)),
            level=depth + 2,
            entries=by_section.get(pk, []),
        )
        nodes[pk] = node
        parent = nodes.get(parent_id) if parent_id else None
        (parent.children if parent else roots).append(node)

    return ListPage(
        curated_list=curated_list,
        tagline=mark_safe(render_inline(curated_list.tagline)),
        intro=mark_safe(render_block(curated_list.intro)),
        markers=list(legend.values()),
        footer=[(block.title, mark_safe(render_block(block.body))) for block in footer],
        sections=roots,
        entry_count=len(rows),
    )
