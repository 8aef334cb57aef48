"""Sections written as tables: what each column means on import, and the table on export.

A table such as public-apis' ::

    | API                       | Description          | Auth     | HTTPS | CORS    |
    | ------------------------- | -------------------- | -------- | ----- | ------- |
    | [Cat Facts](https://…)    | Daily cat facts      | `apiKey` | Yes   | Unknown |

is read column by column, never glued into one line:

- the **title** column is the one whose cells hold the row's first titled link (most rows
  decide); it is read with the description as a list item would be (markers, extra links);
- the **description** column is named so (Description, About, Summary, Pitch, Preview, Notes …);
  a table without one keeps its text columns as attributes (a guess from the length of the
  text would not read the export back the same way);
- a **tags** column is named for tags (Tags, Topics, Keywords …) and holds nothing but inline
  code (```MIT` `Go```);
- every other column is an **attribute**: ``AttributeDoc(label=header, value=cell)``, the cell
  kept as inline Markdown (a word, a link, an icon). A CI or shields.io badge in a cell is
  decoration (set aside as a badge, as everywhere); a column left with nothing is dropped.

The section remembers its columns (``SectionDoc.columns``, in the source's order) and the
export writes its entries back as one table in that order, aligned the way awesome-lint wants.
Entries given attributes that no column names (in the admin, say) add a column at the end; a
section whose entries have attributes but no columns is written as a table too, so no
attribute is ever lost on export. Pure functions: no Django here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from catalog.markdown import blocks, inline
from catalog.markdown.document import AttributeDoc, ColumnDoc, EntryDoc, SectionDoc
from catalog.markdown.inline import Code, Image, Link, Node, Text
from catalog.markdown.report import BADGE
from catalog.markdown.syntax import split_url

Cell = list[Node]
SetAside = Callable[[str, str], None]

_DESCRIPTION_LABEL = re.compile(
    r"^(descriptions?|desc\.?|about|summary|pitch|preview|details?|notes?|comments?|what|"
    r"what it does|what is it|purpose|info|information|overview|explanation|remarks?)$",
    re.IGNORECASE,
)
_TAGS_LABEL = re.compile(r"^(tags?|topics?|keywords?|labels?|categories)$", re.IGNORECASE)
_BADGE_HOST = re.compile(
    r"(^|\.)(shields\.io|badgen\.net|badge\.fury\.io|travis-ci\.(org|com)|circleci\.com|"
    r"codecov\.io|coveralls\.io|codeclimate\.com|appveyor\.com|deepsource\.io|snyk\.io|"
    r"pepy\.tech|badgesize\.io|gitter\.im|api\.codacy\.com|app\.codacy\.com|"
    r"img\.badgesize\.io|goreportcard\.com|bestpractices\.dev|sonarcloud\.io)$",
    re.IGNORECASE,
)
_BADGE_PATH = re.compile(r"/badges?(/|\.svg|$)|/workflows/.+\.svg|\.svg\?branch=", re.IGNORECASE)


@dataclass(slots=True)
class Row:
    """One body row: ``parts`` is what the item reader reads (title cell, then `` - `` and the
    description cell), ``attributes`` and ``tags`` come from the other columns."""

    parts: list[Node]
    attributes: list[AttributeDoc] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    columns: tuple[ColumnDoc, ...]
    rows: list[Row]
    dropped: list[str] = field(default_factory=list)  # labels of columns left empty


# --- reading ----------------------------------------------------------------------------------


def read_table(rows: Sequence[Sequence[Cell]], *, set_aside: SetAside) -> Table:
    """The columns of a table of entries (header row first) and what each body row holds."""
    header = [_label(cell) for cell in rows[0]] if rows else []
    body = [list(row) + [[]] * (len(header) - len(row)) for row in rows[1:]]
    width = max([len(header), *(len(row) for row in body)], default=0)
    header += [""] * (width - len(header))
    body = [row + [[]] * (width - len(row)) for row in body]
    cells = [[inline.strip(inline.one_line(list(cell))) for cell in row] for row in body]

    title = title_column(cells)
    description = _description_column(header, cells, title)
    tags = _tags_column(header, cells, {title, description})
    roles: list[str] = []
    for index in range(width):
        if index == title:
            roles.append("title")
        elif index == description:
            roles.append("description")
        elif index == tags:
            roles.append("tags")
        else:
            roles.append("attribute")

    labels = _unique_labels(header, roles)
    values: list[list[str]] = [[""] * width for _ in cells]
    for r, row in enumerate(cells):
        for index, cell in enumerate(row):
            if roles[index] == "attribute":
                values[r][index] = _attribute_value(cell, set_aside)
    dropped = [
        labels[index] or f"column {index + 1}"
        for index in range(width)
        if roles[index] == "attribute" and not any(values[r][index] for r in range(len(cells)))
    ]
    kept = [
        index
        for index in range(width)
        if roles[index] != "attribute" or any(values[r][index] for r in range(len(cells)))
    ]
    columns = tuple(ColumnDoc(label=labels[i], role=roles[i]) for i in kept)  # type: ignore[arg-type]

    read: list[Row] = []
    for r, row in enumerate(cells):
        parts: list[Node] = list(row[title])
        if description is not None and row[description]:
            parts += [Text(" - "), *row[description]]
        found = Row(parts=parts)
        for index in kept:
            if roles[index] == "attribute" and values[r][index]:
                found.attributes.append(AttributeDoc(label=labels[index], value=values[r][index]))
            elif roles[index] == "tags":
                found.tags.extend(
                    node.value.strip() for node in row[index] if isinstance(node, Code)
                )
        read.append(found)
    return Table(columns=columns, rows=read, dropped=dropped)


def title_column(rows: Sequence[Sequence[Cell]]) -> int:
    """The column holding most rows' first titled link (the leftmost on a tie; 0 if none)."""
    votes: Counter[int] = Counter()
    for row in rows:
        for index, cell in enumerate(row):
            if any(_titled(link) for link in inline.walk_links(cell)):
                votes[index] += 1
                break
    if not votes:
        return 0
    best = max(votes.values())
    return min(index for index, count in votes.items() if count == best)


