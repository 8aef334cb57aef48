"""Import: a real awesome README (as it grew by hand) → ``ListDoc`` + ``ImportReport``.

The README is parsed once by markdown-it (CommonMark + GFM tables and strikethrough) into a
syntax tree; everything below works on that tree, never on raw lines. The walk:

1. Clean the text (BOM, line ends, mojibake) — ``decode``.
2. The first heading, if it is an H1, is the title (badges set aside, links kept in the intro);
   without one, an ``<h1>`` or the logo's ``alt`` in the HTML header.
3. Headings open sections on a stack by level, so an H4 under an H2 is its child and an H1
   among H2s is a top-level section. Top-level sections titled like Contributing, License,
   Code of Conduct, Footnotes … become footer blocks (their sub-headings stay in their body).
4. Blocks before the first section are the intro: the first quote (or paragraph) is the
   tagline; badges, table-of-contents lists and comments are set aside.
5. A section whose links are all anchors is the table of contents: dropped (it is generated).
6. In a section: lists and tables become entries (``entries``), an unlinked item with a nested
   list or a bold line before a list becomes a subsection, the rest is the description.
7. Duplicates: the same URL twice in a section becomes one entry; in another section it is a
   further placement of the same entry (shown in both); a prose link repeating a link already on the
   page is unlinked (awesome-lint's double-link rule) — both reported (``dedupe``).
"""

from __future__ import annotations

import html as html_module
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from markdown_it.token import Token

from catalog.markdown import (
    blocks,
    cards,
    crosslinks,
    html_anchors,
    html_lists,
    icons,
    inline,
    markers,
    navigation,
    plaintext,
    safety,
    style,
    tables,
    titles,
)
from catalog.markdown import nested as sub_items
from catalog.markdown.anchors import section_anchors
from catalog.markdown.blocks import Prose, _Chunk
from catalog.markdown.decode import clean_text
from catalog.markdown.dedupe import dedupe_document, link_key
from catalog.markdown.document import (
    ColumnDoc,
    ExtraLinkDoc,
    FooterBlock,
    ListDoc,
    MarkerDef,
    SectionDoc,
    iter_sections,
)
from catalog.markdown.entries import Item, ItemReader
from catalog.markdown.gcpause import collector_paused
from catalog.markdown.inline import Code, Emph, Html, Link, Strong, Text
from catalog.markdown.licences import detect_licence, is_licence_title
from catalog.markdown.links import prose_link_count, urls_in_markdown
from catalog.markdown.links import record as record_links
from catalog.markdown.outline import CONTRIBUTING_POINTER
from catalog.markdown.placements import first_placements
from catalog.markdown.report import (
    BACK_TO_TOP,
    BADGE,
    TOC_ANCHOR,
    Duplicate,
    ImportReport,
    Location,
    Placement,
)
from catalog.markdown.slugs import github_slug
from catalog.markdown.syntax import MD, Block, parse_tree, split_url
from catalog.normalize import normalize_url

DEFAULT_TITLE = "Awesome List"

