"""The cache of a list's public pages (the list page, its README, its list document), dropped
when the list changes.

Each list has a version token in the cache; a cached page remembers the token it was built
under and is served only while that token is current. Invalidation replaces the token, so it
reaches every page of the list (under any slug it had) without knowing their keys, and a
cache that lost the token simply rebuilds. The token also carries the time of the change: the
pages' ``Last-Modified``.

What replaces it:

- ``catalog.signals.list_changed`` — the workflow services send it after publishing,
  unpublishing, archiving or merging a proposal;
- saves and deletions of the list, its sections, legend, footer blocks and published entries
  (their extra links, tags and markers too), whatever wrote them: the admin, an import, a
  shell. These drop the token at once and again after commit, so that a page rebuilt from
  the old rows between the write and its commit is not kept.

A hit costs two small cache reads (which page a slug holds, the token) and no SQL query: the
page's bytes are also kept in the process (a few, most recent first), so a hit does not copy
a large page out of the shared cache each time.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from catalog.models import CuratedList, Entry, ExtraLink, FooterBlock, Marker, Section, TaggedEntry
from catalog.signals import cache_deletions_lost, list_changed

TIMEOUT = 24 * 60 * 60  # a day: pages are rebuilt on change, this only bounds stale memory
KINDS = ("html", "readme", "contributing", "licence", "document")
LOCAL_PAGES = 16  # pages kept in each process, besides the shared cache


def _version_key(list_id: int) -> str:
    return f"listpage:version:{list_id}"


def _page_key(kind: str, slug: str) -> str:
    return f"listpage:{kind}:{slug}"


def _pointer_key(kind: str, slug: str) -> str:
    """A small key naming the list and version of the page cached under a slug."""
    return f"listpage:pointer:{kind}:{slug}"


@dataclass(frozen=True)
class CachedPage:
    list_id: int
    version: str
    body: bytes
    content_type: str
    etag: str
    last_modified: float


def invalidate(list_id: int) -> None:
    """Forget every cached page of the list, now and once the current transaction commits."""
    cache.delete(_version_key(list_id))
    transaction.on_commit(lambda: cache.delete(_version_key(list_id)), robust=True)


def current_version(list_id: int) -> tuple[str, float]:
    """The list's version token and the time it was made (made now when there is none)."""
    value = cache.get(_version_key(list_id))
    if value is None:
        value = (secrets.token_hex(8), time.time())
        if not cache.add(_version_key(list_id), value, TIMEOUT):
            value = cache.get(_version_key(list_id)) or value
    return value


_local: OrderedDict[str, CachedPage] = OrderedDict()
_local_lock = threading.Lock()


def _remember(key: str, page: CachedPage) -> None:
    with _local_lock:
        _local[key] = page
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def get(kind: str, slug: str) -> CachedPage | None:
    key = _page_key(kind, slug)
    local = _local.get(key)
    if local is not None and cache.get(_pointer_key(kind, slug)) == (
        local.list_id,
        local.version,
    ):
        version = cache.get(_version_key(local.list_id))
        if version is not None and version[0] == local.version:
            return local
    page = cache.get(key)
    if page is None:
        return None
    version = cache.get(_version_key(page.list_id))
    if version is None or version[0] != page.version:
        return None
    _remember(key, page)
    return page


def build(
    kind: str,
    slug: str,
    list_id: int,
    render: Callable[[], tuple[bytes, str]],
) -> CachedPage:
    """Render a page of the list and keep it under the list's current version.

    The version is read before the rows are, so a change committed during the rendering
    leaves a page that is already stale, never one that looks fresh.
    """
    version, changed_at = current_version(list_id)
    body, content_type = render()
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    page = CachedPage(list_id, version, body, content_type, etag, changed_at)
    cache.set(_page_key(kind, slug), page, TIMEOUT)
    cache.set(_pointer_key(kind, slug), (list_id, version), TIMEOUT)
    _remember(_page_key(kind, slug), page)
    return page


# --- What makes a list change ---------------------------------------------------------------


def _on_list_changed(sender: Any, curated_list: CuratedList, **kwargs: Any) -> None:
    invalidate(curated_list.pk)


def _on_list_row(sender: Any, instance: CuratedList, **kwargs: Any) -> None:
    invalidate(instance.pk)
    # A page cached under this slug may belong to another list that had it (deleted, renamed).
    cache.delete_many(
        [key(kind, instance.slug) for kind in KINDS for key in (_page_key, _pointer_key)]
    )


def _on_list_part(sender: Any, instance: Section | Marker | FooterBlock, **kwargs: Any) -> None:
    invalidate(instance.curated_list_id)


def _shows(entry: Entry) -> bool:
    """Whether the entry is (or was) on the public page: drafts and reviews change nothing."""
    return entry.proposal_for_id is None and (
        entry.status == Entry.Status.PUBLISHED or entry.published_at is not None
    )


def _on_entry(sender: Any, instance: Entry, **kwargs: Any) -> None:
    if _shows(instance):
        invalidate(instance.curated_list_id)


def _on_entry_part(sender: Any, instance: ExtraLink | TaggedEntry, **kwargs: Any) -> None:
    entry_id = instance.entry_id if isinstance(instance, ExtraLink) else instance.content_object_id
    row = Entry.objects.filter(pk=entry_id).values("curated_list_id", "status", "published_at")
    for values in row:
        if values["status"] == Entry.Status.PUBLISHED or values["published_at"] is not None:
            invalidate(values["curated_list_id"])


def _on_entry_markers(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Entry):
        _on_entry(Entry, instance)
    elif isinstance(instance, Marker):
        invalidate(instance.curated_list_id)


def forget_every_version(**kwargs: Any) -> None:
    """Drop every list's version token: after a cache outage that lost invalidations, no
    cached page can be trusted to be current."""
    ids = CuratedList.objects.values_list("pk", flat=True)
    cache.delete_many([_version_key(pk) for pk in ids])
    with _local_lock:
        _local.clear()


def connect() -> None:
    """Called once, from ``CatalogConfig.ready``."""
    list_changed.connect(_on_list_changed, dispatch_uid="pagecache-list-changed")
    cache_deletions_lost.connect(forget_every_version, dispatch_uid="pagecache-deletions-lost")
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(_on_list_row, sender=CuratedList, dispatch_uid=f"pagecache-list-{name}")
        for part in (Section, Marker, FooterBlock):
            signal.connect(
                _on_list_part, sender=part, dispatch_uid=f"pagecache-{part.__name__}-{name}"
            )
        signal.connect(_on_entry, sender=Entry, dispatch_uid=f"pagecache-entry-{name}")
        for model in (ExtraLink, TaggedEntry):
            signal.connect(
                _on_entry_part, sender=model, dispatch_uid=f"pagecache-{model.__name__}-{name}"
            )
    m2m_changed.connect(
        _on_entry_markers, sender=Entry.markers.through, dispatch_uid="pagecache-entry-markers"
    )
