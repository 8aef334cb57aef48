"""Which heading of a README is the list's name (issue 12, "the title").

Real lists do not always open with ``# Awesome X``:

- an **advert** comes first: a sponsor banner (``# [![Sponsor](…)](…)``, an H1 of nothing but
  images) or a short promotional heading, then the real ``# Awesome X``;
- the name is only an **image's alt text**: ``# ![Awesome X](logo.svg)`` (in HTML,
  ``<h1><img alt="Awesome X" …></h1>`` is read by the importer's HTML header rule);
- the **first section holds the tagline and the contents** (``## About`` ⏎ a sentence ⏎ the
  anchor list), as if it were the intro.

``find_title`` picks the heading, ``intro_section`` says whether the first section is the intro.
Both read the block tree only (no Django): the importer acts on the answer and reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.markdown import blocks, inline
from catalog.markdown.syntax import Block

# Alt texts that describe a picture, not a list's name.
_GENERIC_ALT = re.compile(
    r"^(logo|banner|header|image|img|icon|screenshot|sponsors?|sponsored|ad|advert\w*|"
    r"awesome|badge|hero|cover)$",
    re.IGNORECASE,
)
_AWESOME = re.compile(r"^\W*awesome\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TitleChoice:
    index: int | None  # the heading node that is the title (None: no Markdown H1 title)
    adverts: tuple[int, ...] = ()  # H1 headings before it that advertise something
    alt: str = ""  # the name, when it is only an image's alt text


def _visible(node: Block) -> list[inline.Node]:
    return [
        part
        for part in blocks.inline_nodes(node)
        if not _image_only(part) and not isinstance(part, inline.Html)
    ]


def _image_only(part: inline.Node) -> bool:
    if isinstance(part, inline.Image):
        return True
    if isinstance(part, inline.Link):
        inner = [
            c for c in part.children if not (isinstance(c, inline.Text) and not c.value.strip())
        ]
        return bool(inner) and all(isinstance(c, inline.Image) for c in inner)
    return False


def heading_text(node: Block) -> str:
    """The words of a heading without its images (badges, logos)."""
    return " ".join(inline.plain(_visible(node)).split())


def image_alt(node: Block) -> str:
    """The first alt text of a heading's images that reads as a name."""
    for image in inline.walk_images(blocks.inline_nodes(node)):
        alt = " ".join(image.alt.split())
        if alt and not _GENERIC_ALT.match(alt) and any(char.isalpha() for char in alt):
            return alt
    return ""


def find_title(nodes: list[Block]) -> TitleChoice | None:
    """The H1 that names the list among the headings that open the README; None when the
    first heading is not an H1.

    The first H1 is the title unless it is an advert and the next heading is an H1 too: a
    heading of images only (a banner), or words that do not name an awesome list before an H1
    that does (``# Get 20% off!`` ⏎ ``# Awesome Kettles``). Lists whose later H1s are sections
    keep their first H1 as the title."""
    first: tuple[int, Block] | None = None
    for index, node in enumerate(nodes):
        if node.type != "heading":
            continue
        if node.tag != "h1":
            break
        if first is None:
            first = (index, node)
            continue
        first_index, first_node = first
        first_text, text = heading_text(first_node), heading_text(node)
        banner = not first_text
        promo = bool(first_text) and not _AWESOME.match(first_text) and bool(_AWESOME.match(text))
        if text and (banner or promo):
            return TitleChoice(index=index, adverts=(first_index,))
        break
    if first is None:
        return None
    first_index, first_node = first
    if heading_text(first_node):
        return TitleChoice(index=first_index)
    return TitleChoice(index=first_index, alt=image_alt(first_node))


def intro_section(section_blocks: list[Block], *, has_children: bool) -> bool:
    """A first section that is the intro in all but place: only text (paragraphs, a quote)
    and the table of contents (a list of in-page anchors), at least one of each."""
    if has_children:
        return False
    text = contents = 0
    for node in section_blocks:
        if node.type in ("paragraph", "blockquote"):
            urls = _urls(node)
            if any(not url.startswith("#") for url in urls):
                return False  # a link of its own: the section has content
            if urls:
                return False  # anchors in prose: cross-links, not an intro
            text += 1
        elif node.type in ("bullet_list", "ordered_list"):
            urls = _urls(node)
            if not urls or any(not url.startswith("#") for url in urls):
                return False
            contents += 1
        elif node.type == "html_block":
            continue
        else:
            return False
    return text >= 1 and contents >= 1


def _urls(node: Block) -> list[str]:
    found: list[str] = []
    for child in node.walk():
        if child.type == "inline":
            found.extend(inline.link_urls(child.token.children))
    return found
