"""Export: ``ListDoc`` → README.md (+ contributing.md, + license.md) in the awesome style.

The layout awesome-lint 2.3.0 accepts::

    # Title [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

    > Tagline.

    Intro …

    | Marker | Meaning |            (the legend, when the list has markers)

    ## Contents                     (H2 and H3 as a list, deeper headings after their H3)

    ## Section

    Description.

    - [Title](url) - ⚠ Description. ([Demo](…), [Source Code](…)) (`MIT`, `Go`)
    - Title without URL - Description.

    ### Child section …

    ## Contributing                 (points at contributing.md, then the list's own text)

An entry's markers open its description (awesome-lint rejects a description that ends with a
``:shortcode:``), its extra links and tags close it in parentheses (it rejects one that ends with
inline code). The output is a pure function of the document: same data, same bytes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from catalog.markdown import blocks, crosslinks, inline, markers, punctuation, safety, style, tables
from catalog.markdown.dedupe import AWESOME_BADGE_LINK, dedupe_document
from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc
from catalog.markdown.gcpause import collector_paused
from catalog.markdown.licences import is_licence_title
from catalog.markdown.outline import (
    CONTRIBUTING_POINTER,
    MAX_HEADING_LEVEL,
    Heading,
    outline,
    readme_footer,
)
from catalog.markdown.placements import REFERENCE_PREFIX, entry_key

_COLON_SEPARATOR = re.compile(r"(?<!\\):(?![\w/])")
# A dash after a space and before what is not a word (an escape, code, the end of the text):
# the importer splits a title without a link there (``library –\](…)`` reads as "library").
_DASH_BEFORE_MARKUP = re.compile(r"(?<=\s)(-|–|—)(?!\w)")
_DASH_ENTITIES = {"-": "\\-", "–": "&ndash;", "—": "&mdash;"}
_CLOSING_HASHES = re.compile(r"(^|[ \t])(#+)$")
_BARE_SCHEME = re.compile(r"(?<![\w/@.:+-])(https?):(?=//)", re.IGNORECASE)
BADGE = f"[![Awesome](https://awesome.re/badge.svg)]({AWESOME_BADGE_LINK})"
DEFAULT_GUIDELINES = """Please ensure your pull request adheres to the following guidelines:

- Search previous suggestions before making a new one, as yours may be a duplicate.
- Add one link per pull request, in the section where it belongs.
- Use the format `- [Title](https://example.com) - Description.`
- Start the description with a capital and end it with a full stop.
- Check your spelling and grammar.

Thank you for your suggestions!"""


def render_files(doc: ListDoc) -> dict[str, str]:
    """Every file of the export: README.md, contributing.md and, if the list has a License
    section (awesome-lint forbids it in the README), license.md."""
    files = {"README.md": render_readme(doc), "contributing.md": render_contributing(doc)}
    licence = render_licence(doc)
    if licence:
        files["license.md"] = licence
    return files


def render_contributing(doc: ListDoc) -> str:
    own = next((block.body for block in doc.footer if block.title.lower() == "contributing"), "")
    own = safety.block(own)
    body = own.strip() or DEFAULT_GUIDELINES
    return f"# Contribution Guidelines\n\n{body}\n"


def render_licence(doc: ListDoc) -> str:
    bodies = [
        safety.block(block.body)
        for block in doc.footer
        if is_licence_title(block.title) and block.body
    ]
    if not bodies:
        return ""
    return "# License\n\n" + "\n\n".join(bodies) + "\n"


def render_readme(doc: ListDoc) -> str:
    with collector_paused():  # see gcpause: the export of a large list builds many objects too
        return _render_readme(doc)


def _render_readme(doc: ListDoc) -> str:
    # Whatever the fields hold, nothing of it runs or leaks out of its place (see safety).
    doc = safety.document(dedupe_document(doc))
    title = _heading_text(style.title_case(doc.title))
    headings = outline(doc, title_text=f"{style.title_case(doc.title)} Awesome")
    anchors = {id(heading.section): heading for heading in headings if heading.section}
    references = crosslinks.References(heading.anchor for heading in headings)
    out = [f"# {title} {BADGE}"]
    if doc.tagline:
        out.append("> " + doc.tagline)
    _text(doc.intro, out, references)
    if doc.markers:
        out.append(_legend(doc))
    toc = _contents(headings)
    if toc:
        out.append("## Contents\n\n" + toc)
    placed = _Placements(references)
    for section in doc.sections:
        _section(section, 2, out, anchors, doc, placed)
    for title_text, body in readme_footer(doc):
        chunk = f"## {inline.escape(title_text)}"
        if title_text.lower() == "contributing":
            chunk += "\n\n" + CONTRIBUTING_POINTER
        out.append(chunk)
        _text(body, out, references)
    return "\n\n".join(part.strip("\n") for part in out) + "\n"


def _text(markdown: str, out: list[str], references: crosslinks.References) -> None:
    """Block text, its links to headings written as references defined below it."""
    if not markdown:
        return
    text, definitions = references.write(markdown)
    out.append(text)
    if definitions:
        out.append(definitions)


def _heading_text(title: str) -> str:
    """A heading's text, escaped; a URL in it is written ``https\\://``: GFM links a bare URL,
    and a link in a heading is the heading's link (kept in its text) on the next import."""
    text = _BARE_SCHEME.sub(r"\1\\:", inline.escape(title))
    # "## #" or "## C #": a run of "#" closing a heading is no part of its text.
    return _CLOSING_HASHES.sub(r"\1\\\2", text)


