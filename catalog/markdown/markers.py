"""Legend markers: the small symbols lists put on entries (``⚠`` proprietary, ``**[Deprecated]**``).

A symbol is stored as it reads (``**[Deprecated]**``, ``⚠``, ``:star:``), without Markdown
escapes and without the emoji variation selector, so that ``⚠`` and ``⚠️`` and `` `⚠ ` `` are one
marker. Besides the symbols of a list's own legend, two are recognised everywhere because real
lists use them without a legend.
"""

from __future__ import annotations

import re
import unicodedata

from catalog.markdown import inline
from catalog.markdown.inline import Code, Node, Strong, Text

WELL_KNOWN = ("⚠", "**[Deprecated]**")
_SHORTCODE = re.compile(r"^:[a-z0-9_+-]+:$")


def clean_symbol(symbol: str) -> str:
    return symbol.replace("\ufe0f", "").strip()


def symbol_of(node: Node) -> str | None:
    """The symbol a node would be as a marker (not yet checked against the legend)."""
    if isinstance(node, Code):
        return clean_symbol(node.value) or None
    if isinstance(node, Text):
        return clean_symbol(node.value) or None
    if isinstance(node, Strong):
        inner = inline.plain(node.children).strip()
        return f"**{inner}**" if inner else None
    return None


def looks_like_symbol(text: str) -> bool:
    """Short enough to be a legend symbol: an emoji or two, a shortcode, a ``[Tag]``."""
    text = clean_symbol(text)
    if not text or len(text) > 24:
        return False
    if _SHORTCODE.match(text):
        return True
    bare = text.strip("*_")
    if bare.startswith("[") and bare.endswith("]") and " " not in bare.strip("[]").strip():
        return True
    return not any(char.isalnum() for char in text) and len(text) <= 4


def slug_for(symbol: str) -> str:
    """A stable slug: ``⚠`` → ``warning-sign``, ``:star:`` → ``star``, ``**[Deprecated]**`` →
    ``deprecated``."""
    symbol = clean_symbol(symbol)
    words = re.findall(r"[A-Za-z0-9]+", symbol)
    if words:
        return "-".join(word.lower() for word in words)
    names = [unicodedata.name(char, "") for char in symbol if not unicodedata.combining(char)]
    slug = "-".join(name.lower().replace(" ", "-") for name in names if name)
    return slug or "marker"


def markdown_of(symbol: str) -> str:
    """How the export writes a symbol: ``**[Deprecated]**`` needs its brackets escaped, or
    awesome-lint reads them as an undefined reference."""
    if symbol.startswith("**") and symbol.endswith("**") and len(symbol) > 4:
        return "**" + inline.escape(symbol[2:-2]) + "**"
    return inline.escape(symbol)
