"""The one markdown-it configuration every module parses with: CommonMark, raw HTML allowed,
GFM tables and strikethrough — what GitHub and awesome-lint (remark-gfm) read."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Escapes and entities stay separate tokens, so that ``\-`` in a title is not a separator.
MD.disable("text_join")


def parse_tree(text: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(MD.parse(text))