_FOOTER_TITLE = re.compile(
    r"^(contributing|contributions?|contributors?|how to contribute|licen[cs]e|licensing|"
    r"code of conduct|footnotes?|credits?|acknowledge?ments?|authors?|maintainers?|thanks)$",
    re.IGNORECASE,
)
_TOC_TITLE = re.compile(r"^(table of contents|contents|toc|index|categories)$", re.IGNORECASE)
_LEGEND_TITLE = re.compile(r"^(legend|anti-?features|markers|symbols|key)$", re.IGNORECASE)
_BACK_TO_TOP = re.compile(r"top|back|⬆|↑|\^|contents|up\b", re.IGNORECASE)
_HTML_ANCHOR = re.compile(r"^\s*<a\s+(?:name|id)\s*=\s*[\"'][^\"']*[\"']\s*/?>\s*(</a>)?\s*$", re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_H1_HTML = re.compile(r"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_IMG_ALT = re.compile(r"<img\b[^>]*\balt\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_HTML_URL = re.compile(r"\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")


def parse_readme(
    text: str, *, title: str | None = None, account: bool = False
) -> tuple[ListDoc, ImportReport]:
    """Read an awesome README. ``title`` overrides the title found in the file. With
    ``account``, ``report.links`` says where each link of the source went (``links.record``,
    reading the syntax tree already parsed instead of parsing the README twice)."""
    report = ImportReport()
    with collector_paused():
        text = clean_text(text, report)
        importer = _Importer(report)
        doc = importer.run(text, title=title)
        if account:
            record_links(text, doc, report, tree=importer.root)
    return doc, report


def parse_files(files: dict[str, str], *, account: bool = False) -> tuple[ListDoc, ImportReport]:
    """The inverse of ``render.render_files``: README.md plus, if present, license.md."""
    doc, report = parse_readme(files["README.md"], account=account)
    licence = files.get("license.md", "")
    if licence.strip():
        body = licence.strip()
        if body.startswith("# "):
            body = body.split("\n", 1)[1].strip() if "\n" in body else ""
        footer = (*doc.footer, FooterBlock(title="License", body=body))
        doc = replace(doc, footer=footer, license=detect_licence(body))
    return doc, report


# --- collected sections before they are frozen ------------------------------------------------


@dataclass(slots=True)
class _Section:
    title: str
    level: float
    line: int | None
    path: tuple[str, ...]
    blocks: list[Block] = field(default_factory=list)
    heading_links: list[Link] = field(default_factory=list)
    children: list[_Section] = field(default_factory=list)
    body_children: list[_Section] = field(default_factory=list)
    footer: bool = False
    prose: _SectionProse = field(init=False)  # set in __post_init__: it counts the items
    items: list[tuple[Item, int | None]] = field(default_factory=list)
    columns: list[ColumnDoc] = field(default_factory=list)  # its entries came as a table
    node_id: int = 0  # id() of its heading node, for the anchor the source gave it
    items_read: int = 0  # len(items) once the body is read, before duplicates are merged

    def __post_init__(self) -> None:
        self.prose = _SectionProse(lambda: len(self.items))

    read_index: list[int] = field(default_factory=list)  # index when read, of each of items

    def texts(self) -> tuple[str, list[str], str]:
        """The section's text before its entries, the ``lead_in`` of each entry (the text
        between its lists, before that entry) and the text after them (``outro``); all of it is
        the description when its entries were all merged away as duplicates. The text before a
        merged duplicate goes with the next entry kept (or after the last one)."""
        if not self.items:
            return self.prose.split(0)[0], [], ""
        description, between, outro = self.prose.layout(self.items_read)
        index = self.read_index or list(range(len(self.items)))
        lead_ins: list[str] = []
        done = 0
        for position, read in enumerate(index):
            text = _join(between[done : read + 1])
            done = read + 1
            if position == 0:
                description, text = _join([description, text]), ""
            lead_ins.append(text)
        outro = _join([*between[done:], outro])
        return description, lead_ins, outro


def _join(texts: Sequence[str]) -> str:
    return "\n\n".join(text for text in texts if text)


class _SectionProse(Prose):
    """A section's kept text, each block marked with how many entries were read before it."""

    def __init__(self, count: Callable[[], int]) -> None:
        super().__init__()
        self.count = count
        self.marks: list[int] = []

    def add_block(self, node: Block) -> None:
        before = len(self.chunks)
        super().add_block(node)
        if node.type != "paragraph":  # a paragraph was marked by add_paragraph
            self.marks.extend([self.count()] * (len(self.chunks) - before))

    def add_paragraph(self, nodes: Sequence[inline.Node], *, first: bool = False) -> None:
        before = len(self.chunks)
        super().add_paragraph(nodes, first=first)
        if len(self.chunks) > before:
            self.marks.insert(0, 0) if first else self.marks.append(self.count())

    def add_markdown(self, markdown: str, *, paragraph: bool = False) -> None:
        before = len(self.chunks)
        super().add_markdown(markdown, paragraph=paragraph)
        self.marks.extend([self.count()] * (len(self.chunks) - before))

    def _outro_start(self, entries: int) -> int:
        at = len(self.chunks)
        while entries and at and self.marks[at - 1] == entries:
            at -= 1
        if at < len(self.chunks) and _LIST_START.match(self.chunks[at].markdown):
            # A list of prose right after the entries would run into their list on export, an
            # indented block into their last item: such text stays before the entries.
            at = len(self.chunks)
        return at

    def split(self, entries: int) -> tuple[str, str]:
        at = self._outro_start(entries)
        before, after = Prose(), Prose()
        before.chunks, after.chunks = self.chunks[:at], self.chunks[at:]
        return before.markdown(), after.markdown()

    def layout(self, entries: int) -> tuple[str, list[str], str]:
        """``split``, with the text between two lists of entries apart: the description, for
        each entry read the text read right before it (``lead_in``; the first one's is part of
        the description) and the outro. Text between lists that opens or closes with a list
        (or an indented block) would merge into the entries' list on export: it stays in the
        description, as before."""
        at = self._outro_start(entries)
        runs: dict[int, list[_Chunk]] = {}
        for chunk, mark in zip(self.chunks[:at], self.marks[:at], strict=True):
            if 0 < mark < entries:
                runs.setdefault(mark, []).append(chunk)
        kept = {
            mark
            for mark, run in runs.items()
            if not _LIST_START.match(run[0].markdown) and not _LIST_START.match(run[-1].markdown)
        }
        head = [
            chunk
            for chunk, mark in zip(self.chunks[:at], self.marks[:at], strict=True)
            if mark not in kept
        ]
        between = [""] * entries
        for mark in kept:
            prose = Prose()
            prose.chunks = runs[mark]
            between[mark] = prose.markdown()
        after = Prose()
        after.chunks = self.chunks[at:]
        before = Prose()
        before.chunks = head
        return before.markdown(), between, after.markdown()


_LIST_START = re.compile(r"^(?:\s|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$))")


def _line(node: Block) -> int | None:
    return node.map[0] + 1 if node.map else None


class _Importer:
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.reader = ItemReader(symbols=set(), set_aside=self._set_aside)
        self.legend: dict[str, str] = {}
        self.icons: dict[str, icons.Icon] = {}
        self._icon_legend: list[Block] = []
        # Symbols found as markers outside the legend (icons.leading_symbols, …): the export's
        # legend will name them, so a description opening with one reads as that marker.
        self._found_symbols: set[str] = set()
        self._line: int | None = None
        self._card_used_next = False
        # link_key of entry URLs, shared with dedupe_document (normalising a URL is costly).
        self._link_keys: dict[str, str] = {}
        self._advert_ids: set[int] = set()  # H1 adverts before the title (titles.find_title)

    def _set_aside(self, url: str, reason: str) -> None:
        self.report.aside(url, reason, self._line)

    # --- the walk ---------------------------------------------------------------------------

    def run(self, text: str, *, title: str | None) -> ListDoc:
        root = self.root = parse_tree(text)
        self._text = text
        if plaintext.is_plain(text, root):
            # "•" bullets and plain-line headings (plaintext): read as the Markdown they mean.
            plain = plaintext.translate(text)
            root = parse_tree(plain.markdown)
            plaintext.restore_lines(root, plain.lines)
            for kind, detail, line in plain.notes:
                self.report.repair(kind, detail, line)
            self._text = plain.markdown
        nodes = list(root.children)
        no_list = (
            not any(
                node.type in ("bullet_list", "ordered_list", "table")
                or html_lists.opens_details(node)
                for node in root.walk()
            )
            and "<br" not in text.lower()
        )

        found_title, title_index = self._find_title(nodes)
        intro_nodes = (
            [node for i, node in enumerate(nodes) if i < title_index] if title_index else []
        )
        top: list[_Section] = []
        stack: list[_Section] = []
        rest = nodes[title_index + 1 if title_index is not None else 0 :]
        for index, node in enumerate(rest):
            following = rest[index + 1] if index + 1 < len(rest) else None
            bold_heading = (
                node.type == "paragraph"
                and following is not None
                and following.type == "heading"
                and _bold_line(node) is not None
                and (stack or intro_nodes)
                and not (stack and stack[-1].footer)
            )
            if node.type != "heading" and not bold_heading:
                (stack[-1].blocks if stack else intro_nodes).append(node)
                continue
            if bold_heading:
                # "**Web Development**" above "### Web Frameworks" groups the headings below it.
                assert following is not None
                level = int(following.tag[1:]) - 0.5
                self.report.repair(
                    "bold line read as a heading", _bold_line(node) or "", _line(node)
                )
            else:
                level = int(node.tag[1:])
            if stack and stack[-1].footer and level > stack[-1].level:
                # Sub-headings of a footer block (Contributing › Pull requests) stay its text.
                stack[-1].blocks.append(node)
                continue
            while stack and stack[-1].level >= level:
                stack.pop()
            section = self._open_section(node, level, stack[-1] if stack else None)
            (stack[-1].children if stack else top).append(section)
            stack.append(section)

        if top and self._intro_in_first_section(top[0], intro_nodes):
            # "## About" ⏎ tagline ⏎ contents: the intro in all but place (titles).
            first = top.pop(0)
            intro_nodes.extend(first.blocks)
            self.report.repair("first section read as the intro", first.title, first.line)
        self._find_legend(top, intro_nodes)
        self._find_icon_legend(top, intro_nodes)
        self.reader = ItemReader(symbols=set(self.legend), set_aside=self._set_aside)
        tagline, intro = self._read_intro(intro_nodes)

        footers: list[_Section] = []
        sections = self._sort_out(top, footers)
        for section in sections:
            self._read_section(section)
        for section in _walk_sections(sections):
            section.items_read = len(section.items)
        self._spread_found_markers(sections)
        self._dedupe_entries(sections)

        final_title = title or found_title or DEFAULT_TITLE
        styled = style.title_case(_clean_title(final_title))
        if styled != final_title:
            self.report.repair("title put in title case", f"{final_title} → {styled}")
        frozen: dict[int, SectionDoc] = {}
        doc = ListDoc(
            title=styled,
            tagline=tagline,
            intro=intro,
            markers=self._marker_defs(sections),
            sections=_freeze(sections, frozen),
            footer=self._footer(footers),
            license="",
        )
        doc = self._retarget_cross_links(doc, sections, frozen)
        licence_blocks = [block for block in doc.footer if is_licence_title(block.title)]
        if licence_blocks:
            doc = replace(doc, license=detect_licence(licence_blocks[0].body))
        doc = dedupe_document(doc, self.report, keys=self._link_keys)
        # Stored as the export will write it: raw HTML that would run, and links to
        # javascript: and the like, shown as text (and reported), so the round trip is exact.
        doc = safety.document(doc, self.report, canonical=_canonical_prose)
        if not doc.tagline and doc.intro:
            doc = _tagline_from_intro(doc)
        self._count(doc)
        if no_list and not self.report.entries:
            self.report.puzzled(None, "", "no list at all: nothing to import as entries")
        return doc

    def _retarget_cross_links(
        self, doc: ListDoc, sections: list[_Section], frozen: dict[int, SectionDoc]
    ) -> ListDoc:
        """In-page links to a section's source anchor point at its export anchor
        (``crosslinks``); one that names no heading is kept as written, and reported."""
        if "](#" not in self._text and "]: #" not in self._text:
            return doc
        source = crosslinks.source_anchors(self.root)
        order = {id(found): index for index, (_, found) in enumerate(iter_sections(doc.sections))}
        anchors = section_anchors(doc)
        targets: dict[str, str] = {}
        for section in _walk_sections(sections):
            anchor = source.get(section.node_id)
            done = frozen.get(id(section))
            if anchor and done is not None and id(done) in order:
                targets.setdefault(anchor.lower(), anchors[order[id(done)]])

        def unknown(url: str) -> None:
            self.report.puzzled(
                None, url, "in-page link to no heading of the list: kept as written"
            )

        return crosslinks.retarget(doc, targets, unknown)

    # --- title ------------------------------------------------------------------------------

    def _find_title(self, nodes: list[Block]) -> tuple[str, int | None]:
        # Which H1 names the list (an advert may come first; the name may be an alt text).
        choice = titles.find_title(nodes)
        if choice is not None:
            assert choice.index is not None
            node = nodes[choice.index]
            self._line = _line(node)
            for advert in choice.adverts:
                self._advert_ids.add(id(nodes[advert]))
                self.report.repair(
                    "advert heading before the title kept as intro text",
                    titles.heading_text(nodes[advert]) or "(banner)",
                    _line(nodes[advert]),
                )
            kept = []
            for part in blocks.inline_nodes(node):
                if _is_badge_node(part):
                    for url in _node_urls(part):
                        self.report.aside(url, BADGE, self._line)
                else:
                    kept.append(part)
            self.title_links = list(inline.walk_links(kept))
            text = inline.plain(kept).strip()
            if not text and choice.alt:
                self.report.repair("image alt text read as the title", choice.alt, self._line)
                text = choice.alt
            return text, choice.index
        before = []
        for node in nodes:
            if node.type == "heading":
                break
            if node.type == "html_block":
                before.append(node)
        for node in before:
            match = _H1_HTML.search(_HTML_COMMENT.sub("", node.content))
            if match and _TAG.sub("", match.group(1)).strip():
                # The HTML title is the title: the README gets a Markdown H1 instead.
                self.html_title_node = node
                return " ".join(_TAG.sub("", match.group(1)).split()), None
        for node in before:
            match = _H1_HTML.search(_HTML_COMMENT.sub("", node.content))
            alt = _IMG_ALT.search(match.group(1)) if match else None
            if alt and alt.group(1).strip():
                # <h1><img alt="Awesome X" src="logo.svg"></h1>: the alt text names the list.
                self.html_title_node = node
                self.report.repair(
                    "image alt text read as the title", alt.group(1).strip(), _line(node)
                )
                return " ".join(alt.group(1).split()), None
        for node in before:
            match = _IMG_ALT.search(_HTML_COMMENT.sub("", node.content))
            if match:
                return match.group(1).strip(), None
        return "", None

    def _intro_in_first_section(self, first: _Section, intro_nodes: list[Block]) -> bool:
        if first.footer or first.heading_links:
            return False
        for node in intro_nodes:
            if _simple_quote(node):
                return False
            if node.type == "paragraph" and id(node) not in self._advert_ids:
                parts = [p for p in blocks.inline_nodes(node) if not _is_badge_node(p)]
                if inline.plain(parts).strip():
                    return False  # the intro has its words already
        return titles.intro_section(first.blocks, has_children=bool(first.children))

    # --- sections ---------------------------------------------------------------------------

    def _open_section(self, node: Block, level: float, parent: _Section | None) -> _Section:
        parts = blocks.inline_nodes(node)
        links = [link for link in inline.walk_links(parts) if not _is_badge_node(link)]
        for part in parts:
            if _is_badge_node(part):
                for url in _node_urls(part):
                    self.report.aside(url, BADGE, _line(node))
        visible = [
            part for part in parts if not _is_badge_node(part) and not isinstance(part, Html)
        ]
        raw = " ".join(inline.plain(visible).split())
        title = style.heading(raw.replace("**", ""))
        if title != raw:
            self.report.repair("heading punctuation removed", f"{raw} → {title}", _line(node))
        if not title:
            title = "Untitled"
            self.report.puzzled(_line(node), raw, "heading without text")
        path = (*parent.path, title) if parent else (title,)
        section = _Section(title=title, level=level, line=_line(node), path=path, node_id=id(node))
        section.heading_links = links
        section.footer = bool(_FOOTER_TITLE.match(title))
        return section

    def _sort_out(self, found: list[_Section], footers: list[_Section]) -> list[_Section]:
        """Take footer blocks (at any depth), tables of contents and legends out of the tree."""
        kept: list[_Section] = []
        for section in found:
            if section.footer:
                footers.append(section)
            elif self._is_toc(section):
                self._drop_toc(section)
                # A "Contents" heading with real sections under it: they move up a level.
                kept.extend(self._sort_out(section.children, footers))
            elif not self._is_legend(section):
                section.children = self._sort_out(section.children, footers)
                kept.append(section)
        return kept

    def _is_toc(self, section: _Section) -> bool:
        anchors = 0
        for node in section.blocks:
            for link in _iter_block_links(node):
                if not link.startswith("#"):
                    return False  # a real link: not a table of contents (the first entry says so)
                anchors += 1
        if section.children and not _TOC_TITLE.match(section.title):
            return False
        return anchors >= (1 if _TOC_TITLE.match(section.title) else 3)

    def _drop_toc(self, section: _Section) -> None:
        self.report.repair(
            "table of contents dropped (it is generated)", section.title, section.line
        )
        for node in section.blocks:
            for url in _block_links(node):
                self.report.aside(url, TOC_ANCHOR, _line(node))

    def _is_legend(self, section: _Section) -> bool:
        return section.title in self._legend_titles

    def _find_legend(self, top: list[_Section], intro_nodes: list[Block]) -> None:
        """Legend symbols must be known before entries are read (the legend often comes last)."""
        self._legend_titles: set[str] = set()
        probe = ItemReader(symbols=set(), set_aside=lambda url, reason: None, well_known=False)
        for node in intro_nodes:
            if node.type == "table":
                rows, _ = blocks.table_cells(node)
                header = [inline.plain(cell).strip().lower() for cell in rows[0]] if rows else []
                if header[:2] == ["marker", "meaning"]:
                    for row in rows[1:]:
                        symbol = _symbol_from_cell(row[0]) if row else ""
                        label = inline.render(inline.strip(row[1])) if len(row) > 1 else ""
                        if symbol:
                            self.legend[symbol] = label
                    self._legend_table = node
        for section in top:
            if section.footer or section.children or self._is_toc(section):
                continue  # "- [–](#)", the contents of a heading "–", names no marker
            items: list[Item] = []
            lists = [
                node for node in section.blocks if node.type in ("bullet_list", "ordered_list")
            ]
            if len(lists) != 1:
                continue
            for item_node in lists[0].children:
                para = item_node.children[0] if item_node.children else None
                if para is None or para.type != "paragraph":
                    break
                item = probe.read(blocks.inline_nodes(para))
                if (
                    item is None
                    or item.linked
                    or item.extra_links  # a symbol-like title with links is an entry
                    or not markers.looks_like_symbol(item.title)
                ):
                    break
                items.append(item)
            else:
                if items and (
                    _LEGEND_TITLE.match(section.title)
                    # Under another heading, only symbols (⚠, ★, 💰) each with a meaning:
                    # "- \\>", "- ? - A." or "- &" is an entry without a link (the export
                    # writes such entries; read as a legend, the next import lost them).
                    or all(
                        item.description
                        and not any(c.isalnum() for c in item.title)
                        and any(_is_legend_symbol(c) for c in item.title)
                        for item in items
                    )
                ):
                    for item in items:
                        symbol = markers.clean_symbol(item.title)
                        self.legend[symbol] = item.description
                    self._legend_titles.add(section.title)
                    self.report.repair("legend read as markers", section.title, section.line)
                    # The section goes (its list is the legend); its other text ("Marks used
                    # below:", a note with a link) joins the intro, which the legend follows.
                    kept = [
                        n for n in section.blocks if n is not lists[0] and not self._is_quiet(n)
                    ]
                    if kept:
                        intro_nodes.extend(kept)
                        self.report.repair(
                            "legend's text kept in the intro", section.title, section.line
                        )

    def _find_icon_legend(self, top: list[_Section], intro_nodes: list[Block]) -> None:
        """Images a legend explains (``![Freeware][icon] Freeware``) are markers (``icons``)."""
        places: list[tuple[_Section | None, list[Block]]] = [(None, intro_nodes)]
        places += [(s, s.blocks) for s in top if _LEGEND_TITLE.match(s.title) and not s.children]
        for section, nodes in places:
            found = [(node, icons.legend_block(node)) for node in nodes]
            for node, defined in found:
                if not defined or (section is None and len(defined) < 2):
                    continue  # one "![logo](…) Words" line in the intro is no legend
                self._icon_legend.append(node)
                for icon in defined:
                    self.icons[icon.url] = icon
                    self.legend.setdefault(icon.symbol, icon.label)
                title = section.title if section else "(intro)"
                self.report.repair("icon legend read as markers", title, _line(node))
            whole = all(defined or self._is_quiet(n) for n, defined in found)
            if section is not None and whole and any(defined for _, defined in found):
                self._legend_titles.add(section.title)

    # --- intro ------------------------------------------------------------------------------

    def _read_intro(self, nodes: list[Block]) -> tuple[str, str]:
        prose = Prose()
        tagline = ""
        kept: list[Block] = []
        for node in nodes:
            self._line = _line(node)
            if node is getattr(self, "_legend_table", None) or node in self._icon_legend:
                continue
            if self._decoration(node):
                continue
            if node is getattr(self, "html_title_node", None):
                heading = _H1_HTML.search(_HTML_COMMENT.sub("", node.content))
                for url in _HTML_URL.findall(heading.group(1) if heading else ""):
                    # A logo or badge inside the HTML title: decoration, as in a Markdown H1.
                    self.report.aside(html_module.unescape(url), BADGE, self._line)
                html = _H1_HTML.sub("", node.content, count=1)
                if _TAG.sub("", _HTML_COMMENT.sub("", html)).strip() or _block_links_html(html):
                    prose.add_markdown(html.rstrip("\n"))
                self.report.repair("HTML title read as the title", "", self._line)
                continue
            if node.type in ("bullet_list", "ordered_list") and _all_anchor_list(node):
                self.report.repair("table of contents dropped (it is generated)", "", self._line)
                for url in _block_links(node):
                    self.report.aside(url, TOC_ANCHOR, self._line)
                continue
            if node.type in ("bullet_list", "ordered_list") and any(
                not url.startswith("#") for url in _block_links(node)
            ):
                self.report.puzzled(
                    self._line, "list", "list before the first heading: kept in the intro"
                )
            kept.append(node)
        quote = next((node for node in kept if _simple_quote(node)), None)
        advert: list[inline.Node] = []
        for node in kept:
            if id(node) in self._advert_ids:
                # An advert H1 before the title: its words stay as text, its banner is a badge.
                advert = self._strip_badges(blocks.inline_nodes(node))
                continue
            if node is quote:
                tagline = self._tagline(node.children[0])
                continue
            if node.type == "paragraph":
                parts = self._strip_badges(blocks.inline_nodes(node))
                if not inline.strip(parts):
                    continue
                if not tagline and quote is None and not _has_images(parts):
                    tagline = _one_line(parts)
                    continue
                prose.add_paragraph(parts)
            else:
                prose.add_block(node)
        if inline.strip(advert):
            if not tagline and quote is None and not _has_images(advert):
                tagline = _one_line(advert)  # the only words before the list: its tagline
            else:
                prose.add_paragraph(advert, first=True)
        title_links = list(getattr(self, "title_links", []))
        if title_links and not tagline and quote is None:
            # With no other words before the list, the link is the first paragraph of the
            # intro, which a re-import reads as the tagline: it is the tagline now.
            tagline = _one_line([title_links.pop(0)])
        for link in title_links:
            # A title that is a link (``# [Awesome Python](https://…)``): keep its link.
            prose.add_paragraph([link], first=True)
        return tagline, prose.markdown()

    def _tagline(self, paragraph: Block) -> str:
        return _one_line(self._strip_badges(blocks.inline_nodes(paragraph)))

    def _strip_badges(self, parts: list[inline.Node]) -> list[inline.Node]:
        kept = []
        for part in parts:
            if _is_badge_node(part):
                for url in _node_urls(part):
                    self.report.aside(url, BADGE, self._line)
            else:
                kept.append(part)
        return kept

    def _decoration(self, node: Block) -> bool:
        """Comments (doctoc, lint directives), lone HTML anchors, back-to-top links."""
        if node.type == "html_block":
            comment_only = not _HTML_COMMENT.sub("", node.content).strip()
            return comment_only or bool(_HTML_ANCHOR.match(node.content))
        if node.type != "paragraph":
            return False
        parts = inline.strip(blocks.inline_nodes(node))
        if parts and all(
            isinstance(part, Html) or (isinstance(part, Text) and not part.value.strip())
            for part in parts
        ):
            html = "".join(part.value for part in parts if isinstance(part, Html))
            if not _HTML_COMMENT.sub("", html).strip() or all(
                _HTML_ANCHOR.match(chunk) or chunk.strip() == "</a>"
                for chunk in re.split(r"(?<=>)\s*(?=<)", _HTML_COMMENT.sub("", html).strip())
            ):
                return True
        link = _single_link(parts)
        if link is not None and link.url.startswith("#"):
            text = inline.plain(link.children)
            if _BACK_TO_TOP.search(text) or not text.strip():
                self.report.aside(link.url, BACK_TO_TOP, _line(node))
                return True
        return False

    # --- section bodies ---------------------------------------------------------------------

    def _read_section(self, section: _Section) -> None:
        if _fresh_heading_links(section):
            section.prose.add_paragraph(_link_run(_fresh_heading_links(section)))
        target = section
        body = section.blocks
        taken: set[int] = set()  # paragraphs a card used for its URL
        skip = 0
        for index, node in enumerate(body):
            if index < skip:
                continue  # inside a <details> read below
            self._line = _line(node)
            if html_lists.opens_details(node):
                skip = self._read_details(body, index, target)
                continue
            if index in taken or self._decoration(node):
                continue
            if node.type in ("bullet_list", "ordered_list"):
                if _all_anchor_list(node):
                    self.report.repair(
                        "table of contents dropped (it is generated)", "", self._line
                    )
                    for url in _block_links(node):
                        self.report.aside(url, TOC_ANCHOR, self._line)
                    continue
                if node.type == "ordered_list":
                    self.report.repair("numbered list read as entries", section.title, self._line)
                self._read_list(node, target)
            elif node.type == "table":
                self._read_table(node, target)
            elif node.type == "paragraph" and self._read_card(node, body[index + 1 :], target):
                if self._card_used_next:
                    taken.add(index + 1)
            elif node.type == "paragraph" and self._read_br_lines(node, target):
                continue
            elif node.type == "paragraph" and self._pseudo_heading(node, body[index + 1 :]):
                title = style.heading(inline.plain(blocks.inline_nodes(node)))
                child = _Section(
                    title=title,
                    level=section.level + 0.5,
                    line=self._line,
                    path=(*section.path, title),
                )
                section.body_children.append(child)
                target = child
                self.report.repair("bold line read as a heading", title, self._line)
            elif node.type == "paragraph" and self._read_nav_line(node, target):
                continue
            else:
                target.prose.add_block(node)
        for child in section.body_children:
            # Bold-line sections were filled while this body was read; their groups too.
            child.children = child.body_children
        for child in section.children:
            self._read_section(child)
        section.children = section.body_children + section.children

    def _read_nav_line(self, node: Block, target: _Section) -> bool:
        """A paragraph sharing its line with a back-to-top link: the link is decoration
        (``navigation``), the rest of the paragraph stays the section's text."""
        parts, urls = navigation.take(blocks.inline_nodes(node))
        if not urls:
            return False
        for url in urls:
            self.report.aside(url, BACK_TO_TOP, self._line)
        target.prose.add_paragraph(parts)
        return True

    def _read_card(self, node: Block, after: list[Block], target: _Section) -> bool:
        """``**Name** - desc`` then ``🔗 https://…`` (``cards``): an entry of ``target``."""
        following = after[0] if after and after[0].type == "paragraph" else None
        found = cards.card(
            blocks.inline_nodes(node),
            blocks.inline_nodes(following) if following is not None else None,
        )
        if found is None:
            return False
        parts, self._card_used_next = found
        item = self._read_item(parts)
        if item is None:
            return False
        target.items.append((item, self._line))
        self.report.repair("bold name with its link below read as an entry", item.title, self._line)
        return True

    # --- lists written in HTML (html_lists) -------------------------------------------------

    def _read_br_lines(self, node: Block, target: _Section) -> bool:
        lines = html_lists.br_item_lines(blocks.inline_nodes(node))
        if lines is None:
            return False
        self.report.repair("HTML lines read as entries", target.title, self._line)
        for line in lines:
            item = self._read_item(line)
            if item is not None:
                target.items.append((item, self._line))
        return True

    def _read_details(self, body: list[Block], start: int, target: _Section) -> int:
        """A ``<details>`` card (an entry) or group of cards (a subsection); returns the index
        after its closing tag."""
        end = html_lists.details_end(body, start)
        details = html_lists.read_details(body, start, end)
        line = _line(body[start])
        if details is None:
            target.prose.add_block(body[start])
            return start + 1
        if details.card:
            parts, meta = html_anchors.title_meta(details.summary)
            item = self._read_item(parts)
            if item is not None:
                item.tags[:0] = meta
                found = html_lists.block_links(details.inner)
                self._card_links(item, [*inline.walk_links(details.after_summary), *found])
                self._card_images(details.after_summary, details.inner, line)
                target.items.append((item, line))
                self.report.repair("HTML card read as an entry", item.title, line)
            return end
        group = target
        if details.summary_text:
            title = style.heading(details.summary_text) or "Untitled"
            group = _Section(title, target.level + 0.5, line, (*target.path, title))
            target.body_children.append(group)
            self.report.repair("HTML group read as a section", title, line)
        if inline.plain(details.after_summary).strip():
            group.prose.add_paragraph(details.after_summary)
        inner = details.inner
        skip = 0
        for index, node in enumerate(inner):
            self._line = _line(node)
            if index < skip or self._decoration(node):
                continue
            if html_lists.opens_details(node):
                skip = self._read_details(inner, index, group)
            elif node.type == "blockquote" and self._read_quote_card(node, group):
                continue
            elif node.type in ("bullet_list", "ordered_list"):
                self._read_list(node, group)
            elif node.type == "table":
                # Entries, as a table at the top of a section is read (the export writes the
                # group as a section, its table under the heading).
                self._read_table(node, group)
            elif node.type == "paragraph" and self._read_br_lines(node, group):
                continue
            else:
                group.prose.add_block(node)
        group.children = group.body_children
        return end

    def _spread_found_markers(self, sections: list[_Section]) -> None:
        """A description opening with a symbol found as a marker elsewhere (and not in the
        legend the reader knew) is given that marker now, as the re-import of the export —
        whose legend names the symbol — will read it."""
        found = self._found_symbols - self.reader.symbols
        if not found:
            return
        for section in _walk_sections(sections):
            for item, _ in section.items:
                changed = False
                while True:
                    word, _, rest = item.description.partition(" ")
                    if word not in found or not rest:
                        break
                    item.markers.append(word)
                    item.description = rest
                    changed = True
                if changed:
                    item.description = style.description(item.description, title=item.title)

    def _read_quote_card(self, node: Block, target: _Section) -> bool:
        """``> **[Name](url)** <kbd>MIT</kbd><br>desc`` ⏎ ``> [GitHub](…) · [Docs](…)``."""
        paragraphs = [kid for kid in node.children if kid.type == "paragraph"]
        card = html_lists.read_card(blocks.inline_nodes(paragraphs[0])) if paragraphs else None
        if card is None:
            return False
        parts = [*card.title, *([Text(" - "), *card.description] if card.description else [])]
        item = self._read_item(parts)
        if item is None:
            return False
        item.tags.extend(tag for tag in card.tags if tag not in item.tags)
        self._card_links(item, [*card.links, *html_lists.block_links(node.children[1:])])
        self._card_images([], list(node.children), self._line)
        target.items.append((item, self._line))
        self.report.repair("HTML card read as an entry", item.title, self._line)
        return True

    def _card_links(self, item: Item, links: list[Link]) -> None:
        known = {item.url, *(link.url for link in item.extra_links)}
        for link in links:
            if link.url in known or link.url.startswith("#"):
                continue
            if not inline.plain(link.children).strip():
                continue  # a link around an image: set aside with the image (_card_images)
            known.add(link.url)
            label = " ".join(inline.plain(link.children).split()) or link.url
            item.extra_links.append(ExtraLinkDoc(label=label, url=link.url))

    def _card_images(self, nodes: list[inline.Node], inner: list[Block], line: int | None) -> None:
        """Screenshots and badges of a card (and links around nothing but an image)."""
        for image in inline.walk_images(nodes):
            self.report.aside(image.url, BADGE, line)
        for link in inline.walk_links(nodes):
            if _is_badge_node(link):
                self.report.aside(link.url, BADGE, line)
        for found in html_lists.block_images(inner):
            self.report.aside(found, BADGE, line)

    def _pseudo_heading(self, node: Block, after: list[Block]) -> bool:
        if _bold_line(node) is None:
            return False
        following = next((n for n in after if not self._is_quiet(n)), None)
        return following is not None and following.type in ("bullet_list", "ordered_list", "table")

    def _is_quiet(self, node: Block) -> bool:
        return node.type == "html_block" and not _HTML_COMMENT.sub("", node.content).strip()

    def _read_list(self, node: Block, target: _Section, parent: Item | None = None) -> None:
        for item_node in node.children:
            self._line = _line(item_node)
            kids = list(item_node.children)
            if not kids:
                self.report.puzzled(self._line, "-", "empty list item")
                continue
            if kids[0].type in ("bullet_list", "ordered_list"):
                # "* * [x](…)" or "* 1. step": a list right inside an item is read in place.
                self.report.repair("double list marker flattened", "", self._line)
                for kid in kids:
                    if kid.type in ("bullet_list", "ordered_list"):
                        self._read_list(kid, target, parent)
                    else:
                        target.prose.add_block(kid)
                continue
            if kids[0].type != "paragraph":
                self.report.puzzled(
                    self._line, kids[0].type, "list item without text: kept as prose"
                )
                self._keep_item_blocks(kids, target)
                continue
            parts = blocks.inline_nodes(kids[0])
            nested: list[Block] = []
            kept: list[Block] = []
            for kid in kids[1:]:
                if kid.type == "paragraph":
                    parts = [*parts, Text(" "), *blocks.inline_nodes(kid)]
                elif kid.type in ("bullet_list", "ordered_list"):
                    nested.append(kid)
                else:
                    self.report.puzzled(
                        _line(kid), kid.type, "block inside a list item: kept as prose"
                    )
                    kept.append(kid)
            self._keep_item_blocks(kept, target)
            if parent is not None and not nested and self._read_detail(parts, parent):
                continue
            item = self._read_item(parts)
            if item is None:
                self.report.puzzled(self._line, "", "list item without text")
                continue
            if parent is not None:
                self.report.repair("sub-item kept as an entry of its own", item.title, self._line)
            if not item.linked and not nested and self._legend_line(item):
                continue
            if item.linked:
                if item.bare and parent is not None:
                    label = split_url(item.url).netloc.removeprefix("www.") or item.url
                    parent.extra_links.append(ExtraLinkDoc(label=label, url=item.url))
                    self.report.repair("bare URL item read as an extra link", item.url, self._line)
                else:
                    target.items.append((item, self._line))
                for child_list in nested:
                    self._read_list(child_list, target, item)
            elif nested:
                title = style.heading(item.title) or "Untitled"
                group = _Section(
                    title=title,
                    level=target.level + 0.5,
                    line=self._line,
                    path=(*target.path, title),
                )
                description = item.description
                extras = _group_extras(item)
                if extras:
                    description = (description + " " + extras).strip()
                if description:
                    # "- Group - + A": written under the group's heading, "+ A" is a list.
                    group.prose.add_markdown(blocks.escape_line_starts(description), paragraph=True)
                target.body_children.append(group)
                for child_list in nested:
                    self._read_list(child_list, group)
                group.children = group.body_children
            else:
                target.items.append((item, self._line))

    def _keep_item_blocks(self, kids: list[Block], target: _Section) -> None:
        """Blocks of a list item that are not its text, read as they would be read at the top
        of the section (which is where the export writes them): a list as entries, a
        ``<details>`` as a card or group, a heading (``- # Name``) as its words — written as a
        heading it would open a section on the next import — and the rest as prose."""
        skip = 0
        for index, kid in enumerate(kids):
            if index < skip:
                continue
            if html_lists.opens_details(kid):
                skip = self._read_details(kids, index, target)
            elif kid.type in ("bullet_list", "ordered_list"):
                self._read_list(kid, target)
            elif kid.type == "heading":
                target.prose.add_paragraph(blocks.inline_nodes(kid))
            else:
                target.prose.add_block(kid)

    def _read_detail(self, parts: list[inline.Node], parent: Item) -> bool:
        """A sub-item of ``parent`` that is a detail of it (``nested``): its links, tags or
        note join the parent entry. False when it reads as an entry of its own."""
        if html_anchors.has_html(parts):
            # "<b>bold</b>": read as the Markdown it stands for, as in an entry's own line
            # (``_read_item``), which is where the export writes a detail.
            parts = html_anchors.convert(parts)
        if sub_items.is_entry(parts, parent_url=parent.url):
            return False
        detail = sub_items.read_detail(parts)
        if detail is None:
            return False
        for url in detail.badges:
            self.report.aside(url, BADGE, self._line)
        parent.description = sub_items.attach(
            url=parent.url,
            description=parent.description,
            title=parent.title,
            extra_links=parent.extra_links,
            tags=parent.tags,
            detail=detail,
        )
        self.report.repair(
            "sub-item read as a detail of the entry above",
            f"{parent.title}: {detail.summary()}",
            self._line,
        )
        return True

    def _legend_line(self, item: Item) -> bool:
        """ "- `⚠` - Depends on a proprietary service" inside another list defines a marker."""
        symbol = markers.clean_symbol(item.title)
        if symbol not in self.reader.symbols or item.extra_links or not item.description:
            return False
        if not self.legend.get(symbol):
            self.legend[symbol] = item.description
        self.report.repair("legend line read as a marker", symbol, self._line)
        return True

    def _read_item(self, parts: list[inline.Node]) -> Item | None:
        meta: list[str] = []
        if html_anchors.has_html(parts):
            # "<b><a href=…>Name</a></b> (stats) - desc": read as the Markdown it stands for.
            parts, meta = html_anchors.title_meta(html_anchors.convert(parts))
        # Legend icons anywhere in the item, and symbols before the separator, are markers.
        parts, icon_markers, icon_links = icons.take(parts, self.icons)
        parts, leading = icons.leading_symbols(parts)
        parts, trailing = icons.trailing_shortcodes(parts)
        self._found_symbols.update(symbol for symbol in (*leading, *trailing))
        item = self.reader.read(inline.one_line(parts))
        if item is not None:
            item.tags[:0] = meta
            item.markers[:0] = [
                m for m in (*leading, *icon_markers, *trailing) if m not in item.markers
            ]
            item.extra_links.extend(icon_links)
        for repair in self.reader.repairs:
            kind, _, detail = repair.partition(": ")
            self.report.repair(kind, detail, self._line)
        self.reader.repairs.clear()
        return item

    def _read_table(self, node: Block, target: _Section) -> None:
        rows, _ = blocks.table_cells(node)
        body = rows[1:]
        links = [link for row in body for cell in row for link in inline.walk_links(cell)]
        if links and all(link.url.startswith("#") for link in links):
            self.report.repair("table of contents dropped (it is generated)", "", self._line)
            for link in links:
                self.report.aside(link.url, TOC_ANCHOR, self._line)
            return
        titled = 0
        for row in body:
            first = next((link for cell in row for link in inline.walk_links(cell)), None)
            if first is not None and inline.plain(first.children).strip():
                titled += 1
        if titled * 2 <= len(body):
            # Most rows do not start with a titled link (an image gallery, a data table).
            target.prose.add_block(node)
            return
        self.report.repair("table read as entries", target.title, self._line)
        table = tables.read_table(rows, set_aside=self._set_aside)
        for label in table.dropped:
            self.report.repair("empty table column dropped", label, self._line)
        _merge_columns(target.columns, table.columns)
        for cells in table.rows:
            item = self._read_item(cells.parts)
            if item is None:
                urls = tuple(
                    url
                    for attribute in cells.attributes
                    for url in urls_in_markdown(attribute.value)
                )
                self.report.puzzled(self._line, "|", "table row without a title", urls)
                continue
            item.attributes.extend(cells.attributes)
            item.tags.extend(cells.tags)
            target.items.append((item, self._line))

    # --- duplicates, footers, counts ------------------------------------------------------------

    def _dedupe_entries(self, sections: list[_Section]) -> None:
        """The same URL twice in one section is a duplicate (merged into the first, reported);
        in another section it is a further placement of the same entry: that section keeps the
        first item (shared, so both show the same entry) and the report says so."""
        seen: dict[str, Location] = {}
        owners: dict[str, Item] = {}
        placed_in: dict[str, set[tuple[str, ...]]] = {}

        def walk(section: _Section) -> None:
            kept = []
            read_index: list[int] = []
            for index, (item, line) in enumerate(section.items):
                key = self._link_key(item.url) if item.url else ""
                where = Location(line, section.path)
                if key and key in seen and section.path not in placed_in[key]:
                    self.report.placements.append(Placement(item.url, seen[key], where))
                    owner = owners[key]
                    if (item.title, item.description) != (owner.title, owner.description):
                        self.report.repair(
                            "placement shows the entry as first listed",
                            f"{item.title}: {item.url}",
                            line,
                        )
                    placed_in[key].add(section.path)
                    self._merge_into(owner, item, placement=True)
                    kept.append((owner, line))
                    read_index.append(index)
                    continue
                if key and key in seen:
                    self.report.duplicates.append(Duplicate(item.url, seen[key], where, "entry"))
                    self._merge_into(owners[key], item)
                    continue
                if key:
                    seen[key] = where
                    owners[key] = item
                    placed_in[key] = {section.path}
                kept.append((item, line))
                read_index.append(index)
            section.items = kept
            section.read_index = read_index
            for child in section.children:
                walk(child)

        for section in sections:
            walk(section)

    def _merge_into(self, first: Item, item: Item, *, placement: bool = False) -> None:
        """Links, markers and tags of a second occurrence of an entry's URL join the entry. A
        further placement repeats the entry (its description's links are the entry's own), so
        only what it adds joins."""
        if first is item:
            return
        known = {normalize_url(link.url) for link in first.extra_links}
        known.add(self._link_key(first.url))
        if placement:
            known.update(normalize_url(url) for url in _description_urls(first.description))
        lifted = [
            ExtraLinkDoc(
                label=" ".join(inline.plain(link.children).split()) or link.url, url=link.url
            )
            for link in inline.walk_links(inline.build(_inline_tokens(item.description)))
        ]
        for link in [*item.extra_links, *lifted]:
            if normalize_url(link.url) not in known:
                known.add(normalize_url(link.url))
                first.extra_links.append(link)
        first.markers.extend(m for m in item.markers if m not in first.markers)
        first.tags.extend(t for t in item.tags if t not in first.tags)
        labels = {attribute.label for attribute in first.attributes}
        first.attributes.extend(a for a in item.attributes if a.label not in labels)

    def _link_key(self, url: str) -> str:
        key = self._link_keys.get(url)
        if key is None:
            key = self._link_keys[url] = link_key(url)
        return key

    def _marker_defs(self, sections: list[_Section]) -> tuple[MarkerDef, ...]:
        """The legend, then markers used without one (label empty), in order of first use."""
        labels = dict(self.legend)

        def walk(found: list[_Section]) -> None:
            for section in found:
                for item, _ in section.items:
                    for symbol in item.markers:
                        labels.setdefault(symbol, "")
                walk(section.children)

        walk(sections)
        slugs: set[str] = set()
        defs = []
        for symbol, label in labels.items():
            slug = markers.slug_for(symbol)
            while slug in slugs:
                slug += "-x"
            slugs.add(slug)
            defs.append(MarkerDef(symbol=symbol, slug=slug, label=label))
        return tuple(defs)

    def _footer(self, footers: list[_Section]) -> tuple[FooterBlock, ...]:
        result: list[FooterBlock] = []
        for section in footers:
            prose = Prose()
            if _fresh_heading_links(section):
                prose.add_paragraph(_link_run(_fresh_heading_links(section)))
            contributing = re.match(r"(contribut|how to contribute)", section.title, re.IGNORECASE)
            for node in section.blocks:
                self._line = _line(node)
                if self._decoration(node):
                    continue
                if contributing and not prose.chunks and _is_pointer(node):
                    # The export's own pointer is not the list's text; dropped as a block, it
                    # does not join the paragraph after it (a bold line is joined to the one
                    # before it by a hard break, see blocks.Prose).
                    continue
                prose.add_block(node)
            body = prose.markdown()
            title = section.title
            if contributing:
                body = _without_pointer(body)
                if title != "Contributing":
                    self.report.repair("footer renamed", f"{title} → Contributing", section.line)
                    title = "Contributing"
            result.append(FooterBlock(title=title, body=body))
        merged: list[FooterBlock] = []
        for block in result:
            same = next((b for b in merged if b.title == block.title), None)
            if same is None:
                merged.append(block)
            else:  # two Contributing sections (an H1 and an H2): one block
                index = merged.index(same)
                body = "\n\n".join(part for part in (same.body, block.body) if part)
                merged[index] = FooterBlock(title=same.title, body=body)
        result = merged
        if not any(block.title.lower() == "contributing" for block in result):
            result.append(FooterBlock(title="Contributing"))
        # The licence goes to its own file on export; keep it last so the round trip holds.
        licences = [block for block in result if is_licence_title(block.title)]
        others = [block for block in result if not is_licence_title(block.title)]
        return (*others, *licences)

    def _count(self, doc: ListDoc) -> None:
        found = iter_sections(doc.sections)
        self.report.sections = len(found)
        # An entry placed in several sections is one entry: counted once, where it is first.
        firsts = list(first_placements(doc))
        self.report.entries = len(firsts)
        self.report.extra_links = sum(len(entry.extra_links) for entry in firsts)
        self.report.prose_links = prose_link_count(doc)


# --- small helpers ------------------------------------------------------------------------------


def _canonical_prose(markdown: str) -> str:
    """Block Markdown as the importer writes kept prose."""
    prose = Prose()
    for node in parse_tree(markdown).children:
        prose.add_block(node)
    return prose.markdown()


def _description_urls(markdown: str) -> list[str]:
    return [link.url for link in inline.walk_links(inline.build(_inline_tokens(markdown)))]


def _inline_tokens(markdown: str) -> list[Token]:
    """Inline tokens of a one-line Markdown text (an entry description)."""
    tokens = MD.parseInline(markdown) if markdown else []
    return tokens[0].children if tokens and tokens[0].children else []


def _freeze(
    sections: list[_Section], frozen: dict[int, SectionDoc] | None = None
) -> tuple[SectionDoc, ...]:
    """The sections as ``SectionDoc``; ``frozen`` maps ``id`` of each ``_Section`` to it."""
    result: list[SectionDoc] = []
    slugs: dict[str, int] = {}
    for section in sections:
        base = github_slug(section.title) or "section"
        slug = base if base not in slugs else f"{base}-{slugs[base]}"
        slugs[base] = slugs.get(base, 0) + 1
        while slug in slugs and slug != base:
            slug = f"{base}-{slugs[base]}"
            slugs[base] += 1
        slugs.setdefault(slug, 1)
        description, lead_ins, outro = section.texts()
        done = SectionDoc(
            title=section.title,
            slug=slug,
            description=description,
            entries=tuple(
                replace(item.to_entry(), lead_in=lead_in) if lead_in else item.to_entry()
                for (item, _), lead_in in zip(section.items, lead_ins, strict=True)
            ),
            children=_freeze(section.children, frozen),
            columns=tuple(section.columns),
            outro=outro,
        )
        if frozen is not None:
            frozen[id(section)] = done
        result.append(done)
    return tuple(result)


def _merge_columns(known: list[ColumnDoc], found: tuple[ColumnDoc, ...]) -> None:
    """A second table in the same section adds the columns the first did not have."""
    if not known:
        known.extend(found)
        return
    have = {(column.role, column.label if column.role == "attribute" else "") for column in known}
    for column in found:
        if (column.role, column.label if column.role == "attribute" else "") not in have:
            known.append(column)


def _walk_sections(sections: list[_Section]) -> Iterator[_Section]:
    for section in sections:
        yield section
        yield from _walk_sections(section.children)


def _clean_title(title: str) -> str:
    title = _SHORTCODE.sub(" ", title)
    title = "".join(char for char in title if not _is_symbol(char))
    return " ".join(title.split()) or DEFAULT_TITLE


def _is_legend_symbol(char: str) -> bool:
    return not char.isascii() and unicodedata.category(char).startswith("S")


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Cf") or char == "\ufe0f"


def _is_badge_node(node: inline.Node) -> bool:
    if isinstance(node, inline.Image):
        return True
    if isinstance(node, Link):
        inner = [c for c in node.children if not (isinstance(c, Text) and not c.value.strip())]
        return bool(inner) and all(isinstance(c, inline.Image) for c in inner)
    return False


def _node_urls(node: inline.Node) -> list[str]:
    urls = [image.url for image in inline.walk_images([node])]
    urls += [link.url for link in inline.walk_links([node])]
    return urls


def _has_images(parts: list[inline.Node]) -> bool:
    return any(True for _ in inline.walk_images(parts)) or any(isinstance(p, Html) for p in parts)


def _one_line(parts: list[inline.Node]) -> str:
    return inline.render(inline.strip(inline.one_line(parts))).strip()


def _single_link(parts: list[inline.Node]) -> Link | None:
    parts = inline.strip(parts)
    if len(parts) == 1 and isinstance(parts[0], Strong | Emph):
        parts = inline.strip(parts[0].children)
    if len(parts) == 1 and isinstance(parts[0], Link):
        return parts[0]
    return None


def _simple_quote(node: Block) -> bool:
    return (
        node.type == "blockquote"
        and len(node.children) == 1
        and node.children[0].type == "paragraph"
        and bool(inline.plain(blocks.inline_nodes(node.children[0])).strip())
    )


def _block_links(node: Block) -> list[str]:
    return list(_iter_block_links(node))


def _iter_block_links(node: Block) -> Iterator[str]:
    """The link URLs of a block, lazily: the table-of-contents checks stop at the first link
    that is not an anchor, instead of reading every entry of every list twice."""
    for child in node.walk():
        if child.type == "inline":
            yield from inline.link_urls(child.token.children)


def _all_anchor_list(node: Block) -> bool:
    anchors = 0
    for url in _iter_block_links(node):
        if not url.startswith("#"):
            return False
        anchors += 1
    return anchors >= 2


def _tagline_from_intro(doc: ListDoc) -> ListDoc:
    """Raw HTML opening the intro is shown as text (safety): the paragraph it now is would be
    the tagline on the next import (``_read_intro``), so it is the tagline now."""
    tree = parse_tree(doc.intro)
    if not tree.children or any(_simple_quote(node) for node in tree.children):
        return doc
    # The first paragraph with words and no image, wherever it is (``_read_intro``): after an
    # empty quote (``>``) too.
    for first in tree.children:
        if first.type != "paragraph":
            continue
        parts = blocks.inline_nodes(first)
        if not _has_images(parts) and inline.strip(parts):
            break
    else:
        return doc
    if first.map is None or any(map(_is_badge_node, parts)):
        return doc
    lines = doc.intro.split("\n")
    rest = "\n".join(lines[: first.map[0]] + lines[first.map[1] :]).strip("\n")
    return replace(doc, tagline=_one_line(parts), intro=rest)


def _fresh_heading_links(section: _Section) -> list[Link]:
    """The heading's links, but those its first paragraph links already: the export writes a
    heading's links there, and the heading still shows a bare URL it held, which a re-import
    would otherwise add once more."""
    if not section.heading_links:
        return []
    first = section.blocks[0] if section.blocks else None
    if first is None or first.type != "paragraph":
        return section.heading_links
    written = _block_links(first)
    # A URL the list shows elsewhere is written there as code (dedupe): shown, not lost.
    written += [node.value for node in blocks.inline_nodes(first) if isinstance(node, Code)]

    def fresh(link: Link) -> bool:
        if link.form != "bare":
            return link.url not in written
        # A bare URL as the heading shows it: escapes (``Foo\_(bar)``) end it early, and the
        # written link has it percent-encoded (``/パス`` → ``/%E3%83%91…``).
        url = MD.normalizeLink(link.url)
        return not any(MD.normalizeLink(other).startswith(url) for other in written)

    return [link for link in section.heading_links if fresh(link)]


def _link_run(links: list[Link]) -> list[inline.Node]:
    parts: list[inline.Node] = []
    for index, link in enumerate(links):
        if index:
            parts.append(Text(", "))
        parts.append(Link(link.url, list(link.children), link.title))
    return parts


def _group_extras(item: Item) -> str:
    bits = [markers.markdown_of(symbol) for symbol in item.markers]
    if item.extra_links:
        bits.append(
            "("
            + ", ".join(
                f"[{inline.escape(link.label)}]({inline.url_for_markdown(link.url)})"
                for link in item.extra_links
            )
            + ")"
        )
    return " ".join(bits)


def _symbol_from_cell(cell: list[inline.Node]) -> str:
    parts = inline.strip(cell)
    if len(parts) == 1:
        symbol = markers.symbol_of(parts[0])
        if symbol:
            return symbol
    return markers.clean_symbol(inline.plain(parts))


def _is_pointer(node: Block) -> bool:
    return node.type == "paragraph" and blocks.render_block(node) == CONTRIBUTING_POINTER


def _without_pointer(body: str) -> str:
    if body.startswith(CONTRIBUTING_POINTER):
        return body[len(CONTRIBUTING_POINTER) :].lstrip("\n")
    return body


def _block_links_html(html: str) -> bool:
    return bool(re.search(r"\b(?:href|src)\s*=", html, re.IGNORECASE))


def _bold_line(node: Block) -> str | None:
    """The text of a paragraph that is one short bold phrase without links (a heading in all
    but name); italic lines are category blurbs, not headings."""
    if node.type != "paragraph":
        return None
    parts = inline.strip(blocks.inline_nodes(node))
    if len(parts) != 1 or not isinstance(parts[0], Strong):
        return None
    if any(True for _ in inline.walk_links(parts)):
        return None
    text = " ".join(inline.plain(parts).split())
    if not text or len(text) > 80 or text.endswith("."):
        return None
    return text
