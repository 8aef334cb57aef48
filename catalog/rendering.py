"""Markdown written by curators and visitors → HTML that is safe to put in a page.

Two layers, so that neither has to be perfect: markdown-it-py renders with raw HTML switched
off (``<script>`` comes out as text) and refuses ``javascript:``-style link targets; nh3 then
keeps only the tags and attributes listed here and only http(s) and mailto links. Whatever a
submitter types, nothing of it runs in a visitor's browser.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# Descriptions are one sentence: inline markup only, links marked as user-generated content.
INLINE_TAGS = {"a", "code", "em", "strong", "del", "s", "br"}
# Intros, section descriptions and footers are curators' prose: blocks, tables and badges.
BLOCK_TAGS = INLINE_TAGS | {
    "p",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}}

# Text without any of these characters renders to itself, escaped: most descriptions.
_MARKUP = re.compile(r"[\\`*_\[\]<>&!~|]|  \n|https?:|mailto:")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def is_safe_url(url: str) -> bool:
    """An absolute http(s) or mailto URL (nothing a browser would run)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return False
    return parts.scheme.lower() == "mailto" or bool(parts.netloc)


def is_in_page_link(url: str) -> bool:
    """``#glass``: a cross-link to a heading of the page (the README's anchors are the page's
    ids); a fragment alone loads and runs nothing."""
    return url.startswith("#") and not any(char.isspace() for char in url)


def _keep_safe_urls(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href" and is_in_page_link(value):
        return value
    if attribute in {"href", "src"} and not is_safe_url(value):
        return None
    return value


def _clean(markup: str, tags: set[str], *, link_rel: str) -> str:
    return nh3.clean(
        markup,
        tags=tags,
        attributes=ATTRIBUTES,
        url_schemes=set(SAFE_SCHEMES),
        attribute_filter=_keep_safe_urls,
        link_rel=link_rel,
        strip_comments=True,
    )


def render_inline(text: str) -> str:
    """One line of Markdown (an entry's description) as sanitised inline HTML."""
    if not text:
        return ""
    if not _MARKUP.search(text):
        return html.escape(text, quote=False)
    return _clean(_markdown().renderInline(text), INLINE_TAGS, link_rel="nofollow ugc noopener")


def render_block(text: str) -> str:
    """Markdown prose (an intro, a section description, a footer block) as sanitised HTML."""
    if not text.strip():
        return ""
    return _clean(_markdown().render(text), BLOCK_TAGS, link_rel="noopener")
