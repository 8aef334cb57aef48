"""The one markdown-it configuration every module parses with: CommonMark, raw HTML allowed,
GFM tables and strikethrough — what GitHub and awesome-lint (remark-gfm) read.

Two things here exist only for speed (a 10,000-entry list must import in about a second), and
neither changes what is parsed:

- ``normalizeLink`` returns plain ``http(s)://host/path`` URLs and ``#anchors`` as they are:
  markdown-it's own normalisation (mdurl parse, punycode, format, percent-encode) gives them
  back unchanged too, but took a fifth of markdown-it's time on a large list.
- ``parse_tree`` builds a light block tree (``Block``) instead of markdown-it's
  ``SyntaxTreeNode``, which also builds a node for every inline token; the importer reads
  inline content from the ``inline`` token's children (``inline.build``), never from nodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import SplitResult, urlsplit

import mdurl
from markdown_it import MarkdownIt
from markdown_it.token import Token

# A URL markdown-it's normalizeLink leaves unchanged: an http(s) URL whose host is dot-separated
# labels mdurl accepts as they are (ASCII, at most 63 characters, so punycode and mdurl's host
# splitting do nothing), followed by characters mdurl.encode keeps (letters, digits,
# ``;/?:@&=+$,-_.!~*'()#`` and ``%`` with two hex digits); or an anchor of such characters.
_UNCHANGED_LINK = re.compile(
    r"(?:https?://([A-Za-z0-9_+-]{1,63}(?:\.[A-Za-z0-9_+-]{1,63})*)(?=[/?#]|$)|#)"
    r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*"
)


def split_url(url: str) -> SplitResult:
    """``urlsplit`` that never raises: a URL it refuses (``https://[bad/``, an unbalanced
    bracketed host) is all path, with no scheme and no host (issue 17)."""
    try:
        return urlsplit(url)
    except ValueError:
        return SplitResult("", "", url, "", "")


class _MarkdownIt(MarkdownIt):
    def normalizeLink(self, url: str) -> str:
        match = _UNCHANGED_LINK.fullmatch(url)
        # mdurl drops a host longer than 255 characters.
        if match and len(match.group(1) or "") <= 255:
            return url
        return _host_as_written(url, super().normalizeLink(url))


def _host_as_written(written: str, normal: str) -> str:
    """markdown-it writes a Unicode host in its IDNA form (``例え.jp`` → ``xn--r8jz45g.jp``);
    the import keeps the host the author wrote (duplicate detection folds both forms)."""
    if written.isascii() or "xn--" not in normal.lower():
        return normal
    host = mdurl.parse(written, slashes_denote_host=True).hostname
    parsed = mdurl.parse(normal, slashes_denote_host=True)
    if not host or host.isascii() or not parsed.hostname:
        return normal
    return mdurl.format(parsed._replace(hostname=host))


MD = _MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Escapes and entities stay separate tokens, so that ``\-`` in a title is not a separator.
MD.disable("text_join")


class Block:
    """A node of the block tree: ``type`` as markdown-it's ``SyntaxTreeNode`` names it
    (``list_item`` for ``list_item_open`` … ``list_item_close``), ``token`` the token it stands
    for (the opening one of a container), ``children`` its blocks (an ``inline`` node has none:
    its content is ``token.children``)."""

    __slots__ = ("children", "token", "type")

    def __init__(self, type: str, token: Token) -> None:
        self.type = type
        self.token = token
        self.children: list[Block] = []

    @property
    def tag(self) -> str:
        return self.token.tag

    @property
    def attrs(self) -> dict[str, str | int | float]:
        return self.token.attrs

    @property
    def map(self) -> list[int] | None:
        return self.token.map

    @property
    def content(self) -> str:
        return self.token.content

    @property
    def info(self) -> str:
        return self.token.info

    @property
    def hidden(self) -> bool:
        return self.token.hidden

    def walk(self) -> Iterator[Block]:
        """This node and every block under it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


def parse_tree(text: str) -> Block:
    """The block tree of ``text`` under a ``root`` node."""
    root = Block("root", Token("root", "", 0))
    stack = [root]
    for token in MD.parse(text):
        nesting = token.nesting
        if nesting == 1:
            node = Block(token.type.removesuffix("_open"), token)
            stack[-1].children.append(node)
            stack.append(node)
        elif nesting == -1:
            stack.pop()
        else:
            stack[-1].children.append(Block(token.type, token))
    return root
