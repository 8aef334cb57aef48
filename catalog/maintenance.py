"""Markers for unmaintained projects, derived from ``RepositoryInfo`` when a list asks for them.

With ``CuratedList.mark_unmaintained`` on, an entry whose repository is archived gets the 🗄
marker and one with no commit for ``REPOSITORY_STALE_AFTER_DAYS`` gets 💤 — in the README, the
list document and the page alike, with a legend row each. They are computed when the list is
read, never stored on the entry: the repository's state is the forge's fact, not a curator's
edit, so it needs no review and leaves no revision behind.

The two markers are unsaved ``Marker`` instances with negative primary keys, so that code
keying markers by pk (the list page) keeps them apart from the list's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from catalog.models import CuratedList, Entry, Marker, RepositoryInfo
from catalog.querysets import stale_before


def derived_markers(curated_list: CuratedList, own: Iterable[Marker] = ()) -> list[Marker]:
    """The legend rows this list adds for unmaintained projects (none unless it asks), leaving
    out a symbol its own legend (``own``) already uses."""
    if not curated_list.mark_unmaintained:
        return []
    days = settings.REPOSITORY_STALE_AFTER_DAYS
    taken = {marker.symbol for marker in own}
    return [
        marker
        for marker in (
            Marker(pk=-1, symbol="🗄", slug="archived-repository", label="Archived repository."),
            Marker(
                pk=-2, symbol="💤", slug="unmaintained", label=f"No commit for over {days} days."
            ),
        )
        if marker.symbol not in taken
    ]


def markers_by_entry(
    derived: list[Marker], entries: QuerySet[Any, Any], now: dt.datetime | None = None
) -> dict[int, Marker]:
    """One query: which of the ``derived`` markers each of ``entries`` carries, if any."""
    by_pk = {marker.pk: marker for marker in derived}
    archived, stale = by_pk.get(-1), by_pk.get(-2)
    cutoff = stale_before(now)
    rows = RepositoryInfo.objects.filter(entry__in=entries).values_list(
        "entry_id", "archived", "last_activity_at"
    )
    found = {}
    for entry_id, is_archived, last_activity in rows:
        is_stale = last_activity is not None and last_activity < cutoff
        marker = archived if is_archived else stale if is_stale else None
        if marker is not None:
            found[entry_id] = marker
    return found


def filter_by_marker(queryset: QuerySet[Entry], marker: Marker) -> QuerySet[Entry]:
    """The entries that carry ``marker``, derived or the list's own."""
    if marker.pk == -1:
        return queryset.archived_repositories()  # type: ignore[attr-defined]
    if marker.pk == -2:
        return queryset.stale_repositories()  # type: ignore[attr-defined]
    return queryset.filter(markers=marker)
