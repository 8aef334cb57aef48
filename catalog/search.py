"""Search of a list's entries by title, description and URL.

PostgreSQL: full-text search (``websearch`` syntax: words, "a phrase", -not), ranked with the
title above the description above the URL. SQLite: every word must appear in one of the three
(case-insensitive substring), in list order.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10


def search_entries(queryset: QuerySet, query: str) -> QuerySet:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
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


def search_vector() -> Any:
    """The document an entry is searched by. PostgreSQL indexes this very expression (GIN,
    migration 0005), so the match is an index scan; change both together."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("description", weight="B", config="english")
        + SearchVector("url", weight="C", config="simple")
    )


def _full_text(queryset: QuerySet, query: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    vector = search_vector()
    search = SearchQuery(query, search_type="websearch", config="english")
    # Match with @@ (every word, phrases adjacent), then rank: a rank above zero alone would
    # also keep entries that match only part of the query.
    return (
        queryset.annotate(search_vector=vector, search_rank=SearchRank(vector, search))
        .filter(search_vector=search)
        .order_by("-search_rank", "section__tree_path", "position", "pk")
    )