def _legend(doc: ListDoc) -> str:
    rows = [["Marker", "Meaning"]]
    rows += [
        [markers.markdown_of(marker.symbol).replace("|", "\\|"), marker.label.replace("|", "\\|")]
        for marker in doc.markers
    ]
    return blocks.format_table(rows, ["", ""])


def _contents(headings: list[Heading]) -> str:
    """H2 sections with their H3 children as a nested list; awesome-lint allows no third list
    level, so deeper headings (H4-H6) follow their H3 in parentheses:
    ``  - [Kettles](#kettles) ([Electric](#electric), [Stove](#stove))``."""
    lines: list[str] = []
    deeper: list[str] = []

    def flush() -> None:
        if deeper and lines:
            lines[-1] += " (" + ", ".join(deeper) + ")"
        deeper.clear()

    for heading in headings:
        if not heading.in_toc:
            continue
        link = f"[{inline.escape(heading.title)}](#{heading.anchor})"
        if heading.level > 3:
            deeper.append(link)
            continue
        flush()
        indent = "  " if heading.level == 3 else ""
        lines.append(f"{indent}- {link}")
    flush()
    return "\n".join(lines)


def _section(
    section: SectionDoc,
    level: int,
    out: list[str],
    anchors: dict[int, Heading],
    doc: ListDoc,
    placed: _Placements,
) -> None:
    out.append("#" * level + " " + _heading_text(section.title))
    _text(section.description, out, placed.references)
    columns = tables.layout(section)
    lines: list[str] = []
    for lead_in, run in _runs(_ordered(section.entries, doc)):
        # Text the source put between two lists stays before the entry it preceded.
        if lines:
            out.append("\n".join(lines))
            lines = []
        _text(lead_in, out, placed.references)
        if columns:
            # A section that came in as a table goes out as one (catalog.markdown.tables).
            cells = [placed.cross_links(entry) for entry in run]
            out.append(tables.render(columns, cells, head=placed.head, tail=entry_tail))
        else:
            lines = [
                placed.line(entry if entry.url else placed.cross_links(entry)) for entry in run
            ]
    if level == MAX_HEADING_LEVEL:
        # Markdown has no H7: deeper sections become unlinked group items with nested entries,
        # the form lists use for them anyway ("- Gameboy" with its emulators below).
        for child in section.children:
            lines.extend(_group_lines(child, doc, placed, indent=""))
    if lines:
        out.append("\n".join(lines))
    definitions = placed.take_definitions()
    if definitions:
        out.append(definitions)
    # Text the source put after the entries (a closing note) stays after them.
    _text(section.outro, out, placed.references)
    if level < MAX_HEADING_LEVEL:
        for child in section.children:
            _section(child, level + 1, out, anchors, doc, placed)


class _Placements:
    """An entry placed in several sections (``placements``): in full wherever it is shown, its
    title link inline the first time and as a reference after that, defined under the list."""

    def __init__(self, references: crosslinks.References) -> None:
        self.references = references  # the README's cross-link references (crosslinks)
        self.shown: set[str] = set()
        self.count = 0
        self.pending: list[str] = []

    def head(self, entry: EntryDoc) -> str:
        """The entry's title link: inline where it is first shown, a reference after that."""
        key = entry_key(entry)
        if not key or key not in self.shown:
            self.shown.add(key)
            return entry_head(entry)
        self.count += 1
        label = f"{REFERENCE_PREFIX}{self.count}"
        self.pending.append(f"[{label}]: {inline.url_for_markdown(entry.url)}")
        return entry_head(entry, reference=label)

    def line(self, entry: EntryDoc) -> str:
        return entry_line(entry, head=self.head(entry))

    def cross_links(self, entry: EntryDoc) -> EntryDoc:
        """Where awesome-lint counts every link of the entry (a table row; an item without a
        title link, whose first link it takes for one), its cross-links are written as
        references, defined under the list: they stay links and are not counted."""
        if "#" not in entry.description and not any("#" in a.value for a in entry.attributes):
            return entry
        write = self.references.write_inline
        return replace(
            entry,
            description=write(entry.description, self.pending),
            attributes=tuple(
                replace(attribute, value=write(attribute.value, self.pending))
                for attribute in entry.attributes
            ),
        )

    def take_definitions(self) -> str:
        definitions, self.pending = "\n".join(self.pending), []
        return definitions


