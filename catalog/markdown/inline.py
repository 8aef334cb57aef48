"""Inline Markdown as a small tree, built from markdown-it tokens and written back canonically.

markdown-it gives a flat token stream; slicing a list item into title, separator, markers,
description and trailing links is much simpler on a tree of nodes. Writing the tree back is the
one place that decides how inline Markdown looks in the export: ``**strong**``, ``*emphasis*``
(``*`` works inside words, ``_`` does not), backslash escapes only where a character would
otherwise mean something, and link titles in single quotes (awesome-lint's style).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from catalog.markdown.syntax import MD


@dataclass(slots=True)
class Text:
    value: str
    # Came from a backslash escape or an entity: never a separator, never an autolink.
    literal: bool = False


@dataclass(slots=True)
class Code:
    value: str


@dataclass(slots=True)
class Link:
    url: str
    children: list[Node] = field(default_factory=list)
    title: str = ""
    # "" for [text](url), "angle" for <url>, "bare" for a GFM literal URL in text; the
    # renderer of cross-links writes "reference:LABEL" for [text][LABEL] (crosslinks).
    form: str = ""


@dataclass(slots=True)
class Image:
    url: str
    alt: str = ""
    title: str = ""


@dataclass(slots=True)
class Strong:
    children: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Emph:
    children: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Strike:
    children: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Html:
    value: str


@dataclass(slots=True)
class Break:
    hard: bool = False


Node = Text | Code | Link | Image | Strong | Emph | Strike | Html | Break
Container = Link | Strong | Emph | Strike

_OPENERS: dict[str, type[Strong] | type[Emph] | type[Strike]] = {
    "strong_open": Strong,
    "em_open": Emph,
    "s_open": Strike,
}


def build(tokens: Sequence[Token] | None) -> list[Node]:
    """The children of a markdown-it ``inline`` token as a node tree."""
    root: list[Node] = []
    stack: list[list[Node]] = [root]
    # GFM links no URL inside a link's text: ``[https://a.example](#a)`` is one link, to #a.
    links_open: list[bool] = [False]
    for token in tokens or ():
        kind = token.type
        out = stack[-1]
        if kind == "text":
            if any(links_open):
                out.append(Text(token.content))
            else:
                out.extend(split_bare_urls(token.content))
        elif kind == "text_special":
            out.append(Text(token.content, literal=True))
        elif kind == "code_inline":
            out.append(Code(token.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(Break(hard=kind == "hardbreak"))
        elif kind in ("html_inline",):
            out.append(Html(token.content))
        elif kind == "image":
            alt = plain(build(token.children))
            out.append(
                Image(str(token.attrGet("src") or ""), alt, str(token.attrGet("title") or ""))
            )
        elif kind == "link_open":
            form = "angle" if token.markup == "autolink" else ""
            link = Link(
                str(token.attrGet("href") or ""), [], str(token.attrGet("title") or ""), form
            )
            out.append(link)
            stack.append(link.children)
            links_open.append(True)
        elif kind in _OPENERS:
            node = _OPENERS[kind]()
            out.append(node)
            stack.append(node.children)
            links_open.append(False)
        elif kind.endswith("_close") and len(stack) > 1:
            stack.pop()
            links_open.pop()
        else:  # an unknown inline rule: keep its text rather than lose it
            out.append(Text(token.content))
    return merge_text(root)


# GFM "autolink literal": GitHub and remark-gfm turn bare http(s) URLs into links, so the
# importer must see them as links too (jnv/lists has nested items that are just a URL).
_BARE_URL = re.compile(r"(?<![\w/@.:+-])https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,:;!?*_~'\""


def _trim_url(url: str) -> str:
    while url:
        if url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


def split_bare_urls(text: str) -> list[Node]:
    if "http" not in text and "HTTP" not in text:
        return [Text(text)]
    nodes: list[Node] = []
    position = 0
    for match in _BARE_URL.finditer(text):
        url = _trim_url(match.group())
        if len(url) <= len("https://"):
            continue
        start = match.start()
        if start > position:
            nodes.append(Text(text[position:start]))
        # Its destination as markdown-it gives a Markdown link's, which the export writes.
        nodes.append(Link(MD.normalizeLink(url), [Text(url)], form="bare"))
        position = start + len(url)
    if position < len(text):
        nodes.append(Text(text[position:]))
    return nodes


def link_urls(tokens: Sequence[Token] | None) -> list[str]:
    """The URLs of ``walk_links(build(tokens))``, in the same order, without building the tree:
    the importer asks this of every list and section to find tables of contents, and building
    nodes for that was a tenth of an import."""
    urls: list[str] = []
    in_link = 0
    for token in tokens or ():
        kind = token.type
        if kind == "link_open":
            urls.append(str(token.attrGet("href") or ""))
            in_link += 1
        elif kind == "link_close":
            in_link -= 1
        elif kind == "text" and not in_link:
            content = token.content
            if "http" in content or "HTTP" in content:  # split_bare_urls' own shortcut
                urls.extend(node.url for node in split_bare_urls(content) if isinstance(node, Link))
    return urls


def merge_text(nodes: list[Node]) -> list[Node]:
    """Join neighbouring plain text nodes (literal ones stay apart: they matter to the splitter)."""
    merged: list[Node] = []
    for node in nodes:
        previous = merged[-1] if merged else None
        if (
            isinstance(node, Text)
            and isinstance(previous, Text)
            and not node.literal
            and not previous.literal
        ):
            merged[-1] = Text(previous.value + node.value)
        else:
            merged.append(node)
    return merged


def plain(nodes: Iterable[Node]) -> str:
    """The text a reader sees (what remark's ``toString`` gives)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text | Code | Html):
            parts.append(node.value if not isinstance(node, Html) else "")
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, Break):
            parts.append(" ")
        else:
            parts.append(plain(node.children))
    return "".join(parts)