def _titled(link: Link) -> bool:
    return not link.url.startswith("#") and bool(inline.plain(link.children).strip())


def _label(cell: Sequence[Node]) -> str:
    return " ".join(inline.plain(cell).split())


def _description_column(header: list[str], cells: list[list[Cell]], title: int) -> int | None:
    """The column named for descriptions. Only by name: a guess from the length of the text
    would, once exported, read a long attribute column back as the description."""
    return next(
        (
            index
            for index in range(len(header))
            if index != title and _DESCRIPTION_LABEL.match(header[index])
        ),
        None,
    )


def _tags_column(header: list[str], cells: list[list[Cell]], taken: set[int | None]) -> int | None:
    """The column named for tags whose cells are all inline code (``MIT`` ``Go``)."""
    for index in range(len(header)):
        if index in taken or not _TAGS_LABEL.match(header[index]):
            continue
        filled = [row[index] for row in cells if row[index]]
        if filled and all(_code_only(cell) for cell in filled):
            return index
    return None


def _code_only(cell: Cell) -> bool:
    return any(isinstance(node, Code) for node in cell) and all(
        isinstance(node, Code)
        or (isinstance(node, Text) and not node.literal and not node.value.strip(" ,"))
        for node in cell
    )


def _unique_labels(header: list[str], roles: list[str]) -> list[str]:
    labels: list[str] = []
    seen: set[str] = set()
    for label, role in zip(header, roles, strict=True):
        unique, n = label, 2
        while role == "attribute" and unique in seen:
            unique = f"{label} ({n})" if label else f"({n})"
            n += 1
        seen.add(unique)
        labels.append(unique)
    return labels


