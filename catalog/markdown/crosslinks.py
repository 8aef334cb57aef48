"""In-page cross-links (issue 12): "see the [XML](#xml) section" in a section's text or an
entry's description.

Such a link names a heading by the anchor GitHub gave it in the source. The export writes its
own headings (titles cleaned, "Contents" generated, duplicates numbered over the new outline),
so on import the anchor is mapped to the section whose source heading had it, and the link is
stored pointing at the anchor that section's heading gets in the export (``retarget``). An
anchor that names no section is kept as the author wrote it; when the export has no heading
with that anchor either, the report says so.

The generated Contents links every section anchor, and awesome-lint's double-link rule counts
inline links outside entry descriptions: in block text (the intro, a section's text, a footer)
the renderer writes a cross-link as a reference, ``[XML][section-xml]`` with
``[section-xml]: #xml`` defined below the block, which GitHub renders as the same link and the
rule does not count (``References``). Reading the export back resolves the reference to the
same ``[XML](#xml)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from urllib.parse import unquote

from catalog.markdown import inline
from catalog.markdown.anchors import all_anchors
from catalog.markdown.blocks import Prose, inline_nodes
from catalog.markdown.document import ListDoc, SectionDoc
from catalog.markdown.inline import Emph, Link, Node, Strike, Strong
from catalog.markdown.slugs import Slugger
from catalog.markdown.syntax import MD, Block, parse_tree

REFERENCE_PREFIX = "section-"
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")


def source_anchors(root: Block) -> dict[int, str]:
    """The anchor GitHub gives each heading of the source, by ``id`` of its block node: the
    heading's text content (images add nothing, ``:shortcode:`` emoji vanish as the emoji
    would) slugged in order, so the second ``Tools`` is ``tools-1``."""
    slugger = Slugger()
    found: dict[int, str] = {}
    for node in root.walk():
        if node.type == "heading":
            text = _SHORTCODE.sub("", _text_content(inline_nodes(node)))
            found[id(node)] = slugger.slug(text)
    return found


def _text_content(nodes: Iterable[Node]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, inline.Image):
            continue
        if isinstance(node, Link | Strong | Emph | Strike):
            parts.append(_text_content(node.children))
        else:
            parts.append(inline.plain([node]))
    return "".join(parts)


def fragment(url: str) -> str | None:
    """``#XML%20x`` → ``xml x`` compared loosely (GitHub percent-decodes and matches anchors
    case-insensitively); None for a link that is not in-page."""
    if not url.startswith("#") or len(url) < 2:
        return None
    return unquote(url[1:]).lower()


def retarget(
    doc: ListDoc, targets: dict[str, str], on_unknown: Callable[[str], None] | None = None
) -> ListDoc:
    """``doc`` with each in-page link whose fragment is a key of ``targets`` (a source anchor,
    ``fragment`` form) pointing at ``#`` + its value (the export's anchor). ``on_unknown`` is
    called with each in-page link URL that names neither a source section nor an anchor of
    the export (it is kept as written)."""
    known = {anchor.lower() for anchor in all_anchors(doc)} | set(targets) if on_unknown else set()

    def link(node: Link) -> Link:
        key = fragment(node.url)
        if key is None:
            return node
        target = targets.get(key)
        if target is not None:
            return Link(f"#{target}", node.children, node.title, node.form)
        if key not in known and on_unknown is not None:
            on_unknown(node.url)
        return node

    def block(markdown: str) -> str:
        return rewrite_block(markdown, link)

    def one_line(markdown: str) -> str:
        return rewrite_inline(markdown, link)

    def section(found: SectionDoc) -> SectionDoc:
        entries = tuple(
            replace(
                entry,
                lead_in=block(entry.lead_in),
                description=one_line(entry.description),
                attributes=tuple(
                    replace(attribute, value=one_line(attribute.value))
                    for attribute in entry.attributes
                ),
            )
            for entry in found.entries
        )
        return replace(
            found,
            description=block(found.description),
            outro=block(found.outro),
            entries=entries,
            children=tuple(section(child) for child in found.children),
        )

    return replace(
        doc,
        tagline=one_line(doc.tagline),
        intro=block(doc.intro),
        markers=tuple(replace(m, label=one_line(m.label)) for m in doc.markers),
        sections=tuple(section(found) for found in doc.sections),
        footer=tuple(replace(b, body=block(b.body)) for b in doc.footer),
    )


def _may_cross_link(markdown: str) -> bool:
    # Canonical Markdown writes a link "[text](#…)", "[text](<#…>)" or as a reference.
    return "#" in markdown and "](" in markdown


def _map_links(nodes: list[Node], change: Callable[[Link], Link]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Link):
            node = change(node)
            node = Link(node.url, _map_links(node.children, change), node.title, node.form)
        elif isinstance(node, Strong | Emph | Strike):
            node = type(node)(_map_links(node.children, change))
        out.append(node)
    return out


def pointing(targets: dict[str, str]) -> Callable[[Link], Link]:
    """A link change for ``rewrite_block`` / ``rewrite_inline``: an in-page link whose fragment
    is a key of ``targets`` points at ``#`` + its value."""

    def link(node: Link) -> Link:
        key = fragment(node.url)
        target = targets.get(key) if key is not None else None
        if target is None:
            return node
        return Link(f"#{target}", node.children, node.title, node.form)

    return link


