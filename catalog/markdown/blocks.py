"""Block Markdown written back canonically: the intro, section descriptions and footer bodies.

Kept prose is not copied byte for byte: the export must pass awesome-lint, which checks the
whole file (marker style, ``---`` rules, fenced code, aligned tables, no emphasis used as a
heading …). So kept blocks are re-written from the parse tree in one style, which also makes
the import of an export give back the same text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from catalog.markdown import inline
from catalog.markdown.inline import Emph, Strong
from catalog.markdown.syntax import Block

_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|>|[+*-](?=\s|$)|[=-]+\s*$|\d{1,9}[.)](?=\s|$)"
    # A table's delimiter row ("|---|---"): under a line, the two would be a table.
    r"|[|:-](?=[ \t:|-]*$)(?=.*\|)(?=.*-))"
)


Transform = Callable[[list[inline.Node]], list[inline.Node]]


def inline_nodes(node: Block, transform: Transform | None = None) -> list[inline.Node]:
    """The inline tree of a paragraph, heading or table cell (its single ``inline`` child)."""
    for child in node.children:
        if child.type == "inline":
            token = child.token
            nodes = inline.build(token.children if token is not None else None)
            return transform(nodes) if transform else nodes
    return []


def paragraph_text(nodes: Sequence[inline.Node]) -> str:
    text = inline.render(inline.strip(list(nodes)))
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        # A line that would start a list, heading, quote or setext underline must stay text.
        line = _LINE_START.sub(_escape_line_start, stripped, count=1)
        lines.append(line)
    return "\n".join(lines).strip("\n")


def escape_line_starts(markdown: str) -> str:
    """Inline Markdown kept as a paragraph: no line of it starts a block."""
    return "\n".join(
        _LINE_START.sub(_escape_line_start, line, count=1) for line in markdown.split("\n")
    )


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


def is_emphasis_only(nodes: Sequence[inline.Node]) -> bool:
    nodes = inline.strip(list(nodes))
    return len(nodes) == 1 and isinstance(nodes[0], Strong | Emph)


@dataclass(slots=True)
class _Chunk:
    markdown: str
    paragraph: bool = False
    emphasis_only: bool = False


class Prose:
    """Kept prose, block by block, written out in the canonical style."""

    def __init__(self, transform: Transform | None = None) -> None:
        self.chunks: list[_Chunk] = []
        self.transform = transform

    def add_block(self, node: Block) -> None:
        if node.type == "paragraph":
            self.add_paragraph(inline_nodes(node, self.transform))
            return
        markdown = render_block(node, self.transform)
        if markdown.strip():
            self.chunks.append(_Chunk(markdown))

    def add_paragraph(self, nodes: Sequence[inline.Node], *, first: bool = False) -> None:
        markdown = paragraph_text(nodes)
        if not markdown.strip():
            return
        chunk = _Chunk(markdown, paragraph=True, emphasis_only=is_emphasis_only(nodes))
        if first:
            self.chunks.insert(0, chunk)
        else:
            self.chunks.append(chunk)

    def add_markdown(self, markdown: str, *, paragraph: bool = False) -> None:
        if markdown.strip():
            self.chunks.append(_Chunk(markdown.strip("\n"), paragraph=paragraph))

    def markdown(self) -> str:
        out: list[str] = []
        pending: str | None = None
        for chunk in self.chunks:
            if pending is not None:
                if chunk.paragraph:
                    # awesome-lint forbids a paragraph of only bold/italic text followed by a
                    # paragraph ("emphasis used as a heading"); a hard break keeps the look.
                    out.append(pending + "\\\n" + chunk.markdown)
                    pending = None
                    continue
                out.append(pending)
                pending = None
            if chunk.emphasis_only:
                pending = chunk.markdown
            else:
                out.append(chunk.markdown)
        if pending is not None:
            if out and self.chunks[-2:-1] and self.chunks[-2].paragraph:
                # A bold line ending the text would read as the heading of what follows it.
                out[-1] = out[-1] + "\\\n" + pending
            else:
                out.append(pending)
        return "\n\n".join(out)


def render_blocks(nodes: Sequence[Block], transform: Transform | None = None) -> str:
    """Canonical Markdown for a run of block nodes, blocks separated by one blank line."""
    prose = Prose(transform)
    for node in nodes:
        prose.add_block(node)
    return prose.markdown()


def render_block(node: Block, transform: Transform | None = None) -> str:
    kind = node.type
    if kind == "paragraph":
        return paragraph_text(inline_nodes(node, transform))
    if kind == "heading":
        level = int(node.tag[1:]) if node.tag.startswith("h") else 3
        return "#" * level + " " + heading_text(inline_nodes(node, transform))
    if kind in ("bullet_list", "ordered_list"):
        return render_list(node, transform)
    if kind == "blockquote":
        inner = render_blocks(node.children, transform)
        return "\n".join(("> " + line).rstrip() for line in inner.split("\n"))
    if kind in ("fence", "code_block"):
        return fenced(node.content, node.info.strip() if kind == "fence" else "")
    if kind == "html_block":
        return node.content.rstrip("\n")
    if kind == "hr":
        return "---"
    if kind == "table":
        return render_table(node, transform)
    return ""


def heading_text(nodes: Sequence[inline.Node]) -> str:
    return inline.render(inline.one_line(inline.strip(list(nodes)))).rstrip("#").rstrip()


def fenced(content: str, info: str = "") -> str:
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,})", content, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{content.rstrip(chr(10))}\n{fence}"


def render_list(node: Block, transform: Transform | None = None) -> str:
    ordered = node.type == "ordered_list"
    start = int(node.attrs.get("start", 1) or 1) if ordered else 1
    # markdown-it hides the paragraphs of a tight list.
    loose = any(
        child.type == "paragraph" and not child.hidden
        for item in node.children
        for child in item.children
    )
    items: list[str] = []
    for number, item in enumerate(node.children, start=start):
        marker = f"{number}. " if ordered else "- "
        if loose:
            body = render_blocks(item.children, transform)
        else:
            body = "\n".join(
                part
                for part in (
                    paragraph_text(inline_nodes(child, transform))
                    if child.type == "paragraph"
                    else render_block(child, transform)
                    for child in item.children
                )
                if part
            )
        indent = " " * len(marker)
        lines = body.split("\n") if body else [""]
        first = (marker + lines[0]).rstrip()
        rest = [(indent + line) if line.strip() else "" for line in lines[1:]]
        items.append("\n".join([first, *rest]))
    return ("\n\n" if loose else "\n").join(items)


# --- tables: awesome-lint wants aligned pipes and one space of padding ------------------------


def display_width(text: str) -> int:
    """A cell's width as remark-lint's table-pipe-alignment measures it: in UTF-16 code units
    (its offsets are JavaScript string positions), so a CJK character counts 1, an emoji
    outside the BMP 2 and a variation selector 1 — not the width a terminal would show."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def table_cells(
    node: Block, transform: Transform | None = None
) -> tuple[list[list[list[inline.Node]]], list[str]]:
    """Rows of cells (header row first) and the alignment of each column."""
    rows: list[list[list[inline.Node]]] = []
    aligns: list[str] = []
    for part in node.children:  # thead, tbody
        for row in part.children:
            cells = []
            for cell in row.children:
                cells.append(inline_nodes(cell, transform))
                if part.type == "thead":
                    style = str(cell.attrs.get("style", ""))
                    aligns.append(style.removeprefix("text-align:") if style else "")
            rows.append(cells)
    return rows, aligns


def render_table(node: Block, transform: Transform | None = None) -> str:
    rows, aligns = table_cells(node, transform)
    texts = [
        [inline.render(inline.one_line(inline.strip(cell))).replace("|", "\\|") for cell in row]
        for row in rows
    ]
    return format_table(texts, aligns)


def format_table(rows: list[list[str]], aligns: list[str]) -> str:
    columns = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    aligns = (aligns + [""] * columns)[:columns]
    widths = [max(3, *(display_width(row[i]) for row in rows)) for i in range(columns)]

    def line(cells: list[str]) -> str:
        padded = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(cells)]
        return "| " + " | ".join(padded) + " |"

    rule = []
    for i, align in enumerate(aligns):
        dashes = "-" * widths[i]
        if align == "center":
            dashes = ":" + dashes[2:] + ":"
        elif align == "left":
            dashes = ":" + dashes[1:]
        elif align == "right":
            dashes = dashes[1:] + ":"
        rule.append(dashes)
    out = [line(rows[0]), "| " + " | ".join(rule) + " |"]
    out.extend(line(row) for row in rows[1:])
    return "\n".join(out)
