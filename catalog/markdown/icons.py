"""Icons that carry meaning (issue 12, shape 5).

Some lists define small images in a legend and put them on items::

    - ![Freeware][Freeware Icon] Freeware                      the legend
    - ![Open-Source Software][OSS Icon] Open-source software

    - [App](https://app.example/) ![Freeware][Freeware Icon]
      [![Open-Source Software][OSS Icon]](https://github.com/o/app) - Desc.

Such an image is not a badge: it says something about the entry. Each legend icon becomes a
marker whose symbol is its alt text in bold brackets (``**[Freeware]**``, the form awesome-lint
accepts and the importer already knows) and whose label keeps the image and the words
(``![Freeware](…/freeware.svg) Freeware``), so the legend table still shows the icon. On an item,
the icon becomes that marker wherever it is written, and a link around an icon (the repository
behind "Open-Source Software") becomes a "Source Code" extra link. Images that are not in a
legend (build status, shields.io counts) stay decoration, as before.

Also here: a marker written between the title link and the separator (``[Name](url) :zap: - desc``)
is a marker, with or without a legend.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from catalog.markdown import inline
from catalog.markdown.document import ExtraLinkDoc
from catalog.markdown.inline import Break, Emph, Image, Link, Node, Strong, Text
from catalog.markdown.syntax import Block

SOURCE_CODE = "Source Code"
_LABEL_GLUE = re.compile(r"^[\s:=–—-]+")
# "[Name](url) :zap: ⭐ - desc": symbols right after the title link, then a separator.
_LEADING = re.compile(
    r"^\s*((?:(?::[a-z0-9_+-]+:|[^\w\s\-–—:.,;()\[\]]+)\s*)+?)\s*(?=(?:-|–|—|:)\s)"
)
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")


@dataclass(frozen=True, slots=True)
class Icon:
    alt: str
    url: str
    words: str

    @property
    def symbol(self) -> str:
        return f"**[{self.alt}]**"

    @property
    def label(self) -> str:
        """The legend's meaning, with the icon itself (Markdown)."""
        image = f"![{inline.escape(self.alt)}]({inline.url_for_markdown(self.url)})"
        return f"{image} {inline.escape(self.words)}"


def legend_line(nodes: list[Node]) -> Icon | None:
    """``![alt](src) Words``: an image first, then words without links or images."""
    nodes = inline.strip(list(nodes))
    if len(nodes) < 2 or not isinstance(nodes[0], Image):
        return None
    rest = nodes[1:]
    if any(True for _ in inline.walk_links(rest)) or any(True for _ in inline.walk_images(rest)):
        return None
    words = _LABEL_GLUE.sub("", " ".join(inline.plain(rest).split())).strip()
    image = nodes[0]
    alt = " ".join(image.alt.split()).strip("[]") or words
    if not words or not alt or "]" in alt or "[" in alt:
        return None
    return Icon(alt=alt, url=image.url, words=words)


def legend_block(node: Block) -> list[Icon] | None:
    """A list whose items are all legend lines, or a paragraph whose lines all are."""
    lines: list[list[Node]] = []
    if node.type in ("bullet_list", "ordered_list"):
        for item in node.children:
            paragraphs = [kid for kid in item.children if kid.type == "paragraph"]
            if len(item.children) != 1 or len(paragraphs) != 1:
                return None
            lines.append(_inline(paragraphs[0]))
    elif node.type == "paragraph":
        current: list[Node] = []
        for part in _inline(node):
            if isinstance(part, Break):
                lines.append(current)
                current = []
            else:
                current.append(part)
        lines.append(current)
    else:
        return None
    found = [legend_line(line) for line in lines if inline.plain(line).strip()]
    if not found or any(icon is None for icon in found):
        return None
    return [icon for icon in found if icon is not None]


def _inline(node: Block) -> list[Node]:
    for child in node.children:
        if child.type == "inline" and child.token is not None:
            return inline.build(child.token.children)
    return []


def take(
    nodes: list[Node], icons: dict[str, Icon]
) -> tuple[list[Node], list[str], list[ExtraLinkDoc]]:
    """Take the legend icons out of an item, wherever they are: the item without them, their
    marker symbols, and the links that were around them (as "Source Code" extra links)."""
    symbols: list[str] = []
    extras: list[ExtraLinkDoc] = []

    def walk(parts: list[Node]) -> list[Node]:
        kept: list[Node] = []
        for node in parts:
            if isinstance(node, Image) and node.url in icons:
                symbols.append(icons[node.url].symbol)
                continue
            if isinstance(node, Link) and _only_icons(node, icons):
                symbols.extend(
                    icons[image.url].symbol for image in inline.walk_images(node.children)
                )
                if not node.url.startswith("#"):
                    extras.append(ExtraLinkDoc(label=SOURCE_CODE, url=node.url))
                continue
            if isinstance(node, Strong | Emph):
                node = type(node)(walk(node.children))
            kept.append(node)
        return inline.merge_text(kept)

    if not any(True for _ in inline.walk_images(nodes)):
        return nodes, [], []
    return walk(nodes), symbols, extras


def _only_icons(link: Link, icons: dict[str, Icon]) -> bool:
    images = False
    for child in link.children:
        if isinstance(child, Image) and child.url in icons:
            images = True
        elif not (isinstance(child, Text) and not child.value.strip()):
            return False
    return images


def leading_symbols(nodes: list[Node]) -> tuple[list[Node], list[str]]:
    """``[Name](url) :zap: ⭐ - desc``: the symbols between the title link and the separator."""
    if len(nodes) < 2 or not isinstance(nodes[0], Link | Strong | Emph):
        return nodes, []
    after = nodes[1]
    if not isinstance(after, Text) or after.literal:
        return nodes, []
    match = _LEADING.match(after.value)
    if match is None:
        return nodes, []
    words = match.group(1).split()
    symbols = []
    for word in words:
        parts = _SHORTCODE.findall(word)
        if parts and "".join(parts) == word:
            symbols.extend(parts)
        elif all(_is_symbol(char) for char in word):
            symbols.append(word.replace("\ufe0f", ""))
        else:
            return nodes, []
    rest = after.value[match.end() :]
    return [nodes[0], Text(" " + rest), *nodes[2:]], symbols


_TRAILING = re.compile(r"(?<=\S)\s+((?::[a-z0-9_+-]+:\s*)+)$")


def trailing_shortcodes(nodes: list[Node]) -> tuple[list[Node], list[str]]:
    """``[Name](url) - Heats water :fire:``: shortcodes closing the item are markers (left in
    the text, the full stop the description gets would break them: ``:fire.``)."""
    if len(nodes) < 2 or not isinstance(nodes[-1], Text) or nodes[-1].literal:
        return nodes, []
    match = _TRAILING.search(nodes[-1].value)
    if match is None:
        return nodes, []
    head = nodes[-1].value[: match.start()]
    return [*nodes[:-1], Text(head)], _SHORTCODE.findall(match.group(1))


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk") or char in "\ufe0f\u200d"