def rewrite_block(markdown: str, change: Callable[[Link], Link]) -> str:
    """Block Markdown with ``change`` applied to every link; the text itself (not re-written
    canonically) when no link changes."""
    if not markdown or not _may_cross_link(markdown):
        return markdown
    changed = False

    def transform(nodes: list[Node]) -> list[Node]:
        nonlocal changed
        result = _map_links(nodes, change)
        if list(_urls(result)) != list(_urls(nodes)) or _forms(result) != _forms(nodes):
            changed = True
        return result

    writer = Prose(transform)
    for node in parse_tree(markdown).children:
        writer.add_block(node)
    return writer.markdown() if changed else markdown


def rewrite_inline(markdown: str, change: Callable[[Link], Link]) -> str:
    """One line of inline Markdown with ``change`` applied to every link (unchanged text when
    no link changes)."""
    if not markdown or not _may_cross_link(markdown):
        return markdown
    tokens = MD.parseInline(markdown)
    nodes = inline.build(tokens[0].children if tokens else None)
    result = _map_links(nodes, change)
    if list(_urls(result)) == list(_urls(nodes)) and _forms(result) == _forms(nodes):
        return markdown
    return inline.render(result)


def _urls(nodes: Iterable[Node]) -> Iterable[str]:
    return (link.url for link in inline.walk_links(nodes))


def _forms(nodes: Iterable[Node]) -> list[str]:
    return [link.form for link in inline.walk_links(nodes)]


class References:
    """Writes the cross-links of block text as references for one README (see the module's
    docstring): each anchor is defined once, below the first block that links it."""

    def __init__(self, anchors: Iterable[str]) -> None:
        self.anchors = {f"#{anchor}" for anchor in anchors}
        self.defined: set[str] = set()

    def write(self, markdown: str) -> tuple[str, str]:
        """The block with its cross-links as references, and the definitions it adds."""
        pending: list[str] = []
        text = rewrite_block(markdown, self._as_reference(pending))
        return text, "\n".join(pending)

    def write_inline(self, markdown: str, pending: list[str]) -> str:
        """One line (an entry's description, a table cell) with its cross-links as references,
        their new definitions added to ``pending``. Where awesome-lint counts every link (a
        table cell, an item without a title link, whose first link it takes for the title
        link), a reference is not counted: the link stays a link, lint-clean."""
        return rewrite_inline(markdown, self._as_reference(pending))

    def _as_reference(self, pending: list[str]) -> Callable[[Link], Link]:
        def as_reference(node: Link) -> Link:
            if node.url not in self.anchors or node.form or node.title:
                return node
            label = REFERENCE_PREFIX + node.url[1:]
            if label not in self.defined:
                self.defined.add(label)
                pending.append(f"[{label}]: {node.url}")
            return Link(node.url, node.children, node.title, f"reference:{label}")

        return as_reference
