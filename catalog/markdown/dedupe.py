"""One link, one place: awesome-lint's double-link rule counts every link outside a list item's
description, so a prose link that repeats an entry, a table-of-contents anchor or an earlier
prose link is unlinked (its text stays) and reported. Entries with the same URL are merged by
the importer before this runs; this pass only touches kept prose.
"""

from __future__ import annotations

import re
from dataclasses import replace

from catalog.markdown import inline, tables
from catalog.markdown.anchors import readme_outline
from catalog.markdown.blocks import Prose, is_emphasis_only
from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc, iter_sections
from catalog.markdown.inline import Code, Emph, Link, Node, Strike, Strong, Text
from catalog.markdown.licences import is_licence_title
from catalog.markdown.report import Duplicate, ImportReport, Location
from catalog.markdown.syntax import MD, parse_tree
from catalog.normalize import normalize_url

AWESOME_BADGE_LINK = "https://awesome.re"
CONTRIBUTING_FILE = "contributing.md"


def link_key(url: str) -> str:
    if url.startswith("#"):
        return url
    key = _DIRECTORY_INDEX.sub("", normalize_url(url))
    # awesome-lint reads a relative link as a host name, which it lower-cases.
    return key if "://" in url or ":" in key.split("/")[0] else key.lower()


# normalize-url (awesome-lint's) drops a trailing index.html: /docs/index.html is /docs.
_DIRECTORY_INDEX = re.compile(r"/index\.[a-z]+(?=$|[?#])")


