"""Inline HTML in an item read as the Markdown it stands for (issue 12, shape 1).

Lists copied from web pages write their items in HTML::

    - <b><a href="https://x.example/">Name</a></b> (stats) - desc
    - <a href='https://x.example/'>Name</a>
    - <a href=https://x.example/>Name</a>

markdown-it keeps each tag as a separate ``html_inline`` token, so the item reader saw the
anchor's text without its URL and the URL disappeared. ``convert`` turns balanced ``<a href>``,
``<b>``/``<strong>``, ``<i>``/``<em>``, ``<kbd>``/``<code>`` pairs and lone ``<br>``/``<img>`` tags
into the nodes the Markdown spelling would have given (``Link``, ``Strong``, ``Emph``, ``Code``,
``Break``, ``Image``), so the item is read like ``**[Name](url)** (stats) - desc`` and exported as
Markdown. Anything else (an unknown tag, an unbalanced pair) is left as it was.
"""

from __future__ import annotations

import html
import re

from catalog.markdown import inline
from catalog.markdown.inline import Break, Code, Emph, Html, Image, Link, Node, Strike, Strong, Text
from catalog.markdown.syntax import MD

_TAG = re.compile(r"^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>$", re.DOTALL)
_ATTR = r"\b{name}\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))"
_HREF = re.compile(_ATTR.format(name="href"), re.IGNORECASE)
_SRC = re.compile(_ATTR.format(name="src"), re.IGNORECASE)
_ALT = re.compile(_ATTR.format(name="alt"), re.IGNORECASE)
_TITLE = re.compile(_ATTR.format(name="title"), re.IGNORECASE)

_CONTAINERS: dict[str, type[Strong] | type[Emph]] = {
    "b": Strong,
    "strong": Strong,
    "i": Emph,
    "em": Emph,
}
_CODE = ("kbd", "code", "samp")
# A parenthesis right after an HTML title link, before the separator: "(⭐ 3.8k, MIT)".
_META = re.compile(r"^\s*\(([^()]{1,40})\)")


def has_html(nodes: list[Node]) -> bool:
    for node in nodes:
        if isinstance(node, Html):
            return True
        if isinstance(node, Strong | Emph | Strike | Link) and has_html(node.children):
            return True
    return False


def _attr(pattern: re.Pattern[str], attributes: str) -> str | None:
    match = pattern.search(attributes)
    if match is None:
        return None
    value = next(group for group in match.groups() if group is not None)
    return html.unescape(value).strip()


def convert(nodes: list[Node]) -> list[Node]:
    """``nodes`` with inline HTML tags read as Markdown nodes (a new list; input untouched)."""
    if not has_html(nodes):
        return nodes
    converted = _convert(nodes)
    return converted if converted is not None else nodes


class _Open:
    __slots__ = ("children", "name", "node")

    def __init__(self, name: str, node: Node | None) -> None:
        self.name = name
        self.node = node
        self.children: list[Node] = []


def _convert(nodes: list[Node]) -> list[Node] | None:
    """The conversion, or None when the tags are not balanced (then nothing changes)."""
    root = _Open("", None)
    stack = [root]
    for node in nodes:
        if isinstance(node, Strong | Emph | Strike | Link):
            children = _convert(node.children)
            if children is None:
                return None
            stack[-1].children.append(_with_children(node, children))
            continue
        if not isinstance(node, Html):
            stack[-1].children.append(node)
            continue
        match = _TAG.match(node.value.strip())
        if match is None:
            stack[-1].children.append(node)
            continue
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if len(stack) > 1 and stack[-1].name == name:
                done = stack.pop()
                stack[-1].children.append(_close(done))
                continue
            if name in ("a", *_CONTAINERS, *_CODE):
                return None  # a closing tag without its opening one: leave the item alone
            stack[-1].children.append(node)
            continue
        if name == "a":
            href = _attr(_HREF, attributes)
            if href is None:
                stack[-1].children.append(node)  # <a name=…>: an anchor, not a link
                continue
            title = _attr(_TITLE, attributes) or ""
            # As markdown-it reads a Markdown link's destination: the export writes it as one.
            stack.append(_Open("a", Link(MD.normalizeLink(href), [], title)))
        elif name in _CONTAINERS:
            stack.append(_Open(name, _CONTAINERS[name]()))
        elif name in _CODE:
            stack.append(_Open(name, None))
        elif name == "br":
            stack[-1].children.append(Break(hard=True))
        elif name == "img":
            src = _attr(_SRC, attributes)
            if src is None:
                stack[-1].children.append(node)
            else:
                stack[-1].children.append(Image(src, _attr(_ALT, attributes) or ""))
        else:
            stack[-1].children.append(node)
    if len(stack) != 1:
        return None
    return inline.merge_text(root.children)


def _with_children(node: Strong | Emph | Strike | Link, children: list[Node]) -> Node:
    if isinstance(node, Link):
        return Link(node.url, children, node.title, node.form)
    return type(node)(children)


def _close(done: _Open) -> Node:
    children = inline.merge_text(done.children)
    if done.node is None:  # <kbd>, <code>
        return Code(" ".join(inline.plain(children).split()))
    node = done.node
    assert isinstance(node, Strong | Emph | Link)
    node.children = children
    return node


def title_meta(nodes: list[Node]) -> tuple[list[Node], list[str]]:
    """``<title link> (meta) - desc``: the short parenthesis between an HTML title link and the
    separator (star counts, a licence) becomes tags, instead of opening the description."""
    if len(nodes) < 2 or not isinstance(nodes[1], Text) or nodes[1].literal:
        return nodes, []
    head = nodes[0]
    if not isinstance(head, Link | Strong | Emph):
        return nodes, []
    match = _META.match(nodes[1].value)
    if match is None:
        return nodes, []
    tags = [part.strip() for part in match.group(1).split(",") if part.strip()]
    remainder = nodes[1].value[match.end() :]
    return [head, *([Text(remainder)] if remainder else []), *nodes[2:]], tags
