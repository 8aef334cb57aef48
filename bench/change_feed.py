"""Benchmark: a list's change feed (changes.atom, changes.json, the "What changed" page) as its
history grows.

Builds a list whose history holds N published changes through the workflow services (a third
added, a third edited through merged proposals, a third archived), then prints, per view, the
SQL queries one request makes and the median time (Django test client, no network). The feeds
show the latest 50 changes: queries must stay flat and the time about flat as N grows.

    DJANGO_DEBUG=true .venv/bin/python bench/change_feed.py [--repeat 7] [--sizes 60,600]

Runs on a throw-away SQLite file (or DATABASE_URL, if set: point it at a scratch database).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("TASKS_BACKEND", "immediate")
_scratch = tempfile.TemporaryDirectory(prefix="curator-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from catalog.models import CuratedList, Entry, Section  # noqa: E402
from curation import services  # noqa: E402
from curation.models import Membership, Role  # noqa: E402
from curation.services import EntryContent  # noqa: E402


def build(size: int) -> CuratedList:
    users = get_user_model().objects
    curated_list = CuratedList.objects.create(slug=f"changes-{size}", title=f"Changes {size}")
    section = Section.objects.create(curated_list=curated_list, title="Tools", position=0)
    people = {}
    for role in (Role.CONTRIBUTOR, Role.REVIEWER, Role.CURATOR):
        user = users.create_user(f"{role}-{size}", password="x")
        Membership.objects.create(user=user, curated_list=curated_list, role=role)
        people[role] = user
    author, reviewer, curator = (people[r] for r in (Role.CONTRIBUTOR, Role.REVIEWER, Role.CURATOR))
    live = []
    for n in range(size // 3 * 2):  # added (and, for half of them, edited or archived later)
        entry = services.entry_create(
            actor=author,
            content=EntryContent(section=section, title=f"Tool {n}", url=f"https://t{n}.example/"),
            submit=True,
        )
        services.entry_approve(actor=reviewer, entry=entry)
        live.append(services.entry_publish(actor=curator, entry=entry, comment="Welcome."))
    for n, entry in enumerate(live[: size // 3]):
        if n % 2:
            services.entry_archive(actor=curator, entry=entry, comment="Unmaintained.")
            continue
        proposal = services.entry_propose_edit(
            actor=author,
            entry=entry,
            content=EntryContent(section=section, title=f"{entry.title}!", url=entry.url),
        )
        services.entry_approve(actor=reviewer, entry=proposal)
        services.entry_publish(actor=curator, entry=proposal, comment="Renamed.")
    return curated_list


def measure(client: Client, url: str, repeat: int) -> tuple[int, float]:
    reset_queries()  # DEBUG keeps the last 9,000 queries: a full log would count none
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return len(queries), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", default="60,600")
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    cache.clear()
    client = Client()
    print(f"{'changes':>8} {'view':<14} {'queries':>8} {'median ms':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        curated_list = build(size)
        entries = Entry.objects.filter(curated_list=curated_list).count()
        for name in ("atom", "json", "page"):
            url = reverse(f"changes:{name}", args=[curated_list.slug])
            queries, median = measure(client, url, args.repeat)
            print(f"{size:>8} {name:<14} {queries:>8} {median * 1000:>10.1f}")
        print(f"{'':>8} ({entries} entries in the list, proposals included)")


if __name__ == "__main__":
    main()
