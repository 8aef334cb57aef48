"""GitHub's "last activity" is the default branch's last commit, not ``pushed_at`` (which moves
with any push to any branch, bots included); with a token the figures come by GraphQL, many
repositories per query, so a refresh of thousands spares the rate limit."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from curation.health.forges import GRAPHQL_BATCH, RepoMeta, RepoRef, fetch_all, parse_repository
from tests.curation.health.fakeforges import TOKENS, FakeForges

BOT_PUSH = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)  # a bot pushed to a branch of its own
LAST_COMMIT = datetime(2023, 2, 14, 16, 20, tzinfo=UTC)  # what the default branch last saw


@pytest.fixture
def forges(settings) -> Iterator[FakeForges]:
    with FakeForges() as fake:
        settings.REPOSITORY_FORGES = fake.forge_settings(tokens=True)
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        yield fake


def ref(url: str) -> RepoRef:
    found = parse_repository(url)
    assert found is not None
    return found


def fetch(refs: list[RepoRef], **kwargs) -> dict[RepoRef, RepoMeta]:
    return asyncio.run(fetch_all(refs, **kwargs))


def test_graphql_reads_the_default_branch_commit_and_the_archive_date(forges):
    forges.add_github(
        "old/tool",
        stars=37,
        pushed_at=BOT_PUSH,
        committed_at=LAST_COMMIT,
        archived=True,
        archived_at=datetime(2024, 3, 2, 9, 30, tzinfo=UTC),
        license="NOASSERTION",
    )
    repo = ref("https://github.com/old/tool")

    meta = fetch([repo])[repo]

    assert meta == RepoMeta(
        stars=37,
        last_activity_at=LAST_COMMIT,
        archived=True,
        archived_at=datetime(2024, 3, 2, 9, 30, tzinfo=UTC),
        license="Other",
        full_name="old/tool",
    )
    (seen,) = forges.requests_to("github")
    assert seen.path == "/github/graphql"
    assert seen.headers["authorization"] == f"Bearer {TOKENS['github']}"
    (query,) = forges.queries
    assert query["variables"] == {"o0": "old", "n0": "tool"}  # names never pasted in the query


def test_graphql_asks_in_batches(forges):
    names = [f"owner/repo{n}" for n in range(GRAPHQL_BATCH * 2 + 7)]
    for n, name in enumerate(names):
        forges.add_github(name, stars=n, committed_at=LAST_COMMIT)
    refs = [ref(f"https://github.com/{name}") for name in names]

    results = fetch(refs)

    assert [results[r].stars for r in refs] == list(range(len(names)))
    assert {results[r].last_activity_at for r in refs} == {LAST_COMMIT}
    # 107 repositories, three requests (50 + 50 + 7), none of them REST.
    assert [s.path for s in forges.requests] == ["/github/graphql"] * 3
    assert sorted(len(q["variables"]) // 2 for q in forges.queries) == [7, 50, 50]


def test_the_batch_size_is_a_setting(forges, settings):
    settings.REPOSITORY_FORGES["github"]["BATCH"] = 2
    for n in range(5):
        forges.add_github(f"owner/repo{n}")
    fetch([ref(f"https://github.com/owner/repo{n}") for n in range(5)])
    assert len(forges.queries) == 3


def test_graphql_not_found_renamed_and_unlicensed_in_one_query(forges):
    forges.add_github("new-owner/new-name", stars=500, renamed_from="old-owner/old-name")
    forges.add_github("someone/empty", stars=0, pushed_at=None, license=None)
    moved, gone, empty = (
        ref("https://github.com/old-owner/old-name"),
        ref("https://github.com/gone/away"),
        ref("https://github.com/someone/empty"),
    )

    results = fetch([moved, gone, empty])

    assert len(forges.queries) == 1
    assert results[moved].full_name == "new-owner/new-name"
    assert results[moved].stars == 500
    assert results[gone] == RepoMeta(error="repository not found", not_found=True)
    assert results[empty].ok
    assert (results[empty].license, results[empty].last_activity_at) == ("", None)


def test_a_failed_query_is_an_error_for_its_batch_never_not_found(forges):
    forges.add_github("a/b")
    forges.add_github("c/d")
    forges.fail("github", "c/d", 502)
    refs = [ref("https://github.com/a/b"), ref("https://github.com/c/d")]

    results = fetch(refs)

    assert all(not meta.ok and not meta.not_found for meta in results.values())
    assert "502" in results[refs[0]].error


def test_graphql_quota_spent_until_later_stops_asking(forges):
    forges.add_github("a/b")
    forges.set_quota("github", remaining=0, reset_in=3600)
    repo = ref("https://github.com/a/b")

    meta = fetch([repo], max_wait=5)[repo]

    assert meta.rate_limited
    assert [s.path for s in forges.requests] == ["/github/graphql"]  # refused once, not again


def test_without_a_token_rest_asks_the_default_branch(forges, settings):
    settings.REPOSITORY_FORGES = forges.forge_settings(tokens=False)
    forges.add_github("old/tool", pushed_at=BOT_PUSH, committed_at=LAST_COMMIT)
    repo = ref("https://github.com/old/tool")

    meta = fetch([repo])[repo]

    assert meta.last_activity_at == LAST_COMMIT  # not the bot's push
    assert [s.path for s in forges.requests] == [
        "/github/repos/old/tool",
        "/github/repos/old/tool/branches/main",
    ]


def test_without_a_token_pushed_at_stands_in_when_the_branch_is_unknown(forges, settings):
    settings.REPOSITORY_FORGES = forges.forge_settings(tokens=False)
    forges.add_github("odd/tool", pushed_at=BOT_PUSH)
    forges.github_branches.clear()
    repo = ref("https://github.com/odd/tool")
    assert fetch([repo])[repo].last_activity_at == BOT_PUSH
    assert forges.requests[-1].path == "/github/repos/odd/tool/branches/main"  # asked first
