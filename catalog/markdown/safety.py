"""Exported Markdown that cannot run and cannot break out of its place in the README.

The README is not only read on GitHub (which sanitises what it renders): package indexes,
static-site generators and editor previews render it too, raw HTML and all. Whatever a field
holds — typed in the admin, sent to the API or the public form, imported, or read from a list
document — the export writes nothing that such a renderer would make active (a script, style,
frame or form element, an ``on…`` event handler, a ``javascript:``/``vbscript:``/``data:``/
``file:`` link) and nothing that escapes its place: a title, description or label stays on its
line, and a block (intro, section description, footer) closes whatever it opens, so an unclosed
``<!--``, ``<pre>`` or code fence cannot swallow the sections after it.

Text that is already like that is written unchanged, so exports stay byte for byte what they
were. Text that is not loses only what it must, checked again after each step: first its raw
HTML and autolinks (``<`` escaped: they show as the text that was typed), then its link
destinations (``](`` and ``]:`` escaped), and if that is still not enough, every ASCII
punctuation character is escaped, which every CommonMark renderer shows as exactly the
characters typed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from catalog.markdown.document import (
    AttributeDoc,
    ColumnDoc,
    EntryDoc,
    ExtraLinkDoc,
    FooterBlock,
    ListDoc,
    MarkerDef,
    SectionDoc,
)
from catalog.markdown.report import ImportReport

# How the import report names what this module changed.
REPAIR_KIND = "markup that would run or break the layout shown as text"

# Schemes a browser runs or that reach outside the web; markdown-it refuses the same four.
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
_SAFE_DATA_IMAGE = re.compile(r"data:image/(?:gif|png|jpeg|webp);", re.IGNORECASE)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop these anywhere in a URL before reading its scheme ("java\tscript:").
_TAB_OR_NEWLINE = re.compile(r"[\t\r\n]")
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))

# Elements that run code, load other documents, submit or restyle the page.
UNSAFE_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "portal",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "link",
        "meta",
        "base",
        "svg",
        "math",
        "template",
        "xmp",
        "plaintext",
        "noembed",
        "noframes",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "data", "poster", "background", "xlink:href"}
)

_LINE_BREAK = re.compile(r"[ \t]*(?:(?:\r\n?|\n)[ \t]*)+")
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# What starts a block when it opens a line: a heading, a quote, a list item, a code fence, a
# thematic break. (Raw HTML there is contained by the list item or quote it is in, and was
# checked as inline.) Only the first character needs its backslash.
_BLOCK_START = re.compile(
    r"^(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|`{3}|~{3}|(?:[-*_][ \t]*){3,}$)"
)
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_SENTINEL = "awesome-curator-end-of-block"


def unsafe_url(url: str, *, image: bool = False) -> bool:
    """True when a browser following (or, for an image, loading) ``url`` would run code or
    leave the web: its scheme, read as a browser reads it, is one of ``UNSAFE_SCHEMES`` (an
    image may be ``data:image/png`` and the like)."""
    cleaned = _TAB_OR_NEWLINE.sub("", url).strip(_C0_OR_SPACE)
    match = _SCHEME.match(cleaned)
    if match is None or match.group(1).lower() not in UNSAFE_SCHEMES:
        return False
    return not (image and _SAFE_DATA_IMAGE.match(cleaned))


class _Scan(HTMLParser):
    """Collects what makes rendered HTML active. Entities in attribute values are decoded by
    the parser, as a browser decodes them."""

    def __init__(self, *, inline: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inline = inline

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_TAGS:
            self.problems.append(f"<{tag}> element")
        elif self.inline and tag in HEADING_TAGS:
            # A contributor's description is one line of an entry: a raw heading there would
            # add a heading to the README (and its outline) that no curator made.
            self.problems.append(f"<{tag}> heading")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} attribute")
            elif name in URL_ATTRIBUTES and value:
                image = tag in {"img", "source", "picture"} or name == "poster"
                urls = value.split(",") if name == "srcset" else [value]
                for candidate in urls:
                    parts = candidate.strip().split()
                    if parts and unsafe_url(parts[0], image=image):
                        self.problems.append(f"{name}={parts[0][:40]!r}")

    handle_startendtag = handle_starttag


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    """CommonMark with raw HTML, as permissive as the most trusting renderer: every link
    destination becomes a link, so that a dangerous one is seen (markdown-it's own check
    would hide it as text, which Python-Markdown and others would not)."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # Escapes and entities stay apart from text, so that a stray "`" or "<" is told from a
    # written "\\`" or "&lt;".
    md.disable("text_join")
    return md


