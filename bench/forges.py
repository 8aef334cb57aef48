"""Benchmark: what a metadata refresh of N GitHub repositories costs in requests (issue 16).

Runs ``curation.health.forges.fetch_all`` against the fake GitHub of the tests
(tests/curation/health/fakeforges.py, a real HTTP server on 127.0.0.1): once with a token
(GraphQL, ``BATCH`` repositories per query) and once without (REST: the repository, then its
default branch for the last commit). Prints the requests each sent and the wall time; a
repository's "last activity" is its default branch's last commit in both.

    DJANGO_DEBUG=true .venv/bin/python bench/forges.py [--repos 3000] [--batch 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from curation.health.forges import fetch_all, parse_repository  # noqa: E402
from tests.curation.health.fakeforges import FakeForges  # noqa: E402


def run(forges: FakeForges, repos: int, *, token: bool, batch: int) -> tuple[int, float, int]:
    config = forges.forge_settings(tokens=token)
    config["github"]["BATCH"] = batch
    settings.REPOSITORY_FORGES = config
    forges.requests.clear()
    refs = [parse_repository(f"https://github.com/owner/repo{n}") for n in range(repos)]
    start = time.perf_counter()
    results = asyncio.run(fetch_all([r for r in refs if r is not None], concurrency=4))
    seconds = time.perf_counter() - start
    ok = sum(meta.ok for meta in results.values())
    return len(forges.requests), seconds, ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with FakeForges() as forges:
        for n in range(args.repos):
            forges.add_github(f"owner/repo{n}", stars=n)
        for token in (True, False):
            requests, seconds, ok = run(forges, args.repos, token=token, batch=args.batch)
            how = f"GraphQL, {args.batch} per query" if token else "REST, no token"
            print(
                f"{args.repos} repositories, {how}: {requests} requests, {ok} answered, "
                f"{seconds:.1f} s"
            )


if __name__ == "__main__":
    main()
