"""The list document as JSON: a versioned serialisation of exactly ``ListDoc``, and back.

The API serves it (``/api/lists/<slug>/document/``) and ``render_readme`` reads it, so a list's
own repository can regenerate its README without the database and get the bytes the CMS
exports: ``document_from_json(document_to_json(doc)) == doc`` for every document. Its JSON
Schema is ``docs/list-document.schema.json``.

Version 2 adds ``also_in`` to each entry: an entry placed in several sections (one URL,
``catalog.markdown.placements``) appears in full in each of them, and each copy names the other
sections by their slug path (``"tools/editors"``), so a reader knows they are one entry.

Version 3 adds ``outro`` to each section: the text the README shows after the section's
entries (a closing note under the list), where ``description`` is the text before them.

Version 4 adds ``lead_in`` to each entry: the text the README shows right before it, where the
source had text between two lists of the section (empty for most entries, and always for a
section's first one, whose text is the section's ``description``).

Reading is strict: a document of another version, a missing or unknown key, or a value of the
wrong type is refused with a message naming the place (``sections[2].entries[0].url``), never
rendered into a README that silently differs.
"""

from __future__ import annotations

from typing import Any

from catalog.markdown.document import (
    AttributeDoc,
    ColumnDoc,
    EntryDoc,
    ExtraLinkDoc,
    FooterBlock,
    ListDoc,
    MarkerDef,
    SectionDoc,
)
from catalog.markdown.placements import entry_key, sections_by_entry

VERSION = 4
ORDERINGS = ("manual", "alphabetical")

JSONObject = dict[str, Any]


class DocumentError(ValueError):
    """The data is not a list document this code can render."""


# --- ListDoc → JSON ---------------------------------------------------------------------------
def document_to_json(doc: ListDoc, *, slug: str) -> JSONObject:
    """The document as JSON-ready data; ``slug`` names the list (not part of the README)."""
    return {
        "version": VERSION,
        "slug": slug,
        "title": doc.title,
        "tagline": doc.tagline,
        "intro": doc.intro,
        "repository_url": doc.repository_url,
        "license": doc.license,
        "ordering": doc.ordering,
        "markers": [{"symbol": m.symbol, "slug": m.slug, "label": m.label} for m in doc.markers],
        "sections": [
            _section_to_json(section, (), sections_by_entry(doc)) for section in doc.sections
        ],
        "footer": [{"title": block.title, "body": block.body} for block in doc.footer],
    }


def _section_to_json(
    section: SectionDoc, path: tuple[str, ...], shown_in: dict[str, list[tuple[str, ...]]]
) -> JSONObject:
    here = (*path, section.slug)
    return {
        "title": section.title,
        "slug": section.slug,
        "description": section.description,
        "outro": section.outro,
        "columns": [{"label": column.label, "role": column.role} for column in section.columns],
        "entries": [
            {
                "title": entry.title,
                "url": entry.url,
                "description": entry.description,
                "extra_links": [
                    {"label": link.label, "url": link.url} for link in entry.extra_links
                ],
                "markers": list(entry.markers),
                "tags": list(entry.tags),
                "attributes": [
                    {"label": attribute.label, "value": attribute.value}
                    for attribute in entry.attributes
                ],
                "also_in": _also_in(entry, here, shown_in),
                "lead_in": entry.lead_in,
            }
            for entry in section.entries
        ],
        "children": [_section_to_json(child, here, shown_in) for child in section.children],
    }


def _also_in(
    entry: EntryDoc, here: tuple[str, ...], shown_in: dict[str, list[tuple[str, ...]]]
) -> list[str]:
    key = entry_key(entry)
    if not key:
        return []
    return ["/".join(path) for path in shown_in.get(key, ()) if path != here]


# --- JSON → ListDoc ---------------------------------------------------------------------------
def document_from_json(data: Any) -> ListDoc:
    """A ``ListDoc`` from parsed JSON; raises ``DocumentError`` saying what is wrong and where."""
    if not isinstance(data, dict):
        raise DocumentError(f"a list document is a JSON object, not {_kind(data)}.")
    if "version" not in data:
        raise DocumentError("the document: missing version (is this a list document?).")
    version = data["version"]
    if version != VERSION:
        raise DocumentError(
            f"this is a list document of version {version!r}; this Awesome Curator reads "
            f"version {VERSION}. Upgrade it, or fetch the document from a matching server."
        )
    root = _Object(data, "", required=_LIST_KEYS, optional=())
    ordering = root.text("ordering")
    if ordering not in ORDERINGS:
        raise DocumentError(f"ordering: {ordering!r} is not one of {', '.join(ORDERINGS)}.")
    root.text("slug")
    placed: list[tuple[str, EntryDoc, tuple[str, ...], tuple[str, ...]]] = []
    doc = ListDoc(
        title=root.text("title"),
        tagline=root.text("tagline"),
        intro=root.text("intro"),
        markers=tuple(
            MarkerDef(symbol=m.text("symbol"), slug=m.text("slug"), label=m.text("label"))
            for m in root.objects("markers", ("symbol", "slug", "label"))
        ),
        sections=tuple(
            _section_from_json(s, (), placed) for s in root.objects("sections", _SECTION_KEYS)
        ),
        footer=tuple(
            FooterBlock(title=f.text("title"), body=f.text("body"))
            for f in root.objects("footer", ("title", "body"))
        ),
        repository_url=root.text("repository_url"),
        license=root.text("license"),
        ordering=ordering,  # type: ignore[arg-type]  # checked against ORDERINGS above
    )
    _check_also_in(doc, placed)
    return doc


