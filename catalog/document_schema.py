"""The JSON Schema of the list document (version 4), the one written to
``docs/list-document.schema.json`` (a test keeps the two equal) and served, as components,
in the OpenAPI schema of ``/api/lists/<slug>/document/``.

It sticks to what JSON Schema and OpenAPI 3.0 share (``enum`` rather than ``const``, no
``$schema`` inside the OpenAPI copy), so one definition serves both.
"""

from __future__ import annotations

import copy
from typing import Any

from catalog.document_json import COLUMN_ROLES, ORDERINGS, VERSION


def _object(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _array(ref: str, description: str) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": {"$ref": f"#/$defs/{ref}"}}


def _strings(description: str) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": {"type": "string"}}


DEFS: dict[str, dict[str, Any]] = {
    "marker": _object(
        "One symbol of the list's legend.",
        {
            "symbol": _text("As it reads, without Markdown escapes: ⭐, ⚠, :star:."),
            "slug": _text("Used in URLs and filters, e.g. must-read."),
            "label": _text("What the marker means; may be empty."),
        },
    ),
    "extraLink": _object(
        'A secondary link of an entry, such as "Demo" or "Source Code".',
        {"label": _text("The link's text."), "url": _text("The link's target.")},
    ),
    "attribute": _object(
        "A labelled value of an entry: one cell of a table's extra column.",
        {
            "label": _text("The column's heading, e.g. Auth; unique within the entry."),
            "value": _text("Inline Markdown on one line, e.g. `apiKey`, Yes, a link or an icon."),
        },
    ),
    "column": _object(
        "One column of a section written as a table, in the table's order.",
        {
            "label": _text("The column's heading as written."),
            "role": {
                "type": "string",
                "enum": list(COLUMN_ROLES),
                "description": "What the cells hold: the entry's title link, its description "
                "(with markers and extra links), its tags, or the attribute of this label.",
            },
        },
    ),
    "entry": _object(
        "One item of a section, in README order.",
        {
            "title": _text("Plain text."),
            "url": _text("May be empty (a book, an IRC channel)."),
            "description": _text("Inline Markdown on one line."),
            "extra_links": _array("extraLink", "In order."),
            "markers": _strings("Symbols of the list's legend, in order."),
            "tags": _strings("Short plain strings (licence, language), in order."),
            "attributes": _array("attribute", "Values of table columns, in column order."),
            "also_in": _strings(
                "An entry placed in several sections is shown in full in each; this names the "
                "other sections showing it, by slug path (parent/child), in README order. "
                "Empty for most entries."
            ),
            "lead_in": _text(
                "Markdown the README shows right before this entry, where the section has text "
                "between two of its lists; empty for most entries and for a section's first."
            ),
        },
    ),
    "section": _object(
        "A heading of the README with its entries, then its subsections.",
        {
            "title": _text("Plain text."),
            "slug": _text("Unique among its siblings."),
            "description": _text("Markdown under the heading, before the entries; may be empty."),
            "outro": _text(
                "Markdown after the entries (a closing note under the list); may be empty."
            ),
            "columns": _array(
                "column",
                "Empty for a list; otherwise the entries are written as a table of these "
                "columns (plus one per attribute label no column names).",
            ),
            "entries": _array("entry", "The published entries, in README order."),
            "children": _array("section", "Subsections, in order."),
        },
    ),
    "footerBlock": _object(
        "A trailing block of the README: Contributing, License, Code of Conduct …",
        {"title": _text("The heading."), "body": _text("Markdown.")},
    ),
}

LIST_DOCUMENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Awesome Curator list document",
    **_object(
        "Everything the README of one list shows: render_readme turns it into README.md, "
        "contributing.md and license.md, byte for byte what the CMS exports.",
        {
            "version": {
                "type": "integer",
                "enum": [VERSION],
                "description": "The document format; a reader refuses versions it does not know.",
            },
            "slug": _text("The list's slug on the CMS (not shown in the README)."),
            "title": _text("The H1 of the README."),
            "tagline": _text("One sentence under the title; may be empty."),
            "intro": _text("Markdown before the contents; may be empty."),
            "repository_url": _text("The list's own repository; may be empty."),
            "license": _text("Licence of the list's text, e.g. CC0-1.0; may be empty."),
            "ordering": {
                "type": "string",
                "enum": list(ORDERINGS),
                "description": "How entries are ordered within a section.",
            },
            "markers": _array("marker", "The legend, in order."),
            "sections": _array("section", "The section tree, in README order."),
            "footer": _array("footerBlock", "Trailing blocks, in order."),
        },
    ),
    "$defs": DEFS,
}

OPENAPI_PREFIX = "ListDocument"


def openapi_components() -> dict[str, dict[str, Any]]:
    """The schema as OpenAPI components: ``ListDocument`` and ``ListDocumentSection`` …"""
    names = {key: OPENAPI_PREFIX + key[0].upper() + key[1:] for key in DEFS}

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    "#/components/schemas/" + names[value.removeprefix("#/$defs/")]
                    if key == "$ref"
                    else rewrite(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    root = {k: v for k, v in LIST_DOCUMENT_SCHEMA.items() if k not in ("$schema", "$defs")}
    components = {OPENAPI_PREFIX: rewrite(copy.deepcopy(root))}
    components.update({names[key]: rewrite(copy.deepcopy(value)) for key, value in DEFS.items()})
    return components
