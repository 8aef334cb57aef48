"""The entries listing (``GET /api/entries/``) serialised from plain rows, in one pass.

``EntrySerializer`` describes an entry (schema.yml is written from it, and the single-entry
and write endpoints answer with it); building a page of 500 entries through it costs a model
instance, a prefetch queryset per relation and a ModelSerializer walk per entry. A page is read
here as the README export reads a list (``catalog.published``): one ``values()`` query for the
page's rows with their one-to-one neighbours (section, list, link health, repository) joined,
then one query for the to-many relations of the page's ids (placements, markers, tags and
extra links, a UNION ALL: one round trip, not four), grouped in Python. The output is the
serializer's, field for field and value for value: ``tests/catalog/api/test_entry_rows.py``
compares the two on the same entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import F, QuerySet, Value
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
    "lead_in",
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

# Extra queries of a page, whatever its size: one for placements, markers, tags and extra links
# together; none for an empty page.
RELATION_QUERIES = 1

# DRF's own field, so that a time reads exactly as the serializer writes it (current time
# zone, ISO 8601, "Z" for UTC).
_DATETIME = serializers.DateTimeField()


def _time(value: Any) -> str | None:
    return _DATETIME.to_representation(value) if value is not None else None


class EntryRows:
    """A filtered, ordered entry queryset as a paginator reads it: ``count()``, and a slice as
    dicts of ``ENTRY_COLUMNS``.

    A slice picks its ids in a subquery sorted on narrow rows, then reads the wide columns (and
    the joined list, section, link health and repository) of those ids only: sorting the whole
    list's joined rows to keep 50 of them cost awesome-go's first page 6.8 ms in PostgreSQL and
    its last 13 ms, the narrow sort 2.6 and 3.5 ms (EXPLAIN ANALYZE, best of 12). Still one
    query. A DISTINCT queryset (the tag and marker filters) is sliced as it is: its subquery
    would carry the sort columns too.
    """

    ordered = True  # for the paginator's check

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        queryset = self.queryset
        if queryset.query.distinct:
            return list(queryset.values(*ENTRY_COLUMNS)[index])
        page = queryset.model._default_manager.filter(pk__in=queryset.values("pk")[index])
        return list(page.order_by(*queryset.query.order_by).values(*ENTRY_COLUMNS))


def entry_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``EntrySerializer(many=True).data`` for ``rows``: dicts of ``ENTRY_COLUMNS`` (a page of
    ``Entry.objects.values(*ENTRY_COLUMNS)``), in their order."""
    if not rows:
        return []
    placed, markers, tags, links = _relations([row["pk"] for row in rows])
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
            "tags": [name for name, _ in tags.get(row["pk"], none)],
            "extra_links": [
                {"label": label, "url": url} for label, url in links.get(row["pk"], none)
            ],
            "attributes": [
                {"label": str(item["label"]), "value": str(item["value"])}
                for item in row["attributes"] or ()
            ],
            "lead_in": row["lead_in"],
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


PLACEMENT, MARKER, TAG, LINK = range(4)
# Per relation row: the entry, the kind, an id, two texts, then what it is ordered by within its
# entry (a text, then three numbers) — the ordering each relation has in EntrySerializer.
_COLUMNS = ("e", "kind", "n", "a", "b", "k0", "k1", "k2", "k3")


def _relations(ids: list[int]) -> tuple[dict[int, list[tuple[Any, ...]]], ...]:
    """The placements, markers, tags and extra links of the entries ``ids``, grouped by entry,
    in one query (a UNION ALL of four, ordered by kind, then each one's own order)."""

    def rows(queryset: QuerySet, **columns: Any) -> QuerySet:
        return queryset.order_by().annotate(**columns).values_list(*_COLUMNS)

    zero, blank = Value(0), Value("")
    placements = rows(  # the further sections, in tree order
        EntryPlacement.objects.filter(entry_id__in=ids),
        e=F("entry_id"),
        kind=Value(PLACEMENT),
        n=F("section_id"),
        a=blank,
        b=blank,
        k0=F("section__tree_path"),
        k1=zero,
        k2=zero,
        k3=F("pk"),
    )
    markers = rows(  # Marker's own ordering, which a prefetch of Entry.markers follows
        Entry.markers.through.objects.filter(entry_id__in=ids),
        e=F("entry_id"),
        kind=Value(MARKER),
        n=zero,
        a=F("marker__symbol"),
        b=F("marker__slug"),
        k0=blank,
        k1=F("marker__curated_list_id"),
        k2=F("marker__position"),
        k3=F("marker_id"),
    )
    tags = rows(  # in tagging order, as the README export lists them
        TaggedEntry.objects.filter(content_object_id__in=ids),
        e=F("content_object_id"),
        kind=Value(TAG),
        n=zero,
        a=F("tag__name"),
        b=blank,
        k0=blank,
        k1=zero,
        k2=zero,
        k3=F("pk"),
    )
    links = rows(  # ExtraLink's own ordering
        ExtraLink.objects.filter(entry_id__in=ids),
        e=F("entry_id"),
        kind=Value(LINK),
        n=zero,
        a=F("label"),
        b=F("url"),
        k0=blank,
        k1=zero,
        k2=F("position"),
        k3=F("pk"),
    )
    combined = placements.union(markers, tags, links, all=True).order_by(
        "kind", "k0", "k1", "k2", "k3"
    )
    grouped: tuple[dict[int, list[tuple[Any, ...]]], ...] = tuple(
        defaultdict(list) for _ in range(4)
    )
    for entry_id, kind, number, first, second, *_ in combined:
        grouped[kind][entry_id].append((number,) if kind == PLACEMENT else (first, second))
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