def _check_also_in(
    doc: ListDoc, placed: list[tuple[str, EntryDoc, tuple[str, ...], tuple[str, ...]]]
) -> None:
    """Each entry's ``also_in`` must name exactly the other sections showing its URL."""
    shown_in = sections_by_entry(doc)
    for where, entry, here, also_in in placed:
        expected = tuple(_also_in(entry, here, shown_in))
        if also_in != expected:
            raise DocumentError(
                f"{where}.also_in: the document shows this entry also in "
                f"{list(expected)}, not {list(also_in)}."
            )


_LIST_KEYS = (
    "version",
    "slug",
    "title",
    "tagline",
    "intro",
    "repository_url",
    "license",
    "ordering",
    "markers",
    "sections",
    "footer",
)
_SECTION_KEYS = ("title", "slug", "description", "outro", "columns", "entries", "children")
_ENTRY_KEYS = (
    "title",
    "url",
    "description",
    "extra_links",
    "markers",
    "tags",
    "attributes",
    "also_in",
    "lead_in",
)
COLUMN_ROLES = ("title", "description", "tags", "attribute")


def _section_from_json(
    section: _Object,
    path: tuple[str, ...],
    placed: list[tuple[str, EntryDoc, tuple[str, ...], tuple[str, ...]]],
) -> SectionDoc:
    here = (*path, section.text("slug"))
    return SectionDoc(
        title=section.text("title"),
        slug=section.text("slug"),
        description=section.text("description"),
        outro=section.text("outro"),
        entries=tuple(
            _entry_from_json(e, here, placed) for e in section.objects("entries", _ENTRY_KEYS)
        ),
        columns=tuple(_column(c) for c in section.objects("columns", ("label", "role"))),
        children=tuple(
            _section_from_json(child, here, placed)
            for child in section.objects("children", _SECTION_KEYS)
        ),
    )


def _column(column: _Object) -> ColumnDoc:
    role = column.text("role")
    if role not in COLUMN_ROLES:
        raise DocumentError(
            f"{column.where}.role: {role!r} is not one of {', '.join(COLUMN_ROLES)}."
        )
    return ColumnDoc(label=column.text("label"), role=role)  # type: ignore[arg-type]


def _entry_from_json(
    e: _Object,
    here: tuple[str, ...],
    placed: list[tuple[str, EntryDoc, tuple[str, ...], tuple[str, ...]]],
) -> EntryDoc:
    entry = EntryDoc(
        title=e.text("title"),
        url=e.text("url"),
        description=e.text("description"),
        extra_links=tuple(
            ExtraLinkDoc(label=link.text("label"), url=link.text("url"))
            for link in e.objects("extra_links", ("label", "url"))
        ),
        markers=e.texts("markers"),
        tags=e.texts("tags"),
        attributes=tuple(
            AttributeDoc(label=a.text("label"), value=a.text("value"))
            for a in e.objects("attributes", ("label", "value"))
        ),
        lead_in=e.text("lead_in"),
    )
    placed.append((e.where, entry, here, e.texts("also_in")))
    return entry


class _Object:
    """One JSON object of the document, read with its place for the error messages."""

    def __init__(
        self, data: Any, where: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> None:
        if not isinstance(data, dict):
            raise DocumentError(
                f"{where or 'the document'}: expected an object, not {_kind(data)}."
            )
        missing = [key for key in required if key not in data]
        if missing:
            raise DocumentError(f"{where or 'the document'}: missing {', '.join(missing)}.")
        unknown = sorted(set(data) - set(required) - set(optional))
        if unknown:
            raise DocumentError(f"{where or 'the document'}: unknown key {', '.join(unknown)}.")
        self.data = data
        self.where = where

    def _place(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def text(self, key: str) -> str:
        value = self.data[key]
        if not isinstance(value, str):
            raise DocumentError(f"{self._place(key)}: expected a string, not {_kind(value)}.")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._array(key)
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise DocumentError(
                    f"{self._place(key)}[{index}]: expected a string, not {_kind(value)}."
                )
        return tuple(values)

    def objects(self, key: str, keys: tuple[str, ...]) -> list[_Object]:
        return [
            _Object(item, f"{self._place(key)}[{index}]", required=keys)
            for index, item in enumerate(self._array(key))
        ]

    def _array(self, key: str) -> list[Any]:
        value = self.data[key]
        if not isinstance(value, list):
            raise DocumentError(f"{self._place(key)}: expected an array, not {_kind(value)}.")
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
