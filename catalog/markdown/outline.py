"""The headings of the exported README in order, with the anchors GitHub gives them.

The renderer writes the table of contents from it, and the importer uses it to know which
anchors the table of contents will already link (a second link to one is a duplicate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.markdown.document import ListDoc, SectionDoc
from catalog.markdown.licences import is_licence_title
from catalog.markdown.slugs import Slugger

MAX_HEADING_LEVEL = 6
# The Contributing section of the README always opens with this line (the importer removes it,
# so that the list's own text round-trips).
CONTRIBUTING_POINTER = (
    "Contributions welcome! Read the [contribution guidelines](contributing.md) first."
)
# awesome-lint's table-of-contents rule skips these top-level headings.
TOC_DENYLIST = frozenset({"Contributing", "Footnotes", "Related Lists"})
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    title: str
    anchor: str
    section: SectionDoc | None = None
    in_toc: bool = False


def readme_footer(doc: ListDoc) -> list[tuple[str, str]]:
    """Footer blocks that go into the README (the licence goes to its own file)."""
    return [(block.title, block.body) for block in doc.footer if not is_licence_title(block.title)]


def outline(doc: ListDoc, *, title_text: str) -> list[Heading]:
    slugger = Slugger()
    headings = [Heading(1, title_text, slugger.slug(title_text))]
    toc_wanted = has_toc(doc)
    if toc_wanted:
        headings.append(Heading(2, "Contents", slugger.slug("Contents")))

    def walk(sections: tuple[SectionDoc, ...], level: int, parent_in_toc: bool) -> None:
        for section in sections:
            if level == 2:
                in_toc = toc_wanted and section.title not in TOC_DENYLIST
            else:
                # The contents go as deep as the headings do (deeper sections are group items).
                in_toc = level <= MAX_HEADING_LEVEL and parent_in_toc
            headings.append(
                Heading(
                    min(level, MAX_HEADING_LEVEL),
                    section.title,
                    slugger.slug(section.title),
                    section,
                    in_toc,
                )
            )
            walk(section.children, level + 1, in_toc)

    walk(doc.sections, 2, toc_wanted)
    for title, body in readme_footer(doc):
        headings.append(
            Heading(2, title, slugger.slug(title), None, toc_wanted and title not in TOC_DENYLIST)
        )
        for level, text in headings_in(body):
            headings.append(Heading(level, text, slugger.slug(text)))
    return headings


def has_toc(doc: ListDoc) -> bool:
    """A Contents block needs at least one top-level heading it may list."""
    titles = [section.title for section in doc.sections]
    titles += [title for title, _ in readme_footer(doc)]
    return any(title not in TOC_DENYLIST for title in titles)


def headings_in(markdown: str) -> list[tuple[int, str]]:
    found = []
    fence = ""
    for line in markdown.split("\n"):
        match = _FENCE.match(line.strip())
        if match:
            fence = "" if fence and match.group(1)[0] == fence[0] else (fence or match.group(1))
            continue
        if fence:
            continue
        heading = _ATX.match(line)
        if heading:
            found.append((len(heading.group(1)), heading.group(2)))
    return found
