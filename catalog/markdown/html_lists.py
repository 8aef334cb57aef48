"""Lists written in HTML rather than Markdown (issue 12, shape 2): the pieces the importer needs.

Three shapes, each read into the same entries a Markdown list gives::

    &nbsp;&nbsp;<a href="…"><b>Alpha</b></a> - desc<br>          lines of one paragraph
    &nbsp;&nbsp;<a href="…"><b>Beta</b></a> - desc<br>

    <details><summary><b><a href="…">Gamma</a></b> (MIT) - desc</summary>
    <a href="…">GitHub</a> · <a href="…">PyPI</a>                 a card: the links inside
    </details>                                                    are the entry's extra links

    <details><summary>Editors</summary>                           a group of cards
    > **[Eps](…)** <kbd>★ 3.8k</kbd> <kbd>MIT</kbd><br>desc        (a blockquote each)
    > [GitHub](…) · [Docs](…)
    </details>

Here: finding where a ``<details>`` ends, splitting a paragraph into its ``<br>`` lines, and
taking a card apart (title line, description, link lines). The importer (``parse``) turns the
pieces into items with its item reader. Pure, like the rest of ``catalog.markdown``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.markdown import html_anchors, inline
from catalog.markdown.inline import Break, Code, Emph, Html, Link, Node, Strong, Text
from catalog.markdown.syntax import MD, Block

_BR = re.compile(r"^<\s*br\s*/?\s*>$", re.IGNORECASE)
_DETAILS_OPEN = re.compile(r"<details\b", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE | re.DOTALL)
# What separates the links of a card's link line: "GitHub · PyPI", "Docs | Demo", "a, b".
_GLUE = re.compile(r"^[\s·•|,/–—-]*$")


def opens_details(node: Block) -> bool:
    return node.type == "html_block" and bool(_DETAILS_OPEN.match(node.content.lstrip()))


def details_end(body: list[Block], start: int) -> int:
    """The index just past the block that closes the ``<details>`` opened in ``body[start]``
    (nested ones counted); the end of ``body`` when it is never closed."""
    depth = 0
    for index in range(start, len(body)):
        node = body[index]
        if node.type != "html_block":
            continue
        depth += len(_DETAILS_OPEN.findall(node.content))
        depth -= len(_DETAILS_CLOSE.findall(node.content))
        if depth <= 0:
            return index + 1
    return len(body)


def html_nodes(html: str) -> list[Node]:
    """An HTML block's text as inline nodes, tags read as Markdown where they can be."""
    tokens = MD.parseInline(html.strip())
    children = tokens[0].children if tokens and tokens[0].children else []
    return html_anchors.convert(inline.build(children))


@dataclass(slots=True)
class Details:
    """One ``<details>``: its summary (inline nodes), the inline nodes written after the summary
    in the same HTML block, and the Markdown blocks inside it."""

    summary: list[Node]
    after_summary: list[Node]
    inner: list[Block] = field(default_factory=list)

    @property
    def card(self) -> bool:
        """A summary that starts with a titled link is an entry; plain text names a group."""
        return title_link(self.summary) is not None

    @property
    def summary_text(self) -> str:
        return " ".join(inline.plain(self.summary).split())


def read_details(body: list[Block], start: int, end: int) -> Details | None:
    first = body[start]
    match = _SUMMARY.search(first.content)
    if match is None:
        return None
    summary = html_nodes(match.group(1))
    rest = first.content[match.end() :]
    rest = _DETAILS_CLOSE.sub("", rest)
    inner = list(body[start + 1 : end])
    closing = _DETAILS_CLOSE.search(inner[-1].content) if inner else None
    if closing is not None and inner[-1].type == "html_block":
        # Text before the closing tag in the same block ("…links…\n</details>") still counts.
        rest = rest + "\n" + inner.pop().content[: closing.start()]
    return Details(summary, html_nodes(rest) if rest.strip() else [], inner)


def title_link(nodes: list[Node]) -> Link | None:
    """The link an item starts with (plain, bold or italic), skipping leading blanks."""
    for node in nodes:
        if isinstance(node, Text) and not node.value.strip():
            continue
        if isinstance(node, Link):
            return node if inline.plain(node.children).strip() else None
        if isinstance(node, Strong | Emph):
            inner = inline.strip(node.children)
            if len(inner) == 1 and isinstance(inner[0], Link):
                return title_link(inner)
        return None
    return None


