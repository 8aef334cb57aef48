"""Checkers for the hostile-input tests: is this HTML, feed or README inert, and is the README
still shaped as the list is?

Independent of the code under test on purpose: the HTML is read with ``html.parser`` as a
browser reads it (entities in attributes decoded), and the README is rendered by markdown-it
with raw HTML on and *every* link destination accepted — the most trusting renderer there is,
more than GitHub, whose sanitiser would hide a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

from markdown_it import MarkdownIt

# Our own pages load scripts from our static files only (and DRF's browsable API keeps its CSRF
# token in a JSON data block, which does not run).
OWN_SCRIPT = re.compile(r"^/static/|^/admin/jsi18n/$|^/api/docs/\?")
DATA_BLOCK_TYPES = {"application/json"}
RUNNING_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "applet", "animate", "set"}
# The admin draws its icons with inline SVG; in content (a README, a feed entry) none belongs.
CONTENT_ONLY_FORBIDDEN = {"svg", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data|file)\s*:", re.IGNORECASE)
ATOM = "{http://www.w3.org/2005/Atom}"


class _ActiveMarkup(HTMLParser):
    def __init__(self, *, own_scripts: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.own_scripts = own_scripts
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            own = self.own_scripts and OWN_SCRIPT.match(values.get("src", ""))
            data = values.get("type") in DATA_BLOCK_TYPES
            if not (own or data):
                self.found.append(f"<script {values}>")
        elif tag in RUNNING_ELEMENTS or (not self.own_scripts and tag in CONTENT_ONLY_FORBIDDEN):
            self.found.append(f"<{tag}>")
        elif tag == "style":
            self.found.append("<style>")
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name in URL_ATTRIBUTES:
                # As a browser reads a URL: tabs and line breaks inside are ignored.
                for url in value.split(",") if name == "srcset" else [value]:
                    if BAD_SCHEME.match(re.sub(r"[\t\r\n]", "", url)):
                        self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def active_markup(html: str, *, own_scripts: bool = True) -> list[str]:
    """What in ``html`` could run: script elements, frames, objects, SVG animation, style
    elements, event-handler attributes, javascript:/vbscript:/data:/file: URLs. Empty when
    inert. ``own_scripts``: a page of ours, whose static scripts and SVG icons are fine; off,
    for content (a README, a feed entry), where no script and no SVG or MathML belongs."""
    parser = _ActiveMarkup(own_scripts=own_scripts)
    parser.feed(html)
    parser.close()
    return parser.found


def _trusting_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


TRUSTING = _trusting_markdown()


def readme_html(markdown: str) -> str:
    return TRUSTING.render(markdown)


def readme_active_markup(markdown: str) -> list[str]:
    """What the README would run in a renderer that allows raw HTML and any link."""
    return active_markup(readme_html(markdown), own_scripts=False)


@dataclass
class Item:
    """A list item of the README: its own line's text and links (not its sub-items')."""

    text: str = ""
    hrefs: list[str] = field(default_factory=list)
    depth: int = 0


@dataclass
class Outline:
    headings: list[tuple[int, str]]
    items: list[Item]

    def items_linking(self, prefix: str) -> list[Item]:
        return [item for item in self.items if any(h.startswith(prefix) for h in item.hrefs)]


def readme_outline(markdown: str) -> Outline:
    """The headings and list items of a README, as the trusting renderer reads it."""
    headings: list[tuple[int, str]] = []
    items: list[Item] = []
    open_items: list[Item] = []
    heading_level: int | None = None
    for token in TRUSTING.parse(markdown):
        if token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "list_item_open":
            open_items.append(Item(depth=len(open_items)))
            items.append(open_items[-1])
        elif token.type == "list_item_close":
            open_items.pop()
        elif token.type == "inline":
            text, hrefs = _inline_text(token)
            if heading_level is not None:
                headings.append((heading_level, text))
                heading_level = None
            elif open_items and not open_items[-1].text:
                open_items[-1].text, open_items[-1].hrefs = text, hrefs
    return Outline(headings, items)


def _inline_text(token) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    parts: list[str] = []
    hrefs: list[str] = []
    for child in token.children or ():
        if child.type in {"text", "code_inline", "html_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "link_open":
            hrefs.append(str(child.attrGet("href") or ""))
    return "".join(parts), hrefs


def atom_active_markup(xml: bytes) -> list[str]:
    """Parse an Atom feed (it must be well-formed XML) and check its HTML bodies."""
    root = ElementTree.fromstring(xml)
    found: list[str] = []
    for entry in root.iter(f"{ATOM}entry"):
        for part in ("summary", "content"):
            element = entry.find(f"{ATOM}{part}")
            if element is not None and element.get("type") == "html":
                found += active_markup(element.text or "", own_scripts=False)
            elif element is not None and len(element):
                found.append(f"markup inside <{part}>: {list(element)}")
        title = entry.find(f"{ATOM}title")
        if title is not None and len(title):
            found.append(f"markup inside <title>: {list(title)}")
    return found
