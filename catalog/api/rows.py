"""The entries listing (``GET /api/entries/``) serialised from plain rows, in one pass.

``EntrySerializer`` describes an entry (schema.yml is written from it, and the single-entry
and write endpoints answer with it); building a page of 500 entries through it costs a model
instance, a prefetch queryset per relation and a ModelSerializer walk per entry. A page is read
here as the README export reads a list (``catalog.published``): one ``values()`` query for the
page's rows with their one-to-one neighbours (section, list, link health, repository) joined,
then one query per to-many relation (placements, markers, tags, extra links) over the page's
ids, grouped in Python. The output is the serializer's, field for field and value for value:
``tests/catalog/api/test_entry_rows.py`` compares the two on the same entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from rest_framework import serializers

from catalog.models import Entry, EntryPlacement, ExtraLink, TaggedEntry

# The columns of a page's query. The one-to-one rows come LEFT JOINed: a NULL in one of their
# non-null columns (state, forge) means the entry has none.
ENTRY_COLUMNS = (
    "pk",
    "curated_list__slug",
    "section_id",
    "section__title_path",
    "title",
    "url",
    "description",
    "attributes",
    "position",
    "status",
    "revision",
    "proposal_for_id",
    "publish_at",
    "published_at",
    "link_health__state",
    "link_health__status_code",
    "link_health__redirect_to",
    "link_health__error",
    "link_health__checked_at",
    "link_health__consecutive_failures",
    "repository__forge",
    "repository__full_name",
    "repository__url",
    "repository__stars",
    "repository__last_activity_at",
    "repository__archived",
    "repository__license",
    "repository__fetched_at",
)

# Extra queries of a page, whatever its size (placements, markers, tags, extra links); none
# for an empty page.
RELATION_QUERIES = 4

# DRF's own field, so that a time reads exactly as the serializer writes it (current time
# zone, ISO 8601, "Z" for UTC).
_DATETIME = serializers.DateTimeField()


def _time(value: Any) -> str | None:
    return _DATETIME.to_representation(value) if value is not None else None


def entry_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``EntrySerializer(many=True).data`` for ``rows``: dicts of ``ENTRY_COLUMNS`` (a page of
    ``Entry.objects.values(*ENTRY_COLUMNS)``), in their order."""
    if not rows:
        return []
    ids = [row["pk"] for row in rows]
    placed = _grouped(
        EntryPlacement.objects.filter(entry_id__in=ids)
        .order_by("section__tree_path", "pk")
        .values_list("entry_id", "section_id")
    )
    # Marker's own ordering, which the serializer's prefetch of ``Entry.markers`` follows.
    markers = _grouped(
        Entry.markers.through.objects.filter(entry_id__in=ids)
        .order_by("marker__curated_list", "marker__position", "marker__pk")
        .values_list("entry_id", "marker__symbol", "marker__slug")
    )
    tags = _grouped(  # in tagging order, as the README export lists them
        TaggedEntry.objects.filter(content_object_id__in=ids)
        .order_by("pk")
        .values_list("content_object_id", "tag__name")
    )
    links = _grouped(
        ExtraLink.objects.filter(entry_id__in=ids)
        .order_by("entry", "position", "pk")
        .values_list("entry_id", "label", "url")
    )
    none: list[tuple[Any, ...]] = []
    return [
        {
            "id": row["pk"],
            "list": row["curated_list__slug"],
            "section": row["section_id"],
            "section_title_path": row["section__title_path"],
            "sections": [row["section_id"], *(s for (s,) in placed.get(row["pk"], none))],
            "title": row["title"],
            "url": row["url"],
            "description": row["description"],
            "markers": [
                {"symbol": symbol, "slug": slug} for symbol, slug in markers.get(row["pk"], none)
            ],
            "tags": [name for (name,) in tags.get(row["pk"], none)],
            "extra_links": [
                {"label": label, "url": url} for label, url in links.get(row["pk"], none)
            ],
            "attributes": [
                {"label": str(item["label"]), "value": str(item["value"])}
                for item in row["attributes"] or ()
            ],
            "position": row["position"],
            "status": row["status"],
            "revision": row["revision"],
            "proposal_for": row["proposal_for_id"],
            "publish_at": _time(row["publish_at"]),
            "published_at": _time(row["published_at"]),
            "link_health": _link_health(row),
            "repository": _repository(row),
        }
        for row in rows
    ]


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows ``(entry_id, *rest)`` as ``{entry_id: [rest, …]}``, each list in query order."""
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for entry_id, *rest in rows:
        grouped[entry_id].append(tuple(rest))
    return grouped


def _link_health(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["link_health__state"] is None:
        return None
    return {
        "state": row["link_health__state"],
        "status_code": row["link_health__status_code"],
        "redirect_to": row["link_health__redirect_to"],
        "error": row["link_health__error"],
        "checked_at": _time(row["link_health__checked_at"]),
        "consecutive_failures": row["link_health__consecutive_failures"],
    }


def _repository(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["repository__forge"] is None:
        return None
    return {
        "forge": row["repository__forge"],
        "full_name": row["repository__full_name"],
        "url": row["repository__url"],
        "stars": row["repository__stars"],
        "last_activity_at": _time(row["repository__last_activity_at"]),
        "archived": row["repository__archived"],
        "license": row["repository__license"],
        "fetched_at": _time(row["repository__fetched_at"]),
    }