def _runs(entries: tuple[EntryDoc, ...]) -> list[tuple[str, tuple[EntryDoc, ...]]]:
    """The entries cut where one has a ``lead_in``: (text before the run, the run)."""
    runs: list[tuple[str, tuple[EntryDoc, ...]]] = []
    start = 0
    for index, entry in enumerate(entries):
        if entry.lead_in and index:
            runs.append((entries[start].lead_in, entries[start:index]))
            start = index
    if entries:
        runs.append((entries[start].lead_in, entries[start:]))
    return runs


def _ordered(entries: tuple[EntryDoc, ...], doc: ListDoc) -> tuple[EntryDoc, ...]:
    if doc.ordering == "alphabetical":
        return tuple(sorted(entries, key=lambda entry: entry.title.casefold()))
    return entries


def _group_lines(
    section: SectionDoc, doc: ListDoc, placed: _Placements, *, indent: str
) -> list[str]:
    head = _plain_head(section.title)
    description = " ".join(section.description.split())
    lines = [f"{indent}- {head}" + (f" - {description}" if description else "")]
    for entry in _ordered(section.entries, doc):
        lines.append(f"{indent}  {placed.line(entry)}")
    for child in section.children:
        lines.extend(_group_lines(child, doc, placed, indent=indent + "  "))
    return lines


def entry_line(entry: EntryDoc, *, head: str = "") -> str:
    """``- [Title](url) - Markers Description. (extra links) (tags)``; ``head`` stands for the
    title link where a further placement of the entry writes it as a reference."""
    head = head or entry_head(entry)
    tail = entry_tail(entry)
    return f"- {head} - {tail}" if tail else f"- {head}"


def entry_head(entry: EntryDoc, *, reference: str = "") -> str:
    """The title: a link (``[Title][reference]`` for a further placement), or plain text
    escaped so that no separator splits it."""
    if reference:
        return f"[{inline.escape(entry.title)}][{reference}]"
    if entry.url:
        return f"[{inline.escape(entry.title)}]({inline.url_for_markdown(entry.url)})"
    return _plain_head(entry.title)


def entry_tail(entry: EntryDoc, with_tags: bool = True) -> str:
    """What follows the title and its separator: markers, description, extra links, tags."""
    # awesome-lint reads only ASCII sentence ends: "说明。" is written "说明." (see punctuation).
    description = punctuation.to_ascii_end(style.description(entry.description, title=entry.title))
    text = " ".join(
        part
        for part in (" ".join(markers.markdown_of(m) for m in entry.markers), description)
        if part
    )
    extras = ""
    if entry.extra_links:
        links = ", ".join(
            f"[{inline.escape(link.label)}]({inline.url_for_markdown(link.url)})"
            for link in entry.extra_links
        )
        extras = f"({links})"
    tags = ""
    if entry.tags and with_tags:
        tags = "(" + ", ".join(inline.code_span(tag) for tag in entry.tags) + ")"
    tail = " ".join(part for part in (text, extras, tags) if part)
    if tail and not description and (extras or tags):
        # Without a sentence, awesome-lint still wants the item to end with punctuation.
        tail += "."
    return tail


def _plain_head(title: str) -> str:
    """A title without a link, escaped so that no separator inside it splits it on import."""
    text = inline.escape(title)
    for plain, escaped in ((" - ", " \\- "), (" – ", " &ndash; "), (" — ", " &mdash; ")):
        text = text.replace(plain, escaped)
        if text.endswith(plain.rstrip()):
            text = text[: -len(plain.rstrip())] + escaped.rstrip()  # "(© –" then " - …"
    text = _DASH_BEFORE_MARKUP.sub(lambda match: _DASH_ENTITIES[match.group()], text)
    # A colon before a space, punctuation or the end is a separator too ("javascript:\[…").
    text = _COLON_SEPARATOR.sub(r"\\:", text)
    # So is a full-width colon anywhere ("名前：説明"); as an entity it is a literal.
    text = text.replace("：", "&#xFF1A;")
    # A URL in a title without a link (its link was refused, or it was a link's text) would be
    # linked on the next import (GFM links bare URLs): ``https\://`` shows the same text.
    text = _BARE_SCHEME.sub(r"\1\\:", text)
    # It opens the list item: "# …" or "> …" would be a heading or a quote inside it.
    return safety.opening(text)