def problems(markdown: str, *, block: bool) -> list[str]:
    """What would be active in ``markdown`` rendered with raw HTML allowed (empty: inert)."""
    md = _renderer()
    env: dict = {}
    tokens = md.parse(markdown, env) if block else md.parseInline(markdown, env)
    scan = _Scan(inline=not block)
    scan.feed(md.renderer.render(tokens, md.options, env))
    scan.close()
    found = scan.problems
    if not block:
        found += _left_open(tokens)
    for reference in env.get("references", {}).values():
        if unsafe_url(str(reference.get("href", ""))):
            found.append(f"reference to {str(reference['href'])[:40]!r}")
    if block and not _closes_everything(markdown):
        found.append("a block left open (HTML, comment or code fence)")
    return found


# In text (not in code, HTML, a link or an autolink): a backtick, a "<" that could open a tag,
# a "](" that could close a link opened before it.
_OPENER_IN_TEXT = re.compile(r"`|<[A-Za-z/!?]|\]\(")


def _left_open(tokens: list) -> list[str]:
    """An inline field is written before other parts of its line (an entry's extra links and
    tags): a backtick or ``<`` it leaves unmatched would pair with theirs and turn a harmless
    tag into raw HTML. The importer escapes such characters; typed ones must be too."""
    for token in tokens:
        for child in token.children or ():
            opener = _OPENER_IN_TEXT.search(child.content) if child.type == "text" else None
            if opener is not None:
                return [f"an unmatched {opener.group()!r}"]
    return []


def _may_be_active(text: str) -> bool:
    """Without ``<`` there is no HTML and no autolink, without ``](`` or ``]:`` no link
    destination: most descriptions need no parsing at all."""
    return "<" in text or "](" in text or "]:" in text or "`" in text


def _closes_everything(markdown: str) -> bool:
    if "<" not in markdown and "```" not in markdown and "~~~" not in markdown:
        return True
    tokens = _renderer().parse(f"{markdown}\n\n# {_SENTINEL}\n")
    return (
        len(tokens) >= 3
        and tokens[-3].type == "heading_open"
        and tokens[-3].level == 0
        and tokens[-2].content == _SENTINEL
    )


def defused(text: str, *, block: bool) -> str:
    """``text`` with as little taken away as makes it inert (see the module)."""
    without_html = text.replace("<", "\\<")
    if block:
        without_html = _no_new_blocks(text, without_html)
    without_links = without_html.replace("](", "]\\(").replace("]:", "\\]:")
    for candidate in (without_html, without_links):
        if not problems(candidate, block=block):
            return candidate
    return literal(text)


def _no_new_blocks(before: str, after: str) -> str:
    """``after`` (``before`` with its raw HTML shown as text) without the blocks that HTML
    held: ``<!--`` then ``## x`` or a table on the next lines is one comment; shown as text,
    the ``##`` line would be a heading of the README (a section on the next import), the table
    a table of entries. Such lines are written literally: the characters that were typed."""
    if "\n" not in after:
        return after
    md = _renderer()
    hidden = [
        range(token.map[0], token.map[1])
        for token in md.parse(before)
        if token.type == "html_block" and token.map
    ]
    if not hidden:
        return after
    lines = after.split("\n")
    for token in md.parse(after):
        if (
            token.level == 0
            and token.nesting != -1
            and token.map
            and token.type not in ("paragraph_open", "html_block", "inline")
            and any(token.map[0] in lines_held for lines_held in hidden)
        ):
            for index in range(token.map[0], min(token.map[1], len(lines))):
                lines[index] = literal(lines[index])
    return "\n".join(lines)


def literal(text: str) -> str:
    """``text`` as Markdown that renders as exactly these characters, nothing active."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", text)


def one_line(text: str) -> str:
    """Line breaks (and the spaces around them) become one space."""
    if "\n" not in text and "\r" not in text:
        return text
    return _LINE_BREAK.sub(" ", text).strip()


def inline(markdown: str, *, line_start: bool = False) -> str:
    """Inline Markdown (a description, a tagline, a label) on one line and inert.
    ``line_start``: it opens a line of the README, where ``#`` or ``>`` would start a block."""
    text = one_line(markdown)
    if _may_be_active(text) and problems(text, block=False):
        text = defused(text, block=False)
    if line_start:
        text = opening(text)
    return text


def opening(text: str) -> str:
    """``text`` with a backslash before what would make it a block when it opens a line."""
    ordered = _ORDERED_START.match(text)
    if ordered:
        return f"{ordered.group(1)}\\{text[ordered.end(1) :]}"
    if _BLOCK_START.match(text):
        return "\\" + text
    return text


# A link destination that opens with one of these has a scheme a browser may follow.
_NOT_A_WEB_DESTINATION = re.compile(r"\]\((?!(?i:https?)://|#)")


def _plainly_inert_block(markdown: str) -> bool:
    """True when ``problems(markdown, block=True)`` cannot find anything, seen without parsing:
    no ``<`` (no raw HTML, autolink or pointy destination), no code fence (nothing left open),
    no ``]:`` (no reference definition), and every ``](`` — where any link or image destination
    begins — followed by an http(s) URL or an anchor. Section descriptions are mostly such text
    with a link or two, and parsing them took a third of the export of awesome-selfhosted."""
    return (
        "<" not in markdown
        and "```" not in markdown
        and "~~~" not in markdown
        and "]:" not in markdown
        and _NOT_A_WEB_DESTINATION.search(markdown) is None
    )


