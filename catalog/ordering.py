"""How readers sort and filter a list's entries: by list order, name, stars, last activity or
date added; by licence, tag and "maintained" (issue 16, "Readers").

Everything comes from stored rows (``RepositoryInfo``: stars, last activity, archived, licence;
``Entry.published_at``), never from a forge at view time. The same rules serve two places:

- the search page (``catalog.filters``) sorts and filters its QuerySet with ``order_entries``
  and ``maintained_q``; it is also what the list page's form submits to without JavaScript;
- the cached list page carries each entry's figures as data attributes (``data_attributes``)
  and ``static/js/filter.js`` sorts and filters them in the browser, so a cached hit costs
  what it did and no variant of the page is cached per choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from catalog.querysets import stale_before

# The list's own order first: it is the default and needs no parameter.
SORTS: list[tuple[str, str]] = [
    ("", "List order"),
    ("name", "Name"),
    ("stars", "Stars"),
    ("activity", "Last activity"),
    ("added", "Date added"),
]
SORT_KEYS = frozenset(key for key, _ in SORTS if key)
LIST_ORDER = ("section__tree_path", "position", "pk")


@dataclass(frozen=True)
class RepositoryFigures:
    """What the stored metadata says of an entry's repository."""

    stars: int | None
    last_activity_at: dt.datetime | None
    archived: bool
    licence: str

    def maintained(self, cutoff: dt.datetime) -> bool:
        """Not archived and active since ``cutoff`` (``stale_before``): the list's window."""
        return (
            not self.archived
            and self.last_activity_at is not None
            and self.last_activity_at >= cutoff
        )


def figures(
    stars: int | None,
    last_activity_at: dt.datetime | None,
    archived: bool | None,
    licence: str | None,
) -> RepositoryFigures | None:
    """The figures of a joined ``repository__…`` row; None for an entry without repository
    metadata (a LEFT JOIN gives NULL in every column, ``archived`` included)."""
    if archived is None:
        return None
    return RepositoryFigures(stars, last_activity_at, archived, licence or "")


def repository_figures(entry: Any) -> RepositoryFigures | None:
    """The figures of an ``Entry`` fetched with ``select_related("repository")``."""
    info = getattr(entry, "repository", None)  # None (an AttributeError) without metadata
    if info is None:
        return None
    return RepositoryFigures(info.stars, info.last_activity_at, info.archived, info.license)


def maintained_q(now: dt.datetime | None = None) -> Q:
    """Entries whose repository is not archived and had activity within the list's window
    (``REPOSITORY_STALE_AFTER_DAYS``); entries without metadata are not known to be."""
    return Q(repository__archived=False, repository__last_activity_at__gte=stale_before(now))


def order_entries(queryset: QuerySet, sort: str) -> QuerySet:
    """``queryset`` in the reader's order; ties (and entries without the figure, last) keep
    the list's order. An unknown key leaves the queryset as it is."""
    if sort == "name":
        from django.db.models.functions import Lower

        return queryset.order_by(Lower("title"), *LIST_ORDER)
    if sort == "stars":
        return queryset.order_by(F("repository__stars").desc(nulls_last=True), *LIST_ORDER)
    if sort == "activity":
        return queryset.order_by(
            F("repository__last_activity_at").desc(nulls_last=True), *LIST_ORDER
        )
    if sort == "added":
        return queryset.order_by(F("published_at").desc(nulls_last=True), *LIST_ORDER)
    return queryset


def data_attributes(
    repository: RepositoryFigures | None,
    published_at: dt.datetime | None,
    cutoff: dt.datetime,
) -> dict[str, str]:
    """The ``data-…`` attributes the list page's script sorts and filters by; absent where
    there is no figure. Dates are ISO days (the site's time zone, as the page shows them), so
    they compare as strings."""
    found: dict[str, str] = {}
    if published_at is not None:
        found["added"] = timezone.localdate(published_at).isoformat()
    if repository is not None:
        if repository.stars is not None:
            found["stars"] = str(repository.stars)
        if repository.last_activity_at is not None:
            found["activity"] = timezone.localdate(repository.last_activity_at).isoformat()
        if repository.licence:
            found["licence"] = repository.licence
        if repository.maintained(cutoff):
            found["maintained"] = "1"
    return found