class _Claims:
    def __init__(self, report: ImportReport | None, keys: dict[str, str] | None = None) -> None:
        self.seen: dict[str, Location] = {}
        self.report = report
        self.keys = {} if keys is None else keys
        # Anchors of the README's headings: in block text the renderer writes a link to one as
        # a reference, which the double-link rule does not count (crosslinks), so it stays.
        self.cross: set[str] = set()
        self.keep_cross = False

    def key(self, url: str) -> str:
        """``link_key(url)``, computed once per URL of this document (it normalises the URL,
        the most expensive step of claiming a link)."""
        key = self.keys.get(url)
        if key is None:
            key = self.keys[url] = link_key(url)
        return key

    def claim(self, url: str, where: Location) -> None:
        self.seen.setdefault(self.key(url), where)

    def transform_for(self, where: Location):
        def transform(nodes: list[Node]) -> list[Node]:
            result = self._unlink_repeats(nodes, where)
            had_links = any(True for _ in inline.walk_links(nodes))
            has_links = any(True for _ in inline.walk_links(result))
            if is_emphasis_only(result) and had_links and not has_links:
                # "**See [Ticketing](#ticketing)**" unlinked must not become a bold heading-line.
                strong = inline.strip(result)[0]
                assert isinstance(strong, Strong | Emph)
                return list(strong.children)
            return result

        return transform

    def _unlink_repeats(self, nodes: list[Node], where: Location) -> list[Node]:
        out: list[Node] = []
        for index, node in enumerate(nodes):
            if isinstance(node, Link) and self.keep_cross and node.url in self.cross:
                node = Link(
                    node.url, self._unlink_repeats(node.children, where), node.title, node.form
                )
            elif isinstance(node, Link):
                key = self.key(node.url)
                if key in self.seen:
                    if self.report is not None:
                        self.report.duplicates.append(
                            Duplicate(node.url, self.seen[key], where, "prose link unlinked")
                        )
                    if node.form == "bare" and _backtick_beside(out, nodes[index + 1 :]):
                        # As code it would run into the backticks beside it ("x`y`" →
                        # "`x``y`"): "https\\://…" is not linked either, and reads the same.
                        out.extend(_unlinkable_text(node.url))
                    elif node.form == "bare":
                        out.append(Code(node.url))  # a bare URL would be linked again by GitHub
                    else:
                        out.extend(self._unlink_repeats(node.children, where))
                    continue
                self.seen[key] = where
                node = Link(
                    node.url, self._unlink_repeats(node.children, where), node.title, node.form
                )
            elif isinstance(node, Strong | Emph | Strike):
                node = type(node)(self._unlink_repeats(node.children, where))
            out.append(node)
        return out

    def unlinked_entry(self, entry: EntryDoc, where: Location) -> EntryDoc:
        """In an item without a title link, awesome-lint takes the first link for the title
        link: it must not repeat one already on the page."""
        if entry.url:
            return entry
        description = entry.description
        extra_links = list(entry.extra_links)
        first = _first_link(description)
        if first is not None:
            if first in self.cross:
                pass  # a cross-link, written as a reference (render): awesome-lint skips it
            elif self.key(first) in self.seen:
                # Unlinks repeats, claims the rest; cross-links stay (written as references).
                description = self.prose(description, where, cross=True)
            else:
                self.claim(first, where)
        else:
            while extra_links and self.key(extra_links[0].url) in self.seen:
                dropped = extra_links.pop(0)
                if self.report is not None:
                    first_seen = self.seen[self.key(dropped.url)]
                    self.report.duplicates.append(
                        Duplicate(dropped.url, first_seen, where, "extra link dropped")
                    )
            if extra_links:
                self.claim(extra_links[0].url, where)
        if description == entry.description and len(extra_links) == len(entry.extra_links):
            return entry
        return replace(entry, description=description, extra_links=tuple(extra_links))

    def table_entry(self, entry: EntryDoc, where: Location) -> EntryDoc:
        """In a table every link counts for awesome-lint's double-link rule, not only the title
        link: description and attribute links that repeat one are unlinked, repeated extra
        links dropped (their URL is on the page already) — all reported."""
        description = self.inline_prose(entry.description, where, cross=True)
        attributes = tuple(
            replace(attribute, value=self.inline_prose(attribute.value, where, cross=True))
            if "](" in attribute.value or "http" in attribute.value
            else attribute
            for attribute in entry.attributes
        )
        extra_links = []
        for link in entry.extra_links:
            key = self.key(link.url)
            if key in self.seen:
                if self.report is not None:
                    self.report.duplicates.append(
                        Duplicate(link.url, self.seen[key], where, "extra link dropped")
                    )
                continue
            self.seen.setdefault(key, where)
            extra_links.append(link)
        return replace(
            entry,
            description=description,
            attributes=attributes,
            extra_links=tuple(extra_links),
        )

    def inline_prose(self, markdown: str, where: Location, *, cross: bool = False) -> str:
        """One line of inline Markdown with its repeated links unlinked; with ``cross``, links
        to the README's headings stay (the renderer writes them as references there)."""
        if not markdown or ("](" not in markdown and "http" not in markdown):
            return markdown
        tokens = MD.parseInline(markdown)
        nodes = inline.build(tokens[0].children if tokens else None)
        if not any(True for _ in inline.walk_links(nodes)):
            return markdown
        self.keep_cross = cross
        try:
            return inline.render(self._unlink_repeats(nodes, where))
        finally:
            self.keep_cross = False

    def prose(self, markdown: str, where: Location, *, cross: bool = False) -> str:
        """Block Markdown with its repeated links unlinked; with ``cross``, links to the
        README's headings stay (the renderer writes them as references in block text)."""
        if not markdown or (
            "](" not in markdown and "http" not in markdown and "<" not in markdown
        ):
            return markdown
        writer = Prose(self.transform_for(where))
        try:
            for node in parse_tree(markdown).children:
                # In running text only: a kept list of anchors is a contents list, not a
                # cross-link (its re-import would drop it as one).
                self.keep_cross = cross and node.type not in ("bullet_list", "ordered_list")
                writer.add_block(node)
        finally:
            self.keep_cross = False
        return writer.markdown()


