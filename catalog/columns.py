"""Table columns and entry attributes as they are stored: JSON on ``Section.columns`` and
``Entry.attributes``, checked here and turned into the document's dataclasses and back.

``Entry.attributes`` is a list of ``{"label": …, "value": …}`` in column order (``value`` inline
Markdown on one line); ``Section.columns`` a list of ``{"label": …, "role": …}`` with roles
``title``, ``description``, ``tags`` and ``attribute`` (see ``catalog.markdown.tables``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from catalog.markdown.document import AttributeDoc, ColumnDoc

ROLES = ("title", "description", "tags", "attribute")
MAX_LABEL = 100
MAX_VALUE = 1000


def validate_attributes(value: Any) -> None:
    """A list of ``{"label", "value"}`` strings, labels unique; the message says what is wrong."""
    if not isinstance(value, list):
        raise ValidationError("Attributes are a list of label and value pairs.")
    seen: set[str] = set()
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"label", "value"}:
            raise ValidationError(f'Attribute {index}: give exactly a "label" and a "value".')
        label, text = item["label"], item["value"]
        if not isinstance(label, str) or not isinstance(text, str):
            raise ValidationError(f"Attribute {index}: the label and the value are text.")
        if "\n" in label or "\n" in text:
            raise ValidationError(f"Attribute {index} ({label}): one line only.")
        if len(label) > MAX_LABEL or len(text) > MAX_VALUE:
            raise ValidationError(
                f"Attribute {index} ({label[:40]}): a label holds at most {MAX_LABEL} "
                f"characters, a value {MAX_VALUE}."
            )
        if not text.strip():
            raise ValidationError(f"Attribute {index} ({label}): the value is empty.")
        if label in seen:
            raise ValidationError(f"Attribute “{label}” is given twice.")
        seen.add(label)


def validate_columns(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError("Columns are a list of label and role pairs.")
    roles: list[str] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"label", "role"}:
            raise ValidationError(f'Column {index}: give exactly a "label" and a "role".')
        if not isinstance(item["label"], str) or "\n" in item["label"]:
            raise ValidationError(f"Column {index}: the label is one line of text.")
        if item["role"] not in ROLES:
            raise ValidationError(f"Column {index}: the role is one of {', '.join(ROLES)}.")
        roles.append(item["role"])
    for role in ("title", "description", "tags"):
        if roles.count(role) > 1:
            raise ValidationError(f"Only one column may hold the {role}.")
    if roles and "title" not in roles:
        raise ValidationError("One column must hold the entries' titles (role title).")


def attribute_docs(value: list[dict[str, str]] | None) -> tuple[AttributeDoc, ...]:
    return tuple(AttributeDoc(label=item["label"], value=item["value"]) for item in value or ())


def attributes_json(attributes: tuple[AttributeDoc, ...]) -> list[dict[str, str]]:
    return [{"label": item.label, "value": item.value} for item in attributes]


def column_docs(value: list[dict[str, str]] | None) -> tuple[ColumnDoc, ...]:
    return tuple(
        ColumnDoc(label=item["label"], role=item["role"])  # type: ignore[arg-type]
        for item in value or ()
    )


def columns_json(columns: tuple[ColumnDoc, ...]) -> list[dict[str, str]]:
    return [{"label": column.label, "role": column.role} for column in columns]


def attributes_text(value: list[dict[str, str]] | None) -> str:
    """The admin's form of attributes: one ``Label: value`` per line."""
    return "\n".join(f"{item['label']}: {item['value']}" for item in value or ())


def parse_attributes_text(text: str) -> list[dict[str, str]]:
    """``Label: value`` lines back to the stored list; a line without ``:`` is refused."""
    found: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, colon, value = line.partition(":")
        if not colon:
            raise ValidationError(
                f"Line {number}: write “Label: value” (for example “Auth: apiKey”)."
            )
        found.append({"label": label.strip(), "value": value.strip()})
    validate_attributes(found)
    return found
