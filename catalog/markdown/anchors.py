"""The anchors the exported README gives its section headings, for pages that show the same list.

A link into the README (``…/README.md#csv``, a contents entry, a cross-link in a description)
then lands on the list page too. The anchors depend on every heading before a section (the
title, "Contents", earlier sections of the same name), so they are computed over the README's
whole outline, with the same preparation the renderer gives the document.
"""

from __future__ import annotations

from dataclasses import replace

from catalog.markdown import safety, style
from catalog.markdown.document import ListDoc, SectionDoc
from catalog.markdown.outline import Heading, outline


def section_anchors(doc: ListDoc) -> list[str]:
    """The README anchor of each section of ``doc``, in tree order (pre-order, as the README
    shows them). Only titles, slugs, children and footer titles matter: entries may be left out."""
    headings = _outline(doc)
    return [heading.anchor for heading in headings if heading.section is not None]


def all_anchors(doc: ListDoc) -> list[str]:
    """The anchor of every heading of the exported README: title, Contents, sections, footer
    blocks and the headings inside them."""
    return [heading.anchor for heading in _outline(doc)]


def readme_outline(doc: ListDoc) -> list[Heading]:
    """The headings of the exported README, with the anchors the renderer gives them."""
    return _outline(doc)


def _outline(doc: ListDoc) -> list[Heading]:
    prepared = safety.document(
        replace(doc, intro="", tagline="", markers=(), sections=_skeleton(doc.sections))
    )
    return outline(prepared, title_text=f"{style.title_case(prepared.title)} Awesome")


def _skeleton(sections: tuple[SectionDoc, ...]) -> tuple[SectionDoc, ...]:
    """Only what the outline reads: titles, slugs and children (a large list's entries would
    make the safety pass costly for nothing)."""
    return tuple(
        SectionDoc(title=section.title, slug=section.slug, children=_skeleton(section.children))
        for section in sections
    )
