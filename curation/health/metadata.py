"""Refresh ``catalog.RepositoryInfo`` from the forges: the database edge of ``forges``.

An entry's repository is its own URL when that names one, else its first extra link that
does (the "Source Code" link of an app whose URL is its homepage). Each repository is asked
about once per run however many entries point at it, and the rows are written in bulk.

Only ``RepositoryInfo`` is written: the entries themselves are not saved, so a refresh adds
no history rows and bumps no revision (an open edit form stays valid).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from catalog import pagecache
from catalog.models import CuratedList, Entry, ExtraLink, RepositoryInfo
from catalog.querysets import stale_before
from catalog.signals import list_changed
from curation.health.forges import DEFAULT_MAX_WAIT, RepoMeta, RepoRef, fetch_all, parse_repository
from curation.health.network import run_async

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = RepositoryInfo._meta.get_field("error").max_length or 500
LICENSE_MAX_LENGTH = RepositoryInfo._meta.get_field("license").max_length or 100
FIGURES = ["stars", "last_activity_at", "archived", "license", "fetched_at"]
WRITTEN = ["forge", "host", "full_name", "url", *FIGURES, "error"]


@dataclass
class MetadataSummary:
    """What a refresh found, counted per distinct repository.

    ``fetched`` repositories answered with figures; of those, ``archived`` are archived and
    ``stale`` had no push or commit since ``stale_before``. ``not_found`` answered 404,
    ``errors`` failed otherwise (their previous figures are kept), and ``skipped`` were not
    asked because their forge's rate limit ran out.
    """

    repositories: int = 0
    fetched: int = 0
    archived: int = 0
    stale: int = 0
    not_found: int = 0
    errors: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return (
            f"{self.repositories} repositories: {self.fetched} fetched, {self.archived} archived, "
            f"{self.stale} stale, {self.not_found} not found, {self.errors} errors, "
            f"{self.skipped} skipped (rate limited)."
        )


@dataclass(frozen=True)
class _Found:
    ref: RepoRef
    url: str  # the entry's URL or extra link that named the repository


def _repository_of(entry: Entry) -> _Found | None:
    links: list[ExtraLink] = getattr(entry, "repository_links", [])
    for url in [entry.url, *(link.url for link in links)]:
        ref = parse_repository(url) if url else None
        if ref is not None:
            return _Found(ref=ref, url=url)
    return None


def refresh_metadata(
    *,
    curated_list: CuratedList | None = None,
    client: httpx.AsyncClient | None = None,
    now: datetime | None = None,
    on_result: Callable[[RepoRef, RepoMeta], None] | None = None,
    max_wait: float = DEFAULT_MAX_WAIT,
) -> MetadataSummary:
    """Ask the forges about the repositories of the active entries (of one list, or all).

    A failed request keeps the figures of the last good one and records the error, so a bad
    minute of a forge does not wipe a list's stars; rows of entries that no longer point at a
    repository (or are no longer active) are deleted. ``on_result`` runs inside the event loop
    (see ``fetch_all``) and must not use the database.

    The requests run in an event loop of their own (``network.run_async``), so an injected
    ``client`` should keep no connections alive: they would be tied to a loop that is gone
    afterwards.
    """
    now = now or timezone.now()
    entries = Entry.objects.active().only("pk", "url", "curated_list_id")
    existing = RepositoryInfo.objects.all()
    if curated_list is not None:
        entries = entries.for_list(curated_list)
        existing = existing.filter(entry__curated_list=curated_list)
    entries = entries.prefetch_related(
        Prefetch(
            "extra_links",
            queryset=ExtraLink.objects.order_by("position", "pk").only("entry_id", "url"),
            to_attr="repository_links",
        )
    ).order_by("pk")

    found: dict[int, _Found] = {}
    for entry in entries:
        repository = _repository_of(entry)
        if repository is not None:
            found[entry.pk] = repository

    results = run_async(
        fetch_all(
            {f.ref for f in found.values()}, client=client, on_result=on_result, max_wait=max_wait
        )
    )
    summary = _summarise(results, now)

    previous = {info.pk: info for info in existing}
    rows = [
        _row(entry_id, f, results[f.ref], previous.get(entry_id), now)
        for entry_id, f in found.items()
    ]
    gone = [pk for pk in previous if pk not in found]
    with transaction.atomic():
        RepositoryInfo.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["entry"],
            update_fields=WRITTEN,
        )
        for start in range(0, len(gone), 500):
            RepositoryInfo.objects.filter(pk__in=gone[start : start + 500]).delete()
        # The API's cached pages of the lists show these figures (catalog.pagecache).
        if curated_list is not None:
            pagecache.invalidate(curated_list.pk)
        else:
            for list_id in CuratedList.objects.values_list("pk", flat=True):
                pagecache.invalidate(list_id)
    _lists_follow(curated_list)
    # A live entry found archived or stale shows it in its quality checklist (docs/quality.md).
    from curation.quality.runner import recheck_stored

    recheck_stored(curated_list_id=curated_list.pk if curated_list is not None else None)
    logger.info("Repository metadata%s: %s", f" of {curated_list}" if curated_list else "", summary)
    return summary


def _lists_follow(curated_list: CuratedList | None) -> None:
    """Lists that mark unmaintained projects show these figures (``catalog.maintenance``): their
    cached page, README and document are dropped, and their README regenerated. Every other
    list's page carries them too (readers sort and filter by them, ``catalog.ordering``): its
    cached pages are dropped, its README is left as it is."""
    lists = CuratedList.objects.all()
    if curated_list is not None:
        lists = lists.filter(pk=curated_list.pk)
    for listed in lists:
        if listed.mark_unmaintained:
            list_changed.send(sender=CuratedList, curated_list=listed)
        else:
            pagecache.invalidate(listed.pk)


def _row(
    entry_id: int, found: _Found, meta: RepoMeta, previous: RepositoryInfo | None, now: datetime
) -> RepositoryInfo:
    row = RepositoryInfo(
        entry_id=entry_id,
        forge=found.ref.forge,
        host=found.ref.host,
        full_name=meta.full_name or found.ref.full_name,
        url=found.url,
    )
    if meta.ok:
        row.stars = meta.stars
        row.last_activity_at = meta.last_activity_at
        row.archived = meta.archived
        row.license = meta.license[:LICENSE_MAX_LENGTH]
        row.fetched_at = now
        return row
    row.error = meta.error[:ERROR_MAX_LENGTH]
    if previous is not None and _same_repository(previous, found.ref):
        # Keep what the forge said last time; the error says these figures are not fresh.
        row.full_name = previous.full_name
        for name in FIGURES:
            setattr(row, name, getattr(previous, name))
    return row


def _same_repository(previous: RepositoryInfo, ref: RepoRef) -> bool:
    """Whether an existing row describes ``ref`` (its figures are worth keeping on an error).

    Compared through the URL the row was found at, which survives a rename that changed the
    row's ``full_name`` to the forge's new spelling.
    """
    before = parse_repository(previous.url)
    return before is not None and before.key == ref.key


def _summarise(results: dict[RepoRef, RepoMeta], now: datetime) -> MetadataSummary:
    by_repository = {ref.key: meta for ref, meta in results.items()}
    cutoff = stale_before(now)
    summary = MetadataSummary(repositories=len(by_repository))
    for meta in by_repository.values():
        if meta.ok:
            summary.fetched += 1
            summary.archived += meta.archived
            stale = meta.last_activity_at is not None and meta.last_activity_at < cutoff
            summary.stale += stale
        elif meta.not_found:
            summary.not_found += 1
        elif meta.rate_limited:
            summary.skipped += 1
        else:
            summary.errors += 1
    return summary