def _attribute_value(cell: Cell, set_aside: SetAside) -> str:
    kept: list[Node] = []
    for node in cell:
        if is_decoration_badge(node):
            for image in inline.walk_images([node]):
                set_aside(image.url, BADGE)
            for link in inline.walk_links([node]):
                set_aside(link.url, BADGE)
            continue
        kept.append(node)
    return inline.render(inline.strip(inline.merge_text(kept))).strip()


def is_decoration_badge(node: Node) -> bool:
    """A CI or shields.io-style badge (an image, linked or not): decoration, not an icon."""
    images: list[Image] = []
    if isinstance(node, Image):
        images = [node]
    elif isinstance(node, Link):
        for child in node.children:
            if isinstance(child, Image):
                images.append(child)
            elif not (isinstance(child, Text) and not child.value.strip()):
                return False
    if not images:
        return False
    return all(_badge_url(image.url) for image in images)


def _badge_url(url: str) -> bool:
    parts = split_url(url)
    return bool(_BADGE_HOST.search(parts.netloc) or _BADGE_PATH.search(parts.path))


# --- writing ----------------------------------------------------------------------------------


def layout(section: SectionDoc) -> tuple[ColumnDoc, ...]:
    """The columns the export writes for ``section``; empty when it is a plain list."""
    has_attributes = any(entry.attributes for entry in section.entries)
    if not section.entries or not (section.columns or has_attributes):
        return ()
    titled = sum(1 for entry in section.entries if _titled_entry(entry))
    if titled * 2 <= len(section.entries):
        # The import reads a table as entries only when most rows start with a titled link
        # (parse._read_table), and takes the column most rows have it in as the titles
        # (title_column): with fewer title links, the table would come back as prose or with
        # another column as the titles. Written as a list, it comes back as it is.
        return ()
    columns = list(section.columns)
    if not any(column.role == "title" for column in columns):
        columns.insert(0, ColumnDoc(label="Name", role="title"))
        if not any(column.role == "description" for column in columns):
            columns.insert(1, ColumnDoc(label="Description", role="description"))
    named = {column.label for column in columns if column.role == "attribute"}
    for entry in section.entries:
        for attribute in entry.attributes:
            if attribute.label not in named:
                named.add(attribute.label)
                columns.append(ColumnDoc(label=attribute.label, role="attribute"))
    return tuple(columns)


def _titled_entry(entry: EntryDoc) -> bool:
    return bool(entry.url) and not entry.url.startswith("#") and bool(entry.title.strip())


def render(
    columns: Sequence[ColumnDoc],
    entries: Sequence[EntryDoc],
    *,
    head: Callable[[EntryDoc], str],
    tail: Callable[[EntryDoc, bool], str],
) -> str:
    """The entries as a table. ``head`` writes the title (a link, or plain text), ``tail`` the
    markers, description, extra links (and, when asked, the tags) as a list item has them."""
    roles = {column.role for column in columns}
    has_description = "description" in roles
    has_tags = "tags" in roles
    rows = [[_cell(inline.escape(column.label)) for column in columns]]
    for entry in entries:
        values = {attribute.label: attribute.value for attribute in entry.attributes}
        text = tail(entry, not has_tags)
        row = []
        for column in columns:
            if column.role == "title":
                cell = head(entry)
                if text and not has_description:
                    cell += " - " + text
            elif column.role == "description":
                cell = text
            elif column.role == "tags":
                cell = " ".join(inline.code_span(tag) for tag in entry.tags)
            else:
                cell = values.get(column.label, "")
            row.append(_cell(cell))
        rows.append(row)
    return blocks.format_table(rows, [""] * len(columns))


def _cell(text: str) -> str:
    # One line (a cell cannot hold a line break); spaces inside are the author's.
    return text.replace("\n", " ").strip().replace("|", "\\|")
