"""Search of a list's entries by title, description and URL.

PostgreSQL: full-text search (``websearch`` syntax: words, "a phrase", -not) on the stored
``search_document`` column (migration 0013: title above description above URL), matched
through its GIN index and ranked on the same stored vector. SQLite: every word must appear in
one of the three (case-insensitive substring), in list order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.db.models import Expression, Q, QuerySet

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10


def normalize_query(query: str) -> str:
    """The query as it is searched: whitespace collapsed, at most MAX_QUERY_LENGTH long."""
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def search_entries(queryset: QuerySet, query: str) -> QuerySet:
    query = normalize_query(query)
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        return _full_text(queryset, query)
    condition = Q()
    for word in query.split()[:MAX_WORDS]:
        word = word.strip('"')
        if word:
            condition &= (
                Q(title__icontains=word) | Q(description__icontains=word) | Q(url__icontains=word)
            )
    return queryset.filter(condition)


class SearchDocument(Expression):
    """The entry's stored ``search_document`` column (PostgreSQL only, not a model field: see
    migration 0013), under whatever alias the query gives the entry table."""

    def __init__(self, alias: str | None = None) -> None:
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.alias = alias

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> SearchDocument:
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map: Mapping[str, str]) -> SearchDocument:
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)  # type: ignore[arg-type]
        return clone

    def get_group_by_cols(self) -> list[Any]:
        return [self]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        assert self.alias is not None, "resolve the expression in a query first"
        return f"{compiler.quote_name_unless_alias(self.alias)}.search_document", []


def _full_text(queryset: QuerySet, query: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorExact

    search = SearchQuery(query, search_type="websearch", config="english")
    # Match with @@ (every word, phrases adjacent), then rank: a rank above zero alone would
    # also keep entries that match only part of the query.
    return (
        queryset.filter(SearchVectorExact(SearchDocument(), search))
        .annotate(search_rank=SearchRank(SearchDocument(), search))
        .order_by("-search_rank", "section__tree_path", "position", "pk")
    )
