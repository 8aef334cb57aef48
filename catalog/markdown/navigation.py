"""Navigation that shares a line with other text (issue 12).

``**[⬆ Back to Index](#index)**<br>`` above a section's text, ``*blurb* [back to top](#readme)``:
the README is regenerated with its own contents, so these in-page links are decoration. A
paragraph that is nothing but such a link is dropped whole by the importer; here the link (with
the bold or italics around it and the line break after it) is taken out of a longer line and the
rest of the line kept.
"""

from __future__ import annotations

import re

from catalog.markdown import inline
from catalog.markdown.inline import Break, Emph, Html, Link, Node, Strong, Text

BACK_TO_TOP = re.compile(r"top|back|⬆|↑|\^|contents|up\b", re.IGNORECASE)
_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)


def nav_link(node: Node) -> Link | None:
    """The back-to-top link ``node`` is (bold or italic around it allowed), else None."""
    while isinstance(node, Strong | Emph):
        kids = inline.strip(node.children)
        if len(kids) != 1:
            return None
        node = kids[0]
    if not isinstance(node, Link) or not node.url.startswith("#"):
        return None
    text = inline.plain(node.children)
    return node if BACK_TO_TOP.search(text) or not text.strip() else None


def take(parts: list[Node]) -> tuple[list[Node], list[str]]:
    """``parts`` without their back-to-top links (and the ``<br>`` or line break after one),
    and the URLs taken. Unchanged when there is none, or nothing else on the line."""
    found = [index for index, part in enumerate(parts) if nav_link(part) is not None]
    if not found or not inline.plain([p for i, p in enumerate(parts) if i not in found]).strip():
        return parts, []
    kept: list[Node] = []
    urls: list[str] = []
    skip_break = False
    for index, part in enumerate(parts):
        link = nav_link(part) if index in found else None
        if link is not None:
            urls.append(link.url)
            skip_break = True
            continue
        if skip_break and (
            isinstance(part, Break)
            or (isinstance(part, Html) and _BR.match(part.value.strip()))
            or (isinstance(part, Text) and not part.value.strip())
        ):
            continue
        skip_break = False
        kept.append(part)
    return inline.strip(kept), urls
