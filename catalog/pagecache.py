"""The cache of a list's public pages, dropped when the list changes: the list page, its
README and companion files, the list document, its feeds and tag pages, the API's pages of the
list; and the site-wide pages (home, site feeds), dropped when any list changes.

Each list has a version token in the cache; a cached page remembers the token it was built
under and is served only while that token is current. Invalidation replaces the token, so it
reaches every page of the list (under any slug it had, with any query string) without knowing
their keys, and a cache that lost the token simply rebuilds. The site-wide pages have a token
of their own (``SITE``), dropped with every list's. The token also carries the time of the
change: the pages' ``Last-Modified``.

What replaces it:

- ``catalog.signals.list_changed`` — the workflow services send it after publishing,
  unpublishing, archiving or merging a proposal (curation then rebuilds the list page in the
  background, ``curation.tasks.warm_list_pages_task``, so no visitor waits for it);
- saves and deletions of the list, its sections, legend, footer blocks and published entries
  (their extra links, tags and markers too), whatever wrote them: the admin, an import, a
  shell. These drop the token at once and again after commit, so that a page rebuilt from
  the old rows between the write and its commit is not kept.

A hit costs one round trip to the cache (a ``get_many`` of the list's token, the slug's owner
and, unless this process holds it, the page) and no SQL query: the page's bytes are also kept
in the process (the most recent, up to ``LOCAL_BYTES``), so a hit does not copy a large page
out of the shared cache each time.
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
# A page that depends on a query string (a tag page's ?page=, an API page's filters) may be
# one of many nobody asks for again: kept an hour.
VARIANT_TIMEOUT = 60 * 60
# The scope of the pages that span every list (the home page, the site-wide feeds): its version
# is dropped whenever any list's is.
SITE = 0
LOCAL_PAGES = 64  # pages kept in each process, besides the shared cache …
LOCAL_BYTES = 32 * 1024 * 1024  # … and their bytes at most


def _version_key(list_id: int) -> str:
    return "listpage:version:site" if list_id == SITE else f"listpage:version:{list_id}"


def _page_key(kind: str, slug: str, variant: str = "") -> str:
    key = f"listpage:{kind}:{slug}"
    if variant:  # any text (a host, a query string): hashed into a short, safe key
        key += ":" + hashlib.blake2b(variant.encode(), digest_size=12).hexdigest()
    return key


def _owner_key(slug: str) -> str:
    """Which list holds a slug now: dropped when a list is saved or deleted, so a page cached
    under the slug for another list (deleted, renamed, even without signals) is not served."""
    return f"listpage:owner:{slug}"


@dataclass(frozen=True)
class CachedPage:
    list_id: int
    version: str
    body: bytes
    content_type: str
    etag: str
    last_modified: float


# Per thread (each has its own transactions): how many times ``list_changed`` came for a list.
# A deletion waiting for a commit is skipped once ``list_changed`` has come after that commit
# (it dropped the version itself, then): otherwise it would drop the pages rebuilt since
# (``curation.tasks.warm_list_pages_task``), as the commit's callbacks run in the order the
# writes registered them, some after the one that sends ``list_changed``.
_changes = threading.local()


def _generation(list_id: int) -> int:
    generations: dict[int, int] = _changes.__dict__.setdefault("by_list", {})
    return generations.get(list_id, 0)


def invalidate(list_id: int) -> None:
    """Forget every cached page of the list (and the site-wide pages), now and once the
    current transaction commits."""
    keys = [_version_key(list_id), _version_key(SITE)]
    cache.delete_many(keys)
    generation = _generation(list_id)

    def after_commit() -> None:
        if _generation(list_id) == generation:
            cache.delete_many(keys)

    transaction.on_commit(after_commit, robust=True)


def current_version(list_id: int) -> tuple[str, float]:
    """The list's version token and the time it was made (made now when there is none)."""
    value = cache.get(_version_key(list_id))
    if value is None:
        value = (secrets.token_hex(8), time.time())
        if not cache.add(_version_key(list_id), value, TIMEOUT):
            value = cache.get(_version_key(list_id)) or value
    return value