def walk_links(nodes: Iterable[Node]) -> Iterable[Link]:
    for node in nodes:
        if isinstance(node, Link):
            yield node
            yield from walk_links(node.children)
        elif isinstance(node, Strong | Emph | Strike):
            yield from walk_links(node.children)


def walk_images(nodes: Iterable[Node]) -> Iterable[Image]:
    for node in nodes:
        if isinstance(node, Image):
            yield node
        elif isinstance(node, Link | Strong | Emph | Strike):
            yield from walk_images(node.children)


def strip(nodes: list[Node]) -> list[Node]:
    """Drop blank text and breaks at both ends, and trim the end texts."""
    nodes = list(nodes)
    while nodes and _blank(nodes[0]):
        nodes.pop(0)
    while nodes and _blank(nodes[-1]):
        nodes.pop()
    if nodes and isinstance(nodes[0], Text) and not nodes[0].literal:
        nodes[0] = Text(nodes[0].value.lstrip())
    if nodes and isinstance(nodes[-1], Text) and not nodes[-1].literal:
        nodes[-1] = Text(nodes[-1].value.rstrip())
    return nodes


def _blank(node: Node) -> bool:
    if isinstance(node, Break):
        return True
    return isinstance(node, Text) and not node.literal and not node.value.strip()


def one_line(nodes: list[Node]) -> list[Node]:
    """Soft and hard breaks become spaces: an entry lives on one line."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Break):
            out.append(Text(" "))
        elif isinstance(node, Strong | Emph | Strike | Link) and any(
            isinstance(child, Break) for child in node.children
        ):
            copy = _shallow(node)
            copy.children = one_line(node.children)
            out.append(copy)
        else:
            out.append(node)
    return merge_text(out)


def _shallow(node: Container) -> Container:
    if isinstance(node, Link):
        return Link(node.url, list(node.children), node.title, node.form)
    return type(node)(list(node.children))


# --- writing Markdown -----------------------------------------------------------------------

_ALWAYS = re.compile(r"([\\`*\[\]])")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ANGLE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_TILDES = re.compile(r"~")
_SPACES = re.compile(r"[ \t]{2,}")


_SPECIAL = re.compile(r"[\\`*\[\]_<&~]")


def escape(text: str) -> str:
    # Most titles and labels need no escape: one search instead of five substitutions.
    if not _SPECIAL.search(text):
        return text
    text = _ALWAYS.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ANGLE.sub(r"\\<", text)
    text = _ENTITY.sub(r"\\&", text)
    return _TILDES.sub(r"\\~", text)


def _literal(char: str) -> str:
    # A character that came from an escape or entity: escape it again if it is punctuation,
    # write an entity for what would otherwise read differently (a dash is a separator).
    if char in "\\`*_[]<>~#|!-+.():":
        return "\\" + char
    return _ENTITIES.get(char, char)


_ENTITIES = {"&": "&amp;", "\u00a0": "&nbsp;", "\u2013": "&ndash;", "\u2014": "&mdash;"}


def _parentheses_nest(url: str) -> bool:
    """True when every ``)`` of ``url`` closes a ``(`` before it and none is left open: only
    then does a bare ``(…)`` destination end where the URL ends. Counting is not enough:
    ``https://evil.example.net)@github.com/x(`` has one of each, and CommonMark ends the
    destination at the first ``)``."""
    depth = 0
    for char in url:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def url_for_markdown(url: str) -> str:
    if not url:
        return "<>"
    if " " in url or "<" in url or ">" in url or not _parentheses_nest(url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"
    return url


def _title(title: str) -> str:
    return " '" + title.replace("\\", "\\\\").replace("'", "\\'") + "'" if title else ""


_BACKTICKS = re.compile(r"`+")


def code_span(value: str) -> str:
    """``value`` as inline code, fenced with more backticks than it holds."""
    runs = _BACKTICKS.findall(value) if "`" in value else []
    longest = max((len(run) for run in runs), default=0)
    fence = "`" * (longest + 1)
    # CommonMark takes one space off each end of a span that starts and ends with one and is
    # not all spaces; a span of only spaces is kept as it is (padding it would grow it).
    pad = (
        " "
        if value.startswith("`")
        or value.endswith("`")
        or not value
        or (value[0] == " " and value[-1] == " " and value.strip(" "))
        else ""
    )
    return f"{fence}{pad}{value}{pad}{fence}"


def render(nodes: Sequence[Node]) -> str:
    """Canonical Markdown for ``nodes``; breaks become a newline (soft) or ``\\``+newline."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            if node.literal:
                parts.append("".join(_literal(char) for char in node.value))
            else:
                parts.append(escape(node.value))
        elif isinstance(node, Code):
            parts.append(code_span(node.value))
        elif isinstance(node, Html):
            parts.append(node.value)
        elif isinstance(node, Break):
            parts.append("\\\n" if node.hard else "\n")
        elif isinstance(node, Image):
            parts.append(f"![{escape(node.alt)}]({url_for_markdown(node.url)}{_title(node.title)})")
        elif isinstance(node, Link):
            parts.append(_link(node))
        elif isinstance(node, Strong):
            parts.append(_wrap("**", node.children))
        elif isinstance(node, Emph):
            parts.append(_wrap("*", node.children))
        else:
            parts.append(_wrap("~~", node.children))
    return "".join(parts)


def _link(node: Link) -> str:
    if node.form.startswith("reference:"):
        return f"[{render(node.children)}][{node.form.removeprefix('reference:')}]"
    if node.form == "bare" and plain(node.children) == node.url:
        return node.url
    if node.form == "angle" and plain(node.children) in (
        node.url,
        node.url.removeprefix("mailto:"),
    ):
        return f"<{node.url}>"
    return f"[{render(node.children)}]({url_for_markdown(node.url)}{_title(node.title)})"


def _wrap(marker: str, children: list[Node]) -> str:
    inner = render(children)
    if not inner.strip():
        return inner
    # Emphasis cannot start or end with a space: move the spaces outside the markers.
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{inner.strip()}{marker}{trail}"


def squeeze(text: str) -> str:
    """Runs of spaces inside a line become one (hard-break spaces are never written)."""
    return _SPACES.sub(" ", text)
