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

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from catalog.markdown import inline
from catalog.markdown.decode import clean_text
from catalog.markdown.dedupe import link_key
from catalog.markdown.document import ListDoc, iter_sections
from catalog.markdown.report import DROPPED_REASONS, ImportReport
from catalog.markdown.syntax import MD

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATTRIBUTE = re.compile(r"\b(?:href|src|srcset)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


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
        for value in _ATTRIBUTE.findall(_COMMENT.sub("", token.content)):
            found.extend(part.strip().split(" ")[0] for part in value.split(","))
        return
    if kind == "inline":
        nodes = inline.build(token.children)
        found.extend(link.url for link in inline.walk_links(nodes))
        found.extend(image.url for image in inline.walk_images(nodes))
        for child in token.children or ():
            if child.type == "html_inline":
                _collect(child, found)
        return


def source_urls(text: str) -> set[str]:
    cleaned = clean_text(text, ImportReport())
    return {url for url in urls_in_markdown(cleaned) if is_web(url)}


def _prose(doc: ListDoc) -> Iterable[str]:
    yield doc.tagline
    yield doc.intro
    for marker in doc.markers:
        yield marker.label
    for _, section in iter_sections(doc.sections):
        yield section.description
        for entry in section.entries:
            yield entry.description
    for block in doc.footer:
        yield block.body


def doc_urls(doc: ListDoc) -> set[str]:
    urls: set[str] = set()
    for _, section in iter_sections(doc.sections):
        for entry in section.entries:
            urls.add(entry.url)
            urls.update(link.url for link in entry.extra_links)
    for text in _prose(doc):
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


def account(text: str, doc: ListDoc, report: ImportReport) -> LinkAccount:
    source = source_urls(text)
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