def dedupe_document(
    doc: ListDoc, report: ImportReport | None = None, *, keys: dict[str, str] | None = None
) -> ListDoc:
    """The document with repeated prose links unlinked, in README order. ``keys`` maps URLs of
    this document to their ``link_key`` where the caller has computed them already (it is
    filled with the ones computed here)."""
    claims = _Claims(report, keys)
    for path, section in iter_sections(doc.sections):
        for entry in section.entries:
            if entry.url:
                claims.claim(entry.url, Location(None, path))
    claims.claim(AWESOME_BADGE_LINK, Location(1, ("title",)))
    claims.claim(CONTRIBUTING_FILE, Location(None, ("Contributing",)))
    # The headings as the README has them (its title reads "Title Awesome"), so that the
    # Contents' anchors claimed here are the ones the renderer links.
    headings = readme_outline(doc)
    for heading in headings:
        if heading.in_toc:
            claims.claim("#" + heading.anchor, Location(None, ("Contents",)))
    claims.cross = {"#" + heading.anchor for heading in headings}

    tagline = claims.prose(doc.tagline, Location(None, ("tagline",)))
    intro = claims.prose(doc.intro, Location(None, ("intro",)), cross=True)
    markers = tuple(
        replace(marker, label=_one_line(claims.prose(marker.label, Location(None, ("legend",)))))
        for marker in doc.markers
    )

    def walk(sections: tuple[SectionDoc, ...], path: tuple[str, ...]) -> tuple[SectionDoc, ...]:
        out = []
        for section in sections:
            here = (*path, section.title)
            description = claims.prose(section.description, Location(None, here), cross=True)
            read = claims.table_entry if tables.layout(section) else claims.unlinked_entry
            entries = tuple(
                read(_lead_in(claims, entry, Location(None, here)), Location(None, here))
                for entry in section.entries
            )
            outro = claims.prose(section.outro, Location(None, here), cross=True)
            out.append(
                replace(
                    section,
                    description=description,
                    entries=entries,
                    outro=outro,
                    children=walk(section.children, here),
                )
            )
        return tuple(out)

    sections = walk(doc.sections, ())
    footer = tuple(
        replace(
            block,
            body=claims.prose(
                block.body, Location(None, (block.title,)), cross=not is_licence_title(block.title)
            ),
        )
        for block in doc.footer
    )
    tagline = " ".join(tagline.split("\n"))
    return replace(
        doc, tagline=tagline, intro=intro, markers=markers, sections=sections, footer=footer
    )


def _lead_in(claims: _Claims, entry: EntryDoc, where: Location) -> EntryDoc:
    """The text before an entry (``EntryDoc.lead_in``) is claimed where the README shows it."""
    if not entry.lead_in:
        return entry
    return replace(entry, lead_in=claims.prose(entry.lead_in, where, cross=True))


def _first_link(markdown: str) -> str | None:
    if not markdown:
        return None
    tokens = MD.parseInline(markdown)
    nodes = inline.build(tokens[0].children if tokens else None)
    return next((link.url for link in inline.walk_links(nodes)), None)


def _one_line(markdown: str) -> str:
    return " ".join(markdown.split("\n")) if "\n" in markdown else markdown


__all__ = ["dedupe_document", "inline", "link_key"]


def _ends_with_backtick(node: Node) -> bool:
    return isinstance(node, Code) or (isinstance(node, Text) and node.value.endswith("`"))


def _starts_with_backtick(node: Node) -> bool:
    return isinstance(node, Code) or (isinstance(node, Text) and node.value.startswith("`"))


def _backtick_beside(before: list[Node], after: list[Node]) -> bool:
    return bool(
        (before and _ends_with_backtick(before[-1])) or (after and _starts_with_backtick(after[0]))
    )


def _unlinkable_text(url: str) -> list[Node]:
    """A URL as text no autolinker links: its scheme's colon written as an escape."""
    scheme, colon, rest = url.partition(":")
    if not colon:
        return [Text(url)]
    return [Text(scheme), Text(":", literal=True), Text(rest)]
