"""Rendered search pages of a list, kept per (list version, normalised query).

A search page is cached under the list's version token (``catalog.pagecache.current_version``),
so whatever drops the list's cached pages (``list_changed``, a save of the list or of one of
its published entries, …) drops its search pages too: a published entry is found at once.

The filter form's choices (the list's sections, markers and tag names) are kept per list
version too (``choices``), so a search that is not cached reads them from one cache entry
instead of three queries.

Only common queries are kept: a page is stored the second time its query is asked under the
same version within ``TIMEOUT``, so one-off queries (typos, a crawler's guesses) cost one small
key, not a page. A hit costs two cache reads (the version, the page) and no rendering.

Relies on ``pagecache.current_version(list_id) -> (token, time)`` only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from catalog import pagecache

TIMEOUT = 10 * 60  # seconds; a changed list gets a new version at once, this bounds memory


def _keys(list_id: int, version: str, query: str) -> tuple[str, str]:
    digest = hashlib.blake2b(query.encode(), digest_size=16).hexdigest()
    return f"search:page:{list_id}:{version}:{digest}", f"search:seen:{list_id}:{version}:{digest}"


def page(list_id: int, query: str, render: Callable[[str], bytes]) -> bytes:
    """The search page of the list for ``query`` (its normalised parameters): cached, or
    rendered by ``render`` (given the list's version, for ``choices``).

    The version is read before the rows are, so a change committed during the rendering
    leaves a page that is already stale, never one that looks fresh.
    """
    version, _ = pagecache.current_version(list_id)
    page_key, seen_key = _keys(list_id, version, query)
    body = cache.get(page_key)
    if body is not None:
        return body
    body = render(version)
    if not cache.add(seen_key, True, TIMEOUT):  # asked before: a common query
        cache.set(page_key, body, TIMEOUT)
    return body


def choices(list_id: int, version: str, build: Callable[[], Any]) -> Any:
    """What ``build`` returns for the list (plain, picklable data), kept under its version."""
    key = f"search:choices:{list_id}:{version}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