# Kept in this process: the most recent pages (so a hit does not copy a large page out of the
# shared cache), and which list each slug was last seen to belong to (so a hit can ask for the
# list's version together with the page, in one round trip).
_local: OrderedDict[str, CachedPage] = OrderedDict()
_local_bytes = 0
_list_ids: dict[str, int] = {"": SITE}
_local_lock = threading.Lock()


def _remember(key: str, slug: str, page: CachedPage) -> None:
    global _local_bytes
    with _local_lock:
        old = _local.pop(key, None)
        if old is not None:
            _local_bytes -= len(old.body)
        _local[key] = page
        _local_bytes += len(page.body)
        while _local and (len(_local) > LOCAL_PAGES or _local_bytes > LOCAL_BYTES):
            _, dropped = _local.popitem(last=False)
            _local_bytes -= len(dropped.body)
        if slug:
            _list_ids[slug] = page.list_id


def _current(page: CachedPage, slug: str, found: dict[str, Any]) -> bool:
    """Whether ``page`` is current, given the version (and the slug's owner) read with it."""
    version = found.get(_version_key(page.list_id))
    if version is None or version[0] != page.version:
        return False
    return not slug or found.get(_owner_key(slug)) == page.list_id


def get(kind: str, slug: str, variant: str = "") -> CachedPage | None:
    """The current page of ``kind`` for the list at ``slug`` ("" for a site-wide page), or None.

    One round trip to the cache when this process knows the list of the slug (it has served
    or built a page of it): the list's version, the slug's owner and, unless the page is held
    in this process, the page, in one ``get_many``. A page of another list under the slug, or
    a slug this process has not seen, costs a second read.
    """
    key = _page_key(kind, slug, variant)
    local = _local.get(key)
    list_id = local.list_id if local is not None else _list_ids.get(slug)
    page: CachedPage | None = None
    if list_id is not None:
        keys = [_version_key(list_id)]
        if slug:
            keys.append(_owner_key(slug))
        if local is None:
            keys.append(key)
        found = cache.get_many(keys)
        if local is not None:
            if _current(local, slug, found):
                return local
        else:
            page = found.get(key)
            if page is None:
                return None
            if page.list_id == list_id:
                if not _current(page, slug, found):
                    return None
                _remember(key, slug, page)
                return page
    # This process does not know the slug's list, or the page is another list's now.
    if page is None:
        page = cache.get(key)
        if page is None:
            return None
    keys = [_version_key(page.list_id)] + ([_owner_key(slug)] if slug else [])
    if not _current(page, slug, cache.get_many(keys)):
        return None
    _remember(key, slug, page)
    return page


def build(
    kind: str,
    slug: str,
    list_id: int,
    render: Callable[[], tuple[bytes, str]],
    variant: str = "",
) -> CachedPage:
    """Render a page of the list (``SITE`` and slug "" for a site-wide one) and keep it under
    the list's current version.

    The version is read before the rows are, so a change committed during the rendering
    leaves a page that is already stale, never one that looks fresh.
    """
    version, changed_at = current_version(list_id)
    body, content_type = render()
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    page = CachedPage(list_id, version, body, content_type, etag, changed_at)
    key = _page_key(kind, slug, variant)
    values: dict[str, Any] = {key: page}
    if slug:
        values[_owner_key(slug)] = list_id
    cache.set_many(values, VARIANT_TIMEOUT if "?" in variant else TIMEOUT)
    _remember(key, slug, page)
    return page


# --- What makes a list change ---------------------------------------------------------------


def _on_list_changed(sender: Any, curated_list: CuratedList, **kwargs: Any) -> None:
    # Sent after the commit: the version is dropped now, and the deletions the commit's writes
    # left waiting are not needed any more.
    _changes.by_list[curated_list.pk] = _generation(curated_list.pk) + 1
    cache.delete_many([_version_key(curated_list.pk), _version_key(SITE)])


def _on_list_row(sender: Any, instance: CuratedList, **kwargs: Any) -> None:
    invalidate(instance.pk)
    # A page cached under this slug may belong to another list that had it (deleted, renamed).
    cache.delete(_owner_key(instance.slug))


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
    global _local_bytes
    ids = [SITE, *CuratedList.objects.values_list("pk", flat=True)]
    cache.delete_many([_version_key(pk) for pk in ids])
    with _local_lock:
        _local.clear()
        _local_bytes = 0


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