def split_lines(parts: list[Node]) -> list[list[Node]]:
    """The lines of a paragraph: split at line breaks and ``<br>`` tags; blank lines dropped,
    leading blanks (``&nbsp;`` indents too) removed."""
    lines: list[list[Node]] = [[]]
    for node in parts:
        if isinstance(node, Break) or (isinstance(node, Html) and _BR.match(node.value.strip())):
            lines.append([])
        else:
            lines[-1].append(node)
    result = []
    for line in lines:
        while line and isinstance(line[0], Text) and not line[0].value.strip():
            line = line[1:]
        if line and isinstance(line[0], Text):
            line = [Text(line[0].value.lstrip(), line[0].literal), *line[1:]]
        if inline.plain(line).strip() or any(isinstance(node, Link) for node in line):
            result.append(line)
    return result


def br_item_lines(parts: list[Node]) -> list[list[Node]] | None:
    """A paragraph written as an HTML list (``<a href>…</a> - desc<br>`` lines): its lines, or
    None when it is not one (no ``<br>``, fewer than two lines, a line without a title link)."""
    if not any(isinstance(node, Html) and _BR.match(node.value.strip()) for node in parts):
        return None
    lines = split_lines(parts)
    if len(lines) < 2:
        return None
    for line in lines:
        if title_link(html_anchors.convert(line)) is None:
            return None
    return lines


@dataclass(slots=True)
class Card:
    """A blockquote card taken apart: the title line (link and ``<kbd>`` meta), the description,
    and the links of its link lines."""

    title: list[Node]
    description: list[Node]
    tags: list[str]
    links: list[Link]


def is_link_line(line: list[Node]) -> bool:
    """Only links and separators ("[GitHub](…) · [Docs](…)")."""
    has_link = False
    for node in line:
        if isinstance(node, Link) or (
            isinstance(node, Strong | Emph) and title_link([node]) is not None
        ):
            has_link = True
        elif not (isinstance(node, Text) and _GLUE.match(node.value)):
            return False
    return has_link


def read_card(nodes: list[Node]) -> Card | None:
    """A blockquote's paragraph read as a card, or None when it does not start with a link."""
    lines = split_lines(html_anchors.convert(nodes))
    if not lines or title_link(lines[0]) is None:
        return None
    head = lines[0]
    title: list[Node] = []
    tags: list[str] = []
    description: list[Node] = []
    for index, node in enumerate(head):
        if isinstance(node, Code):
            tags.append(node.value.strip())
        elif index == 0 or not title:
            title.append(node)
        else:
            description.append(node)
    links: list[Link] = []
    for line in lines[1:]:
        if is_link_line(line):
            links.extend(inline.walk_links(line))
        else:
            if description:
                description.append(Text(" "))
            description.extend(line)
    return Card(title, inline.merge_text(description), [tag for tag in tags if tag], links)


def block_links(nodes: list[Block]) -> list[Link]:
    """Every link of some blocks (Markdown and HTML), in order: a card's extra links."""
    found: list[Link] = []
    for node in nodes:
        if node.type == "html_block":
            found.extend(inline.walk_links(html_nodes(node.content)))
            continue
        for child in node.walk():
            if child.type == "inline" and child.token is not None:
                parts = html_anchors.convert(inline.build(child.token.children))
                found.extend(inline.walk_links(parts))
    return found


def block_images(nodes: list[Block]) -> list[str]:
    """The image URLs and the URLs of links around nothing but images, in some blocks."""
    found: list[str] = []
    for node in nodes:
        if node.type == "html_block":
            parts = html_nodes(node.content)
        else:
            parts = [
                part
                for child in node.walk()
                if child.type == "inline" and child.token is not None
                for part in html_anchors.convert(inline.build(child.token.children))
            ]
        found.extend(image.url for image in inline.walk_images(parts))
        found.extend(
            link.url
            for link in inline.walk_links(parts)
            if not inline.plain(link.children).strip() and any(inline.walk_images([link]))
        )
    return found
