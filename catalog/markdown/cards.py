"""Link collections that are not lists: a bold name with a description, its URL on the next
line (or in the next paragraph) after a pointer such as ``🔗``::

    **Tea Timer** - Times short repeated infusions.
    🔗 https://timer.example

    **Leaf Scale** - Weighs leaves to a tenth of a gram.

    🔗 https://scale.example

Each card is an entry (``[Tea Timer](https://timer.example) - Times …``), whatever else the
section holds; paragraphs that are not cards stay the section's text. Pure: inline nodes in,
inline nodes (an item the entry reader understands) out.
"""

from __future__ import annotations

import re

from catalog.markdown import inline
from catalog.markdown.inline import Break, Link, Node, Strong, Text

# What lists put before a card's URL: a link emoji, a pointing hand, an arrow, "Link:", "URL:".
_POINTER = re.compile(
    r"^\s*(?:🔗|🌐|👉|➡️?|→|⇒|link|url|website|web|homepage)\s*:?\s*$", re.IGNORECASE
)
_SEPARATOR = re.compile(r"^\s*(?:-{1,2}|–|—|:)\s+\S")


def card(head: list[Node], following: list[Node] | None = None) -> tuple[list[Node], bool] | None:
    """The item a card reads as, and whether it used ``following`` (the next paragraph) for
    its URL; ``None`` when ``head`` is not a card."""
    lines = _lines(inline.strip(list(head)))
    if not lines:
        return None
    title, description = _title_line(lines[0])
    if title is None:
        return None
    rest = lines[1:]
    url_line = rest[-1] if rest else None
    used_next = False
    url = _pointer_url(url_line) if url_line is not None else None
    if url is not None:
        rest = rest[:-1]
    elif not rest and following is not None:
        url = _pointer_url(inline.strip(list(following)))
        used_next = url is not None
    if url is None:
        return None
    for line in rest:  # a description over several lines
        description = [*description, Text(" "), *line]
    item: list[Node] = [Link(url, title)]
    if inline.plain(description).strip():
        item += [Text(" - "), *inline.strip(description)]
    return inline.merge_text(item), used_next


def _lines(nodes: list[Node]) -> list[list[Node]]:
    lines: list[list[Node]] = [[]]
    for node in nodes:
        if isinstance(node, Break):
            lines.append([])
        else:
            lines[-1].append(node)
    return [inline.strip(line) for line in lines if inline.strip(line)]


def _title_line(line: list[Node]) -> tuple[list[Node] | None, list[Node]]:
    """``**Name** - description`` (or ``**Name**`` alone): the name and the description."""
    if not line or not isinstance(line[0], Strong):
        return None, []
    name = line[0].children
    if any(True for _ in inline.walk_links(name)) or not inline.plain(name).strip():
        return None, []
    after = line[1:]
    if not after:
        return list(name), []
    first = after[0]
    if not isinstance(first, Text) or first.literal:
        return None, []
    match = _SEPARATOR.match(first.value)
    if match is None:
        return None, []
    remainder = first.value[match.end() - 1 :]
    return list(name), [Text(remainder), *after[1:]]


def _pointer_url(line: list[Node]) -> str | None:
    """``🔗 https://…`` (a bare URL or a link after a pointer): its URL."""
    links = [node for node in line if isinstance(node, Link)]
    if len(links) != 1:
        return None
    others = inline.plain([node for node in line if not isinstance(node, Link)])
    if not _POINTER.match(others) and others.strip():
        return None
    url = links[0].url
    return url if url.lower().startswith(("http://", "https://")) else None
