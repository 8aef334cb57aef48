"""Link accounting: no link of the source may vanish without a reason.

``source_urls`` lists the distinct http(s) URLs of a README the way a reader finds them:
Markdown links and images (reference-style ones resolved by the parser), autolinks, bare URLs
(GitHub links them) and ``href``/``src`` attributes of raw HTML, outside comments and code.
``account`` checks that each of them is in the document (entry URL, extra link, link inside
kept Markdown) or in the report (set aside as a badge, table-of-contents anchor or back-to-top
link; a duplicate; a further placement of an entry; something not understood).
``export_missing`` checks the same against the exported files, where only the three set-aside
reasons may excuse a missing URL.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from catalog.markdown import inline
from catalog.markdown.decode import clean_text
from catalog.markdown.dedupe import link_key
from catalog.markdown.document import ListDoc, iter_sections
from catalog.markdown.report import DROPPED_REASONS, ImportReport, LinkTally
from catalog.markdown.syntax import MD, Block

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Quoted either way or unquoted (``href=https://…``), as browsers read them.
_ATTRIBUTE = re.compile(
    r"\b(?:href|src|srcset)\s*=\s*(?:\"([^\"]+)\"|'([^']+)'|([^\s\"'=<>`]+))", re.IGNORECASE
)


def is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def urls_in_markdown(markdown: str) -> list[str]:
    """Every URL a Markdown text links or shows, in order (all schemes)."""
    if not markdown:
        return []
    found: list[str] = []
    for token in MD.parse(markdown):
        _collect(token, found)
    return found


def _collect(token, found: list[str]) -> None:
    kind = token.type
    if kind in ("html_block", "html_inline"):
        for groups in _ATTRIBUTE.findall(_COMMENT.sub("", token.content)):
            value = html.unescape(next(group for group in groups if group))
            # Normalised as markdown-it does a link's (html_anchors reads ``<a href>`` so).
            found.extend(MD.normalizeLink(part.strip().split(" ")[0]) for part in value.split(","))
        return
    if kind == "inline":
        # The URLs walk_links and walk_images would give of inline.build(children), read off
        # the flat token stream: building the nodes was most of the accounting's time.
        in_link = 0  # GFM links no URL inside a link's text
        for child in token.children or ():
            child_kind = child.type
            if child_kind == "link_open":
                found.append(str(child.attrGet("href") or ""))
                in_link += 1
            elif child_kind == "link_close":
                in_link -= 1
            elif child_kind == "image":
                found.append(str(child.attrGet("src") or ""))
            elif child_kind == "text" and not in_link:
                content = child.content
                if "http" in content or "HTTP" in content:
                    found.extend(
                        node.url
                        for node in inline.split_bare_urls(content)
                        if isinstance(node, inline.Link)
                    )
            elif child_kind == "html_inline":
                _collect(child, found)
        return


def source_urls(text: str, *, tree: Block | None = None) -> set[str]:
    """The distinct http(s) URLs of a README; ``tree`` is its block tree when the caller has
    parsed it already (``parse_tree`` of the cleaned text: the same tokens as here)."""
    if tree is None:
        cleaned = clean_text(text, ImportReport())
        return {url for url in urls_in_markdown(cleaned) if is_web(url)}
    found: list[str] = []
    for node in tree.walk():
        _collect(node.token, found)
    return {url for url in found if is_web(url)}


def _prose(doc: ListDoc) -> Iterable[str]:
    yield doc.tagline
    yield doc.intro
    for marker in doc.markers:
        yield marker.label
    for _, section in iter_sections(doc.sections):
        yield section.description
        for entry in section.entries:
            yield entry.lead_in
            yield entry.description
            for attribute in entry.attributes:
                yield attribute.value
        yield section.outro
    for block in doc.footer:
        yield block.body


def doc_urls(doc: ListDoc) -> set[str]:
    urls: set[str] = set()
    for _, section in iter_sections(doc.sections):
        for entry in section.entries:
            urls.add(entry.url)
            urls.update(link.url for link in entry.extra_links)
    for text in _prose(doc):
        if _may_hold_web_url(text):
            urls.update(urls_in_markdown(text))
    return {url for url in urls if is_web(url)}


def prose_link_count(doc: ListDoc) -> int:
    return sum(
        1
        for text in _prose(doc)
        if _may_hold_web_url(text)
        for url in urls_in_markdown(text)
        if is_web(url)
    )


def _may_hold_web_url(markdown: str) -> bool:
    """False when no http(s) URL can be in ``markdown``: one is spelled out (``http`` in some
    case) unless written with character references. Most entry descriptions have no link, and
    parsing each of them to find none was a tenth of importing a large list."""
    return "&" in markdown or "http" in markdown.lower()


@dataclass(frozen=True, slots=True)
class LinkAccount:
    source: frozenset[str]
    in_document: frozenset[str]
    reported: frozenset[str]
    missing: frozenset[str]


def account(
    text: str, doc: ListDoc, report: ImportReport, *, tree: Block | None = None
) -> LinkAccount:
    source = source_urls(text, tree=tree)
    in_doc = doc_urls(doc)
    reported = {item.url for item in report.set_aside}
    reported |= {dup.url for dup in report.duplicates}
    reported |= {placed.url for placed in report.placements}  # the entry's URL, spelled anew
    reported |= {url for item in report.not_understood for url in item.urls}
    missing = source - in_doc - reported
    return LinkAccount(
        frozenset(source), frozenset(in_doc), frozenset(reported), frozenset(missing)
    )


def export_missing(text: str, files: Mapping[str, str], report: ImportReport) -> set[str]:
    """Source URLs found neither in the exported files (compared as duplicate keys) nor set
    aside for one of the allowed reasons (badge, table-of-contents anchor, back-to-top)."""
    exported = {link_key(url) for body in files.values() for url in urls_in_markdown(body)}
    excused = {link_key(item.url) for item in report.set_aside if item.reason in DROPPED_REASONS}
    return {url for url in source_urls(text) if link_key(url) not in exported | excused}


def record(
    text: str, doc: ListDoc, report: ImportReport, *, tree: Block | None = None
) -> LinkTally:
    """Run ``account`` and write where each source link went into ``report.links``.

    Each distinct http(s) URL of the source counts once, in the first bucket that holds it:
    entry URL, extra link, kept prose, decoration (badge, table-of-contents anchor, back-to-top
    link), duplicate, not understood; a URL in none of them is lost.
    """
    result = account(text, doc, report, tree=tree)
    entries: set[str] = set()
    extras: set[str] = set()
    for _, section in iter_sections(doc.sections):
        for entry in section.entries:
            entries.add(entry.url)
            extras.update(link.url for link in entry.extra_links)
    decoration = {item.url for item in report.set_aside if item.reason in DROPPED_REASONS}
    duplicates = {dup.url for dup in report.duplicates}
    puzzled = {url for item in report.not_understood for url in item.urls}
    counts = dict.fromkeys(("entries", "extras", "prose", "decoration", "dup", "puzzled"), 0)
    for url in result.source:
        if url in entries:
            counts["entries"] += 1
        elif url in extras:
            counts["extras"] += 1
        elif url in result.in_document:
            counts["prose"] += 1
        elif url in decoration:
            counts["decoration"] += 1
        elif url in duplicates:
            counts["dup"] += 1
        elif url in puzzled or url in result.reported:
            counts["puzzled"] += 1
    tally = LinkTally(
        source=len(result.source),
        entries=counts["entries"],
        extra_links=counts["extras"],
        prose=counts["prose"],
        decoration=counts["decoration"],
        duplicates=counts["dup"],
        not_understood=counts["puzzled"],
        lost=tuple(sorted(result.missing)),
    )
    report.links = tally
    return tally