def block(markdown: str) -> str:
    """Block Markdown (an intro, a section description, a footer) inert and closed."""
    if not markdown:
        return markdown
    if (
        (_may_be_active(markdown) or "~~~" in markdown)
        and not _plainly_inert_block(markdown)
        and problems(markdown, block=True)
    ):
        return defused(markdown, block=True)
    return markdown


def plain(text: str) -> str:
    """A title, label, tag or symbol: plain text on one line (the renderer escapes it)."""
    return one_line(text)


# In a link destination these would end the link early (and leave its "[" open for what
# follows): a backslash escapes the closing ")", a control character ends the destination.
_BREAKS_DESTINATION = re.compile(r"[\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def url(value: str, *, image: bool = False) -> str:
    """A link target written into ``(…)``: empty when unsafe; browsers' ignored tabs and line
    breaks removed (a line break would end the list item), and what would end the destination
    early percent-encoded, as markdown-it writes them in the links it reads."""
    cleaned = _TAB_OR_NEWLINE.sub("", value)
    if unsafe_url(cleaned, image=image):
        return ""
    return _BREAKS_DESTINATION.sub(lambda m: f"%{ord(m.group()):02X}", cleaned)


def document(
    doc: ListDoc,
    report: ImportReport | None = None,
    *,
    canonical: Callable[[str], str] | None = None,
) -> ListDoc:
    """``doc`` with every field made safe to write into the README (see the module); what had
    to change is reported as a repair, where it was. ``canonical`` rewrites a changed block in
    the importer's style, so that importing the export gives the same text back."""
    return _Defuser(report, canonical).document(doc)


class _Defuser:
    def __init__(self, report: ImportReport | None, canonical: Callable[[str], str] | None) -> None:
        self.report = report
        self.canonical = canonical

    def _noted(self, before: str, after: str, where: tuple[str, ...], *, block: bool) -> str:
        if after != before and self.report is not None and one_line(before) != after:
            found = problems(one_line(before) if not block else before, block=block)
            detail = f"{' › '.join(where)}: {found[0] if found else 'line start escaped'}"
            self.report.repair(REPAIR_KIND, detail)
        return after

    def inline(self, text: str, where: tuple[str, ...], *, line_start: bool = False) -> str:
        return self._noted(text, inline(text, line_start=line_start), where, block=False)

    def block(self, text: str, where: tuple[str, ...]) -> str:
        safe = block(text)
        if safe != text and self.canonical is not None:
            # The canonical form of inert text is inert; checked again all the same.
            safe = block(self.canonical(safe))
        return self._noted(text, safe, where, block=True)

    def document(self, doc: ListDoc) -> ListDoc:
        return dataclasses.replace(
            doc,
            title=plain(doc.title),
            tagline=self.inline(doc.tagline, ("tagline",), line_start=True),
            intro=self.block(doc.intro, ("intro",)),
            markers=tuple(
                MarkerDef(
                    symbol=plain(m.symbol), slug=m.slug, label=self.inline(m.label, ("legend",))
                )
                for m in doc.markers
            ),
            sections=tuple(self.section(section, ()) for section in doc.sections),
            footer=tuple(
                FooterBlock(title=plain(b.title), body=self.block(b.body, (b.title,)))
                for b in doc.footer
            ),
            repository_url=url(doc.repository_url),
        )

    def section(self, section: SectionDoc, path: tuple[str, ...]) -> SectionDoc:
        here = (*path, plain(section.title))
        return SectionDoc(
            title=plain(section.title),
            slug=section.slug,
            description=self.block(section.description, here),
            entries=tuple(self.entry(entry, here) for entry in section.entries),
            children=tuple(self.section(child, here) for child in section.children),
            columns=tuple(
                ColumnDoc(label=plain(column.label), role=column.role) for column in section.columns
            ),
            outro=self.block(section.outro, here),
        )

    def entry(self, entry: EntryDoc, path: tuple[str, ...]) -> EntryDoc:
        links = tuple(
            ExtraLinkDoc(label=plain(link.label), url=target)
            for link in entry.extra_links
            if (target := url(link.url))
        )
        return EntryDoc(
            title=plain(entry.title),
            url=url(entry.url),
            description=self.inline(entry.description, (*path, plain(entry.title))),
            extra_links=links,
            markers=tuple(plain(marker) for marker in entry.markers),
            tags=tuple(plain(tag) for tag in entry.tags),
            attributes=tuple(
                AttributeDoc(
                    label=plain(attribute.label),
                    value=self.inline(attribute.value, (*path, plain(entry.title))),
                )
                for attribute in entry.attributes
            ),
            lead_in=self.block(entry.lead_in, path) if entry.lead_in else "",
        )
