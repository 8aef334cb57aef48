"""Sub-bullets under an entry: details of the entry above, or entries of their own.

Lists hang details of an item under it as sub-bullets::

    - [Tiny Notes](https://notes.example) - Notes in the menu bar.
      - [App Store](https://apps.example/tiny-notes)
      - ![screenshot](https://notes.example/shot.png)
      - `2024` `swift`
      - ☆ 3095
      - https://github.example/tiny/notes

Read as siblings, these would be five entries that are not entries. The rule, by shape: a
sub-item that opens with its own titled link *and* has a description after it is an entry
(a product family under its parent); anything else is a detail of the entry above:

- links (a link alone, a bare URL, a run of links, an image or a linked thumbnail) become its
  extra links; CI/shields badges are decoration and set aside as anywhere else;
- a run of inline code and nothing else becomes its tags;
- any other text (a star count, "Requires macOS 14") is a note: a sentence appended to the
  entry's description, with its links and code kept in place.

Pure: nodes in, plain data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.markdown import inline, style
from catalog.markdown.document import ExtraLinkDoc
from catalog.markdown.inline import Code, Emph, Image, Link, Node, Strong, Text
from catalog.markdown.syntax import split_url

# Glue between links of a run: "[App Store](…) | [Google Play](…)", "a, b", "a · b".
_GLUE = re.compile(r"^[\s,;|/·•–—:-]*$")
_LABEL_END = re.compile(r"[\s:–—-]+$")
_BADGE_HOSTS = (
    "shields.io",
    "badgen.net",
    "badge.fury.io",
    "travis-ci.",
    "circleci.com",
    "codecov.io",
    "coveralls.io",
    "github.com/",  # …/workflows/…/badge.svg
)


@dataclass(slots=True)
class Detail:
    """What one detail sub-item adds to the entry above it."""

    links: list[ExtraLinkDoc] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    note: str = ""
    badges: list[str] = field(default_factory=list)  # image URLs set aside as decoration

    def summary(self) -> str:
        bits = [f"link {link.label}" for link in self.links]
        bits += [f"tag {tag}" for tag in self.tags]
        if self.note:
            bits.append(f"note {self.note}")
        return ", ".join(bits) or "badge"


def is_entry(nodes: list[Node], *, parent_url: str = "") -> bool:
    """Does a sub-item read as an entry of its own? It does when it opens with a titled link
    (after markers or badges) followed by words, code, badges or a bracketed link: the shape of
    an item. A run of links is a detail; a lone titled link is a detail when its label reads
    like a link of the entry above ("App Store", "Source code", "Russian version") or its URL
    lies under the parent's (a sub-page, a subreddit); otherwise (a sub-list of its own, a
    product of the family) it stays an entry."""
    nodes = inline.strip(list(nodes))
    index = 0
    while index < len(nodes) and _leading_decoration(nodes[index]):
        index += 1
    if index >= len(nodes):
        return False
    link = _title_link(nodes[index])
    if link is None:
        return False
    title = " ".join(inline.plain(link.children).split())
    if not title or title == link.url or link.form == "bare":
        return False
    rest = inline.strip(nodes[index + 1 :])
    if not rest:
        return not (_LINK_WORDS.match(title) or _under(link.url, parent_url))
    text = "".join(inline.plain([node]) for node in rest if not isinstance(node, Link | Image))
    if any(char.isalpha() for char in text) or "[" in text:
        return True
    # Code or a badge after the title is an item's shape; only links is a run of links
    # ("[App Store](…) · [Google Play](…)").
    return any(isinstance(node, Code | Image) or _is_badge(node) for node in rest)


# Labels of links that belong to the entry above rather than being entries themselves.
_LINK_WORDS = re.compile(
    r"^(?:the |an? |on |official |)"
    r"(?:app ?store|google play|play store|f-?droid|apk|downloads?|install|source|"
    r"source code|code|repo|repository|github|gitlab|codeberg|mirror|fork|docs?|"
    r"documentation|manual|wiki|demo|live demo|website|homepage|home page|site|"
    r"screenshots?|video|slides|paper|blog|blog post|article|pypi|npm|crates\.io|"
    r"chrome|firefox|extension|changelog|releases?)"
    r"(?: (?:page|link|data|site|store|here))?$"
    r"|.* (?:version|translations?|edition|mirror)$",
    re.IGNORECASE,
)


def _under(url: str, parent_url: str) -> bool:
    """Is ``url`` a page below ``parent_url`` (same host, the parent's path as its prefix)?"""
    if not parent_url:
        return False
    here, there = split_url(url), split_url(parent_url)
    if here.netloc.removeprefix("www.").lower() != there.netloc.removeprefix("www.").lower():
        return False
    base = there.path.rstrip("/")
    return here.path.rstrip("/").startswith(base + "/") or (not base and bool(here.path.strip("/")))


def read_detail(nodes: list[Node]) -> Detail | None:
    """The detail a sub-item holds; ``None`` when it holds nothing at all."""
    nodes = inline.strip(inline.one_line(list(nodes)))
    if not nodes:
        return None
    detail = Detail()
    links: list[ExtraLinkDoc] = []
    codes: list[str] = []
    words: list[Node] = []
    for node in nodes:
        found = _links_of(node, detail)
        if found is not None:
            links.extend(found)
        elif isinstance(node, Code):
            codes.append(node.value.strip())
        else:
            words.append(node)
    text = inline.plain(words)
    if not any(char.isalnum() for char in text) and _GLUE.match(text.replace("\n", " ")):
        # Nothing but links, code spans and glue: extra links and tags.
        detail.links = links
        detail.tags = [code for code in codes if code]
        return detail if detail.links or detail.tags or detail.badges else None
    label = _LABEL_END.sub("", text.strip())
    labelled = text.strip()[-1:] in ":-–—" and 0 < len(label.split()) <= 3
    if len(links) == 1 and not codes and labelled:
        # "Source: [GitHub](…)": a labelled link.
        only = links[0]
        detail.links = [ExtraLinkDoc(label=f"{label}: {only.label}", url=only.url)]
        return detail
    # Words of their own ("☆ 3095", "Requires [Node](…) 18"): a note, links and code in place.
    kept = [node for node in nodes if not _is_badge(node)]
    note = inline.render(inline.strip(kept)).strip()
    detail.note = style.punctuate(note) if note else ""
    return detail if detail.note or detail.badges else None


def attach(
    *,
    url: str,
    description: str,
    title: str,
    extra_links: list[ExtraLinkDoc],
    tags: list[str],
    detail: Detail,
) -> str:
    """Add ``detail`` to an entry's extra links and tags (in place, without repeating a URL or
    a tag); returns the description with the note appended."""
    known = {url, *(link.url for link in extra_links)}
    for link in detail.links:
        if link.url not in known:
            known.add(link.url)
            extra_links.append(link)
    for tag in detail.tags:
        if tag not in tags:
            tags.append(tag)
    if not detail.note:
        return description
    joined = f"{description} {detail.note}".strip() if description else detail.note
    return style.description(joined, title=title)


# --- helpers -------------------------------------------------------------------------------------


def _leading_decoration(node: Node) -> bool:
    if isinstance(node, Image) or (isinstance(node, Link) and _is_badge(node)):
        return True
    if isinstance(node, Code):
        return len(node.value.strip()) <= 2  # a marker such as `⚠`
    if isinstance(node, Text):
        return not any(char.isalnum() for char in node.value)
    return False


def _title_link(node: Node) -> Link | None:
    if isinstance(node, Link) and not _is_badge(node):
        return node
    if isinstance(node, Strong | Emph):
        inner = inline.strip(node.children)
        if len(inner) == 1 and isinstance(inner[0], Link) and not _is_badge(inner[0]):
            return inner[0]
    return None


def _is_badge(node: Node) -> bool:
    """A CI or shields badge: an image (or a linked image) served by a badge host."""
    images = list(inline.walk_images([node]))
    if not images:
        return False
    return all(_badge_url(image.url) for image in images)


def _badge_url(url: str) -> bool:
    lowered = url.lower()
    return any(host in lowered for host in _BADGE_HOSTS) and (
        "badge" in lowered or "shields" in lowered or lowered.endswith(".svg")
    )


def _links_of(node: Node, detail: Detail) -> list[ExtraLinkDoc] | None:
    """The extra links a node stands for, or ``None`` when it is not a link or an image."""
    if _is_badge(node):
        detail.badges.extend(image.url for image in inline.walk_images([node]))
        detail.badges.extend(link.url for link in inline.walk_links([node]))
        return []
    if isinstance(node, Strong | Emph):
        inner = inline.strip(node.children)
        if len(inner) == 1:
            return _links_of(inner[0], detail)
        return None
    if isinstance(node, Image):
        return [ExtraLinkDoc(label=_image_label(node), url=node.url)]
    if isinstance(node, Link):
        inner = [child for child in node.children if not _blank(child)]
        if inner and all(isinstance(child, Image) for child in inner):
            image = inner[0]
            assert isinstance(image, Image)
            return [ExtraLinkDoc(label=_image_label(image), url=node.url)]
        if node.url.startswith("#"):
            return None
        label = " ".join(inline.plain(node.children).split())
        if not label or label == node.url:
            label = split_url(node.url).netloc.removeprefix("www.") or node.url
        return [ExtraLinkDoc(label=label, url=node.url)]
    return None


def _image_label(image: Image) -> str:
    alt = " ".join(image.alt.split())
    return alt[:1].upper() + alt[1:] if alt else "Screenshot"


def _blank(node: Node) -> bool:
    return isinstance(node, Text) and not node.value.strip()
