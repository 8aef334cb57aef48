"""One list item (or table row) read as an entry: title, URL, description, extra links, markers,
tags — with separators normalised and badges set aside.

The shapes handled, from the corpus::

    [Title](url) - Description.                        the awesome style
    [Title](url) – Description / — / : / -> / none     other separators
    **[Title](url)** - Description                     a bold link
    [Title](url) ![stars](shields.io/…) - Description  a badge between link and description
    [owner/repo](url) [[crate](crates.io/…)] - …       a secondary link in brackets
    [Title](url) `⚠` - Description. ([Demo](…), [Source Code](…)) `MIT` `Go`
    [Title](url) - Description. **[Deprecated]**
    Title - Description                                no URL (a book, an IRC channel)
    Label: [a](…), [b](…)                              a label with a run of links
    https://example.org                                a bare URL (GFM autolink)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from catalog.markdown import inline, markers, punctuation, style
from catalog.markdown.document import AttributeDoc, EntryDoc, ExtraLinkDoc
from catalog.markdown.inline import Code, Emph, Image, Link, Node, Strike, Strong, Text
from catalog.markdown.report import BACK_TO_TOP, BADGE

_SEPARATOR = re.compile(
    r"^\s*(?:(?:-{1,2}|–|—|->|→|=>|:|~|\|)(?:\s+|$)|" + punctuation.SEPARATOR + ")"
)
_HEAD_SEPARATOR = re.compile(r"\s+(?:-{1,2}|–|—)\s+|:\s+|\s+(?:-|–|—)$|:$|：\s*")
_LIST_GLUE = re.compile(r"^\s*[,;]?\s*$")
_SENTENCE_END = re.compile(r"[.!?)…]$")


@dataclass(slots=True)
class Item:
    title: str
    url: str = ""
    description: str = ""
    extra_links: list[ExtraLinkDoc] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # The values of a table's extra columns (catalog.markdown.tables).
    attributes: list[AttributeDoc] = field(default_factory=list)
    linked: bool = False
    # The item is nothing but a URL (``- https://…``): it reads best as an extra link.
    bare: bool = False

    def to_entry(self) -> EntryDoc:
        return EntryDoc(
            title=self.title,
            url=self.url,
            description=self.description,
            extra_links=tuple(self.extra_links),
            markers=tuple(dict.fromkeys(self.markers)),
            tags=tuple(dict.fromkeys(self.tags)),
            attributes=tuple(self.attributes),
        )


SetAside = Callable[[str, str], None]


class ItemReader:
    """Reads items against a legend; badges go to ``set_aside(url, reason)``."""

    def __init__(self, *, symbols: set[str], set_aside: SetAside, well_known: bool = True) -> None:
        self.symbols = set(symbols) | (set(markers.WELL_KNOWN) if well_known else set())
        self.set_aside = set_aside
        self.repairs: list[str] = []

    # --- the whole item ---------------------------------------------------------------------

    def read(self, nodes: list[Node]) -> Item | None:
        nodes = _tidy(nodes)
        if not nodes:
            return None
        leading_markers: list[str] = []
        while nodes:
            symbol = self._marker_at_start(nodes)
            if symbol is None:
                break
            leading_markers.append(symbol)
            nodes = _tidy(nodes)
        nodes = self._drop_badges_at_start(nodes)
        if not nodes:
            return None
        head = _main_link(nodes[0])
        rest = nodes[1:]
        if head is None and _bracket_open(nodes):
            # "[[cdrs-tokio](https://crates.io/…)] - …": a bracketed title link.
            bracketed = nodes[1]
            assert isinstance(bracketed, Link)
            head = bracketed
            after = nodes[2]
            assert isinstance(after, Text)
            rest = ([Text(after.value[1:])] if after.value[1:] else []) + nodes[3:]
        if head is not None and not head.url.startswith("#"):
            item = self._read_linked(head, rest)
        else:
            first = nodes[0]
            if (
                leading_markers
                and isinstance(first, Text)
                and not first.literal
                and _SEPARATOR.match(first.value)
            ):
                # "`⚠` - Depends on …" is a legend line, not a marked entry.
                nodes = [Code(leading_markers.pop()), *nodes]
            item = self._read_unlinked(nodes)
        item.markers[:0] = leading_markers
        return item

    def _read_linked(self, link: Link, rest: list[Node]) -> Item:
        title = " ".join(inline.plain(link.children).split())
        url, others = _repair_url(link.url)
        item = Item(title=title or url, url=url, linked=True)
        item.bare = link.form == "bare" or title == link.url
        item.extra_links.extend(ExtraLinkDoc(label=other, url=other) for other in others)
        if url != link.url:
            self.repairs.append(f"malformed link URL repaired: {link.url}")
        if not is_absolute(url):
            # awesome-lint wants a full URL as an item's link: a relative one becomes an
            # extra link of an entry without URL.
            item.url = ""
            item.linked = False
            item.extra_links.insert(0, ExtraLinkDoc(label="Link", url=url))
            self.repairs.append(f"relative link kept as an extra link: {url}")
        rest = self._leading_zone(item, rest)
        rest = _drop_separator(rest)
        self._finish(item, rest)
        return item

    def _read_unlinked(self, nodes: list[Node]) -> Item:
        head, rest = _split_head(nodes)
        head, head_links = _lift_links(head)
        title = " ".join(inline.plain(head).split())
        item = Item(title=title)
        # Links inside the text of an item without a title link ("Also [a guide](…) for …")
        # are kept as its extra links; the words stay in the title.
        item.extra_links.extend(_extra(link) for link in head_links)
        if rest and _only_links(rest):
            # "Communities: [a](…), [b](…)": a label with links reads as the links of an entry.
            for node in rest:
                if isinstance(node, Link):
                    item.extra_links.append(_extra(node))
            return item
        self._finish(item, rest)
        return item

    def _finish(self, item: Item, rest: list[Node]) -> None:
        rest = self._trailing(item, self._drop_decoration(_tidy(rest)))
        while rest:
            symbol = self._marker_at_start(rest)
            if symbol is None:
                break
            item.markers.append(symbol)
            rest = _tidy(rest)
        text = inline.render(inline.strip(rest)).strip()
        if text in (".", "-", ":"):
            text = ""
        item.description = style.description(text, title=item.title)

    # --- pieces -------------------------------------------------------------------------------

    def _leading_zone(self, item: Item, rest: list[Node]) -> list[Node]:
        """Between the title link and the separator: markers, badges, secondary links."""
        rest = list(rest)
        while rest:
            rest = _tidy_start(rest)
            if not rest:
                break
            first = rest[0]
            if _is_badge(first):
                self._badge(first)
                rest.pop(0)
                continue
            symbol = self._marker_at_start(rest)
            if symbol is not None:
                item.markers.append(symbol)
                continue
            if self._bracketed_link(item, rest):
                continue
            break
        return rest

    def _bracketed_link(self, item: Item, rest: list[Node]) -> bool:
        """``[[crate](…)]`` or ``([Docs](…))`` right after the title: secondary links."""
        if len(rest) < 3 or not isinstance(rest[0], Text) or rest[0].literal:
            return False
        opening = rest[0].value.strip()
        if opening not in ("[", "("):
            return False
        closing = "]" if opening == "[" else ")"
        links: list[Link] = []
        index = 1
        while index < len(rest) and isinstance(rest[index], Link):
            link = rest[index]
            assert isinstance(link, Link)
            links.append(link)
            index += 1
            after = rest[index] if index < len(rest) else None
            if not isinstance(after, Text) or after.literal:
                return False
            if after.value.startswith(closing):
                remainder = after.value[1:]
                del rest[: index + 1]
                if remainder:
                    rest.insert(0, Text(remainder))
                item.extra_links.extend(_extra(link) for link in links)
                return True
            if not _LIST_GLUE.match(after.value):
                return False
            index += 1
        return False

    def _trailing(self, item: Item, rest: list[Node]) -> list[Node]:
        """Peel badges, tags, markers and the extra-links group off the end, in any order."""
        extras: list[ExtraLinkDoc] = []
        tags: list[str] = []
        trailing_markers: list[str] = []
        changed = True
        while changed and rest:
            changed = False
            rest = _tidy_end(rest)
            if not rest:
                break
            last = rest[-1]
            if _is_badge(last):
                self._badge(last)
                rest.pop()
                changed = True
                continue
            symbol = self._marker_at_end(rest)
            if symbol is not None:
                trailing_markers.insert(0, symbol)
                changed = True
                continue
            group = _paren_group(rest, Link)
            if group is not None:
                rest, links = group
                extras[:0] = [_extra(link) for link in links if isinstance(link, Link)]
                changed = True
                continue
            group = _paren_group(rest, Code)
            if group is not None:
                rest, members = group
                tags[:0] = [code.value.strip() for code in members if isinstance(code, Code)]
                changed = True
                continue
            run = _tag_run(rest)
            if run is not None:
                rest, codes = run
                tags[:0] = [code.value.strip() for code in codes]
                changed = True
        item.extra_links.extend(extras)
        item.tags.extend(tag for tag in tags if tag)
        item.markers.extend(trailing_markers)
        return rest

    def _marker_at_start(self, nodes: list[Node]) -> str | None:
        """Pop a legend symbol off the start of ``nodes`` (in place) and return it."""
        if not nodes:
            return None
        first = nodes[0]
        if isinstance(first, Code | Strong):
            symbol = markers.symbol_of(first)
            if symbol in self.symbols:
                nodes.pop(0)
                return symbol
            return None
        if isinstance(first, Text) and not first.literal:
            word, _, remainder = first.value.lstrip().partition(" ")
            symbol = markers.clean_symbol(word)
            if symbol and symbol in self.symbols:
                if remainder:
                    nodes[0] = Text(" " + remainder)
                else:
                    nodes.pop(0)
                return symbol
        return None

    def _marker_at_end(self, nodes: list[Node]) -> str | None:
        last = nodes[-1]
        if isinstance(last, Code | Strong):
            symbol = markers.symbol_of(last)
            if symbol in self.symbols:
                nodes.pop()
                return symbol
            return None
        if isinstance(last, Text) and not last.literal:
            remainder, _, word = last.value.rstrip().rpartition(" ")
            symbol = markers.clean_symbol(word)
            if symbol and symbol in self.symbols and (remainder or len(nodes) > 1):
                nodes[-1] = Text(remainder + " ")
                return symbol
        return None

    def _drop_decoration(self, nodes: list[Node]) -> list[Node]:
        """Badges anywhere in a description (build status, stars) and back-to-top links that a
        lazy continuation line pulled into the item."""
        kept: list[Node] = []
        for node in nodes:
            if isinstance(node, Strike):
                # awesome-lint allows no strikethrough in a description: keep the words.
                self.repairs.append("strikethrough removed from a description")
                kept.extend(node.children)
                continue
            if _is_badge(node):
                self._badge(node)
                continue
            link = _only_link(node)
            if (
                link is not None
                and link.url.startswith("#")
                and _BACK_TO_TOP.search(inline.plain(link.children))
            ):
                self.set_aside(link.url, BACK_TO_TOP)
                continue
            kept.append(node)
        return inline.merge_text(kept)

    def _badge(self, node: Node) -> None:
        for image in inline.walk_images([node]):
            self.set_aside(image.url, BADGE)
        for link in inline.walk_links([node]):
            self.set_aside(link.url, BADGE)

    def _drop_badges_at_start(self, nodes: list[Node]) -> list[Node]:
        while nodes and _is_badge(nodes[0]):
            self._badge(nodes.pop(0))
            nodes = _tidy(nodes)
        return nodes


# --- helpers over node lists ----------------------------------------------------------------------


def _tidy(nodes: list[Node]) -> list[Node]:
    return _tidy_end(_tidy_start(list(nodes)))


def _tidy_start(nodes: list[Node]) -> list[Node]:
    while nodes and isinstance(nodes[0], Text) and not nodes[0].literal:
        value = nodes[0].value.lstrip()
        if value:
            nodes[0] = Text(value)
            break
        nodes.pop(0)
    return nodes


def _tidy_end(nodes: list[Node]) -> list[Node]:
    while nodes and isinstance(nodes[-1], Text) and not nodes[-1].literal:
        value = nodes[-1].value.rstrip()
        if value:
            nodes[-1] = Text(value)
            break
        nodes.pop()
    return nodes


_BACK_TO_TOP = re.compile(r"back to top|⬆|↑|\^", re.IGNORECASE)


def _only_link(node: Node) -> Link | None:
    if isinstance(node, Link):
        return node
    if isinstance(node, Strong | Emph):
        inner = inline.strip(node.children)
        if len(inner) == 1 and isinstance(inner[0], Link):
            return inner[0]
    return None


def _main_link(node: Node) -> Link | None:
    """The title link: a plain link, or a link that is the only thing in bold or italics."""
    if isinstance(node, Link) and not _is_badge(node):
        return node
    if isinstance(node, Strong | Emph):
        inner = inline.strip(node.children)
        if len(inner) == 1 and isinstance(inner[0], Link) and not _is_badge(inner[0]):
            return inner[0]
    return None


def _is_badge(node: Node) -> bool:
    """An image, or a link around nothing but images (and blanks)."""
    if isinstance(node, Image):
        return True
    if isinstance(node, Link):
        # Asked several times of every node of every item: one pass, no list built.
        images = False
        for child in node.children:
            if isinstance(child, Image):
                images = True
            elif not _blank_text(child):
                return False
        return images
    return False


def _blank_text(node: Node) -> bool:
    return isinstance(node, Text) and not node.value.strip()


def _drop_separator(rest: list[Node]) -> list[Node]:
    if rest and isinstance(rest[0], Text) and not rest[0].literal:
        match = _SEPARATOR.match(rest[0].value)
        if match:
            remainder = rest[0].value[match.end() :]
            return ([Text(remainder)] if remainder else []) + rest[1:]
    return rest


def _split_head(nodes: list[Node]) -> tuple[list[Node], list[Node]]:
    """Split an item without a title link at its first separator (in plain text only)."""
    for index, node in enumerate(nodes):
        if isinstance(node, Link):
            # "Label: [a](…)": the label ends where the links begin.
            head = _tidy(nodes[:index])
            if head and isinstance(head[-1], Text) and head[-1].value.endswith(":"):
                head[-1] = Text(head[-1].value[:-1])
                return head, nodes[index:]
            continue
        if not isinstance(node, Text) or node.literal:
            continue
        match = _HEAD_SEPARATOR.search(node.value)
        if match:
            before = node.value[: match.start()]
            after = node.value[match.end() :]
            head = nodes[:index] + ([Text(before)] if before else [])
            rest = ([Text(after)] if after else []) + nodes[index + 1 :]
            if inline.plain(head).strip():
                return head, rest
    return nodes, []


def _only_links(nodes: list[Node]) -> bool:
    nodes = _tidy(list(nodes))
    if not nodes or not any(isinstance(node, Link) for node in nodes):
        return False
    for node in nodes:
        if isinstance(node, Link):
            if _is_badge(node) or node.url.startswith("#"):
                return False
        # The end may be "." or what the export writes as "." (style.punctuate): ":", ";", ",".
        elif not (isinstance(node, Text) and _LIST_GLUE.match(node.value.rstrip(".:;,"))):
            return False
    return True


def _extra(link: Link) -> ExtraLinkDoc:
    label = " ".join(inline.plain(link.children).split())
    return ExtraLinkDoc(label=label or link.url, url=link.url)


def _paren_group(
    nodes: list[Node], kind: type[Link] | type[Code]
) -> tuple[list[Node], list[Node]] | None:
    """A trailing ``(A, B)`` group whose members are all links (or all code spans)."""
    last = nodes[-1]
    if not isinstance(last, Text) or last.literal or last.value.strip() not in (")", ")."):
        return None
    members: list[Node] = []
    index = len(nodes) - 2
    while index >= 1:
        node = nodes[index]
        if not isinstance(node, kind) or (isinstance(node, Link) and _is_badge(node)):
            return None
        if isinstance(node, Link) and node.url.startswith("#"):
            return None
        members.insert(0, node)
        before = nodes[index - 1]
        if not isinstance(before, Text) or before.literal:
            return None
        if before.value.endswith("("):
            kept = before.value[:-1].rstrip()
            return nodes[: index - 1] + ([Text(kept)] if kept else []), members
        if not _LIST_GLUE.match(before.value):
            return None
        index -= 2
    return None


def _tag_run(nodes: list[Node]) -> tuple[list[Node], list[Code]] | None:
    """Trailing ```MIT` `Go``` after a finished sentence (awesome-selfhosted's licence and
    language tags). After an unfinished sentence a code span is part of the description."""
    codes: list[Code] = []
    index = len(nodes)
    while index > 0:
        node = nodes[index - 1]
        if isinstance(node, Code):
            codes.insert(0, node)
            index -= 1
        elif (
            codes
            and index >= 2
            and isinstance(node, Text)
            and not node.literal
            and not node.value.strip()
            and isinstance(nodes[index - 2], Code)
        ):
            index -= 1
        else:
            break
    if not codes:
        return None
    head = _tidy_end(list(nodes[:index]))
    if head:
        last = head[-1]
        if not (isinstance(last, Text) and _SENTENCE_END.search(last.value)):
            return None
    return head, codes


def is_absolute(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # "https://[bad/": not a link the importer can keep (issue 17)
        return False
    if parts.scheme in ("http", "https", "ftp", "ftps"):
        return bool(parts.netloc) and " " not in url
    return parts.scheme in ("mailto", "irc", "ircs", "xmpp", "magnet", "news", "tel")


_URL_IN_URL = re.compile(r"https?://[^\s\[\]()]+")


def _repair_url(url: str) -> tuple[str, list[str]]:
    """A link written ``[x]([https://a](https://b))`` has a URL holding two URLs: keep both."""
    decoded = unquote(url)
    if "[" not in decoded and "](" not in decoded:
        return url, []
    found = _URL_IN_URL.findall(decoded)
    if not found or (len(found) == 1 and "](" not in decoded and decoded.startswith(found[0])):
        # One URL with brackets in its path (``https://x.example/[a]/b``) is a URL as it is.
        return url, []
    return found[0], [other for other in found[1:] if other != found[0]]


def _bracket_open(nodes: list[Node]) -> bool:
    return (
        len(nodes) >= 3
        and isinstance(nodes[0], Text)
        and nodes[0].value.strip() == "["
        and isinstance(nodes[1], Link)
        and not _is_badge(nodes[1])
        and isinstance(nodes[2], Text)
        and nodes[2].value.startswith("]")
    )


def _lift_links(head: list[Node]) -> tuple[list[Node], list[Link]]:
    """Links of a title without a title link: ``AWS [[aws](…)]`` → ``AWS`` + the link; a link
    in running text keeps its words in the title."""
    links: list[Link] = []
    out: list[Node] = []
    index = 0
    while index < len(head):
        node = head[index]
        if (
            isinstance(node, Link)
            and not _is_badge(node)
            and out
            and isinstance(out[-1], Text)
            and out[-1].value.endswith("[")
            and index + 1 < len(head)
            and isinstance(head[index + 1], Text)
            and head[index + 1].value.startswith("]")  # type: ignore[union-attr]
        ):
            links.append(node)
            out[-1] = Text(out[-1].value[:-1])
            following = head[index + 1]
            assert isinstance(following, Text)
            out.append(Text(following.value[1:]))
            index += 2
            continue
        links.extend(link for link in inline.walk_links([node]) if not _is_badge(link))
        if isinstance(node, Link) and node.form == "bare" and any(inline.plain(out).split()):
            # A bare URL in a title would be linked again on the next import: it stays only
            # as the extra link.
            index += 1
            continue
        out.extend(_unwrap_links([node]))
        index += 1
    return out, [link for link in links if not link.url.startswith("#")]


def _unwrap_links(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Link):
            out.extend(_unwrap_links(node.children))
        elif isinstance(node, Strong | Emph):
            out.append(type(node)(_unwrap_links(node.children)))
        else:
            out.append(node)
    return out
