"""A list's published content as the list page shows it: the README's content, in its order.

Read through ``catalog.published.read_published``, as the export is (same rows, same order),
with the same description style; primary keys give the anchors and slugs the tag and marker
links. A fixed number of queries whatever the size of the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from catalog import section_links
from catalog.markdown import style
from catalog.markdown.anchors import section_anchors
from catalog.markdown.document import FooterBlock, ListDoc, SectionDoc
from catalog.models import CuratedList
from catalog.ordering import SORTS, RepositoryFigures, data_attributes
from catalog.published import PublishedEntry, read_published
from catalog.querysets import stale_before
from catalog.rendering import is_safe_url, render_block, render_inline

# Headings stop at <h6>; deeper sections (the README lists them as groups) keep h6.
MAX_HEADING = 6
# The contents name the top two levels, as the README's does.
CONTENTS_DEPTH = 2
# Ids the page gives other elements: a README anchor that would repeat one is not used.
PAGE_IDS = re.compile(
    r"^(main|legend-heading|contents-heading|filter-input|filter-status|view-heading|"
    r"view-sort|view-licence|view-tag|view-maintained|"
    r"list-search-q|entry-\d+(-in-\d+)?|section-\d+)$"
)


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
    # A table's extra columns: {"label": …, "value": rendered inline Markdown}, in order.
    attributes: list[dict[str, Any]] = field(default_factory=list)
    # Set where the entry is shown in a further section (a placement), not its own.
    placed_in: int | None = None
    # The stored repository metadata (catalog.ordering), shown where the list enables it.
    figures: RepositoryFigures | None = None
    # ` data-stars="…" data-activity="…"…`: what the page's script sorts and filters by.
    data: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def stars_shown(self) -> str:
        stars = self.figures.stars if self.figures else None
        return "" if stars is None else f"{stars:,}"

    # Text the section shows right before it, between two lists (Entry.lead_in), rendered.
    lead_in: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def anchor(self) -> str:
        # The entry's own place keeps the permalink anchor (Entry.get_absolute_url).
        if self.placed_in is not None:
            return f"entry-{self.pk}-in-{self.placed_in}"
        return f"entry-{self.pk}"


@dataclass
class PageSection:
    pk: int
    title: str
    title_path: str
    description: SafeString
    level: int
    entries: list[PageEntry] = field(default_factory=list)
    # Text the README shows after the entries (a closing note under the list).
    outro: SafeString = field(default_factory=lambda: mark_safe(""))
    children: list[PageSection] = field(default_factory=list)
    # The README's anchor for this heading (``#csv``), so links into the README land here too.
    readme_anchor: str = ""

    @property
    def anchor(self) -> str:
        return self.readme_anchor or self.old_anchor

    @property
    def runs(self) -> list[tuple[SafeString, list[PageEntry]]]:
        """The entries cut where the README puts text between two lists: (text, entries)."""
        runs: list[tuple[SafeString, list[PageEntry]]] = []
        for entry in self.entries:
            if not runs or entry.lead_in:
                runs.append((entry.lead_in, []))
            runs[-1][1].append(entry)
        return runs

    @property
    def old_anchor(self) -> str:
        """The id sections had before they took the README's anchors; links to it still land."""
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
    # The choices of the "Sort and filter" form, from what the entries carry.
    sorts: list[tuple[str, str]] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    tags: list[ShownTag] = field(default_factory=list)
    has_repository_data: bool = False


def safe_url(url: str) -> str:
    return url if url and is_safe_url(url) else ""


