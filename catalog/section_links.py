"""In-page links to a section, stored by the section they name, not by its anchor (issue 12).

A README anchor is worked out from a section's title and every heading before it: renaming a
section (or adding one of the same name above it) changes it, and a link stored as ``#glass``
would keep pointing at the old anchor. So the database stores an in-page link to a section of
the list as ``#section-<pk>``, the id the list page gives every section: the importer writes
links that way (``by_identity``); the export, the list document and a source sync's reading of
the list turn them back into the anchor the README gives that section now (``by_anchor``).
A link to an anchor that names no section (a footer heading, a typo) is stored as written.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalog.markdown import crosslinks
from catalog.markdown.anchors import section_anchors
from catalog.markdown.document import ListDoc

PREFIX = "section-"


def identity_targets(doc: ListDoc, section_pks: Sequence[int]) -> dict[str, str]:
    """README anchor (``fragment`` form) → ``section-<pk>``; ``section_pks`` in tree order."""
    targets: dict[str, str] = {}
    for anchor, pk in zip(section_anchors(doc), section_pks, strict=True):
        targets.setdefault(anchor.lower(), f"{PREFIX}{pk}")
    return targets


def by_anchor(doc: ListDoc, section_pks: Sequence[int]) -> ListDoc:
    """``doc`` (read from the database; ``section_pks`` its sections in tree order) with every
    ``#section-<pk>`` link pointing at the anchor that section's heading has in the README."""
    anchors = section_anchors(doc)
    targets = {f"{PREFIX}{pk}": anchor for anchor, pk in zip(anchors, section_pks, strict=True)}
    return crosslinks.retarget(doc, targets)


def block(markdown: str, targets: dict[str, str]) -> str:
    return crosslinks.rewrite_block(markdown, crosslinks.pointing(targets))


def one_line(markdown: str, targets: dict[str, str]) -> str:
    return crosslinks.rewrite_inline(markdown, crosslinks.pointing(targets))
