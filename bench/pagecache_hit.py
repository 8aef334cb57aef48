"""The page cache's hit, measured alone: time per ``pagecache.get`` of a 757 KB page (the size of
awesome-go's list page) held in the process, and round trips to Redis per hit.

    CACHE_URL=redis://127.0.0.1:6379/11 DJANGO_DEBUG=true .venv/bin/python bench/pagecache_hit.py

Its keys live under a prefix of their own (CACHE_KEY_PREFIX, default ``pagecache-hit-bench``)
and are deleted at the end. One round trip is one packed command sent to Redis (a GET, an MGET,
a pipeline).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CACHE_KEY_PREFIX", "pagecache-hit-bench")

import django

django.setup()

import redis.connection  # noqa: E402
from django.core.cache import cache  # noqa: E402

from catalog import pagecache  # noqa: E402

HITS = 5000
LIST_ID = 999_999  # no list has it
trips = 0
_send = redis.connection.AbstractConnection.send_packed_command


def _counted(connection: Any, command: Any, check_health: bool = True) -> None:
    global trips
    trips += 1
    _send(connection, command, check_health)


def main() -> None:
    global trips
    if not os.environ.get("CACHE_URL", "").startswith("redis://"):
        sys.exit("Set CACHE_URL=redis://…: the hit is measured against a real Redis.")
    redis.connection.AbstractConnection.send_packed_command = _counted  # type: ignore[method-assign]
    body = b"x" * 757_000
    pagecache.build("html", "bench-slug", LIST_ID, lambda: (body, "text/html"))
    assert pagecache.get("html", "bench-slug") is not None
    try:
        for _ in range(3):
            trips = 0
            start = time.perf_counter()
            for _ in range(HITS):
                pagecache.get("html", "bench-slug")
            elapsed = time.perf_counter() - start
            print(f"{elapsed / HITS * 1e6:.0f} µs per hit, {trips / HITS:.1f} round trips per hit")
    finally:
        cache.delete_many(
            [
                f"listpage:version:{LIST_ID}",
                "listpage:version:site",
                "listpage:html:bench-slug",
                "listpage:owner:bench-slug",
                "listpage:pointer:html:bench-slug",  # (where an older tree kept it)
            ]
        )


if __name__ == "__main__":
    main()