def load(curated_list: CuratedList) -> ListPage:
    """Seven queries: legend, footer, sections, entries, extra links, tags, entry markers."""
    content = read_published(curated_list)
    legend = {m.pk: ShownMarker(m.symbol, m.slug, m.label) for m in content.markers}
    shown: dict[int, PageEntry] = {}
    cutoff = stale_before()
    anchors = _readme_anchors(curated_list, content.sections, content.footer)
    # Links stored as "#section-<pk>" (catalog.section_links) point at the README's anchor,
    # which the page gives the section too.
    targets = {
        f"{section_links.PREFIX}{section.pk}": anchor
        for section, anchor in zip(content.sections, anchors, strict=True)
        if not PAGE_IDS.match(anchor)
    }

    def block(markdown: str) -> SafeString:
        return mark_safe(render_block(section_links.block(markdown, targets)))

    def line(markdown: str) -> SafeString:
        return mark_safe(render_inline(section_links.one_line(markdown, targets)))

    def page_entry(entry: PublishedEntry, section_id: int) -> PageEntry:
        found = shown.get(entry.pk)
        if found is None:  # rendered once, however many sections it is placed in
            found = shown[entry.pk] = PageEntry(
                pk=entry.pk,
                title=entry.title,
                url=safe_url(entry.url),
                description=line(style.description(entry.description, title=entry.title)),
                markers=[legend[marker.pk] for marker in entry.markers],
                tags=[ShownTag(name, slug) for name, slug in entry.tags],
                links=[(label, safe_url(url)) for label, url in entry.links],
                attributes=[
                    {"label": item["label"], "value": line(item["value"])}
                    for item in entry.attributes
                ],
                figures=entry.repository,
                data=_data(entry, cutoff),
            )
        lead_in = content.lead_in(section_id, entry)
        if lead_in:
            found = replace(found, lead_in=block(lead_in))
        if section_id == entry.section_id:
            return found
        return replace(found, placed_in=section_id)

    by_section = {
        section_id: [page_entry(entry, section_id) for entry in entries]
        for section_id, entries in content.entries.items()
    }

    nodes: dict[int, PageSection] = {}
    roots: list[PageSection] = []
    for section, anchor in zip(content.sections, anchors, strict=True):
        node = PageSection(
            pk=section.pk,
            title=section.title,
            title_path=section.title_path or section.title,
            description=block(section.description),
            outro=block(section.outro),
            level=section.depth + 2,
            entries=by_section.get(section.pk, []),
            readme_anchor="" if PAGE_IDS.match(anchor) else anchor,
        )
        nodes[section.pk] = node
        parent = nodes.get(section.parent_id) if section.parent_id else None
        (parent.children if parent else roots).append(node)

    return ListPage(
        curated_list=curated_list,
        tagline=mark_safe(render_inline(curated_list.tagline)),
        intro=block(curated_list.intro),
        markers=list(legend.values()),
        footer=[(footer.title, block(footer.body)) for footer in content.footer],
        sections=roots,
        entry_count=content.entry_count,
        **_view_options(list(shown.values())),
    )


def _data(entry: PublishedEntry, cutoff: Any) -> SafeString:
    found = data_attributes(entry.repository, entry.published_at, cutoff)
    if entry.tags:
        found["tags"] = " ".join(slug for _, slug in entry.tags)
    return format_html_join("", ' data-{}="{}"', found.items())


def _view_options(entries: list[PageEntry]) -> dict[str, Any]:
    """The sorts, licences and tags the page's form offers: only what some entry has."""
    with_figures = [entry.figures for entry in entries if entry.figures is not None]
    tags = {tag.slug: tag for entry in entries for tag in entry.tags}
    return {
        "sorts": [
            (key, label) for key, label in SORTS if with_figures or key not in ("stars", "activity")
        ],
        "licences": sorted({f.licence for f in with_figures if f.licence}, key=str.casefold),
        "tags": sorted(tags.values(), key=lambda tag: tag.name.casefold()),
        "has_repository_data": bool(with_figures),
    }


def _readme_anchors(curated_list: CuratedList, sections: list, footer: list) -> list[str]:
    """The README's anchor of each section, in the tree order of ``sections``."""
    children: dict[int | None, list] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)

    def skeleton(parent_id: int | None) -> tuple[SectionDoc, ...]:
        return tuple(
            SectionDoc(title=s.title, slug=s.slug, children=skeleton(s.pk))
            for s in children.get(parent_id, [])
        )

    doc = ListDoc(
        title=curated_list.title,
        sections=skeleton(None),
        footer=tuple(FooterBlock(block.title, block.body) for block in footer),
    )
    return section_anchors(doc)
