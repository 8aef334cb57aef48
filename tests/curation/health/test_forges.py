"""The forge clients against a local imitation of GitHub, GitLab and Codeberg (fakeforges)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from curation.health.forges import (
    NOT_FOUND,
    RepoMeta,
    RepoRef,
    fetch_all,
    parse_repository,
)
from tests.curation.health.fakeforges import TOKENS, FakeForges

GH, GL, CB = "github.com", "gitlab.com", "codeberg.org"


@pytest.fixture
def forges(settings) -> Iterator[FakeForges]:
    with FakeForges() as fake:
        settings.REPOSITORY_FORGES = fake.forge_settings()
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        yield fake


def ref(url: str) -> RepoRef:
    parsed = parse_repository(url)
    assert parsed is not None, url
    return parsed


def fetch(refs: list[RepoRef], **kwargs) -> dict[RepoRef, RepoMeta]:
    return asyncio.run(fetch_all(refs, **kwargs))


# --- Which URLs name a repository ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/django/django", ("github", GH, "django/django")),
        ("http://github.com/django/django/", ("github", GH, "django/django")),
        ("https://GitHub.com/Django/Django", ("github", GH, "Django/Django")),
        ("https://www.github.com/psf/requests", ("github", GH, "psf/requests")),
        ("https://github.com/psf/requests.git", ("github", GH, "psf/requests")),
        ("https://github.com/psf/requests.git/", ("github", GH, "psf/requests")),
        ("https://github.com/psf/requests/tree/main/docs", ("github", GH, "psf/requests")),
        ("https://github.com/psf/requests/blob/main/README.md", ("github", GH, "psf/requests")),
        ("https://github.com/psf/requests#readme", ("github", GH, "psf/requests")),
        ("https://github.com/psf/requests?tab=readme-ov-file", ("github", GH, "psf/requests")),
        ("https://github.com/psf/requests/releases/latest", ("github", GH, "psf/requests")),
        ("https://github.com/python/.github", ("github", GH, "python/.github")),
        (
            "https://github.com/sindresorhus/awesome-nodejs",
            ("github", GH, "sindresorhus/awesome-nodejs"),
        ),
        ("https://github.com:443/owner/repo_name.js", ("github", GH, "owner/repo_name.js")),
        ("https://gitlab.com/gitlab-org/gitlab", ("gitlab", GL, "gitlab-org/gitlab")),
        ("https://gitlab.com/gitlab-org/gitlab/-/issues/1", ("gitlab", GL, "gitlab-org/gitlab")),
        (
            "https://gitlab.com/fdroid/fdroidclient/-/tree/master",
            ("gitlab", GL, "fdroid/fdroidclient"),
        ),
        ("https://gitlab.com/group/subgroup/project", ("gitlab", GL, "group/subgroup/project")),
        ("https://gitlab.com/group/sub/project.git", ("gitlab", GL, "group/sub/project")),
        ("https://gitlab.com/group/sub/project/-/wikis/home", ("gitlab", GL, "group/sub/project")),
        ("https://gitlab.com/inkscape/inkscape/tree/master", ("gitlab", GL, "inkscape/inkscape")),
        (
            "https://gitlab.com/inkscape/inkscape/blob/master/README.md",
            ("gitlab", GL, "inkscape/inkscape"),
        ),
        ("https://codeberg.org/forgejo/forgejo", ("gitea", CB, "forgejo/forgejo")),
        (
            "https://codeberg.org/forgejo/forgejo/src/branch/forgejo/README.md",
            ("gitea", CB, "forgejo/forgejo"),
        ),
        ("https://Codeberg.org/Codeberg/pages-server.git", ("gitea", CB, "Codeberg/pages-server")),
    ],
)
def test_repository_urls_are_recognised(url, expected):
    parsed = parse_repository(url)
    assert parsed is not None
    assert (parsed.forge, parsed.host, parsed.full_name) == expected
    assert parsed.web_url == f"https://{expected[1]}/{expected[2]}"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/",
        "https://github.com/psf",  # a user or organisation
        "https://github.com/psf/",
        "https://github.com/features/actions",
        "https://github.com/orgs/python/repositories",
        "https://github.com/topics/python",
        "https://github.com/sponsors/sindresorhus",
        "https://github.com/marketplace/actions/checkout",
        "https://github.com/settings/tokens",
        "https://github.com/apps/dependabot",
        "https://github.com/collections/machine-learning",
        "https://github.com/trending/python",
        "https://github.com/about/careers",
        "https://github.com/users/octocat/projects/1",
        "https://github.com/login?return_to=%2Fpsf%2Frequests",
        "https://github.com/psf/..",
        "https://gist.github.com/octocat/6cad326836d38bd3a7ae",
        "https://raw.githubusercontent.com/psf/requests/main/README.md",
        "https://docs.github.com/en/rest",
        "https://psf.github.io/requests",
        "https://github.com:8443/psf/requests",
        "ftp://github.com/psf/requests",
        "git@github.com:psf/requests.git",
        "https://gitlab.com/gitlab-org",  # a group
        "https://gitlab.com/groups/gitlab-org/-/epics",
        "https://gitlab.com/explore/projects",
        "https://gitlab.com/users/sign_in",
        "https://gitlab.com/-/snippets/123",
        "https://gitlab.com/help/api/projects.md",
        "https://gitlab.com/dashboard/projects",
        "https://docs.gitlab.com/ee/api/projects.html",
        "https://about.gitlab.com/",
        "https://codeberg.org/forgejo",  # an organisation
        "https://codeberg.org/explore/repos",
        "https://codeberg.org/user/login",
        "https://codeberg.org/api/v1/repos/forgejo/forgejo",
        "https://docs.codeberg.org/getting-started/",
        "https://gitlab.example.org/group/project",  # a GitLab that is not configured
        "https://bitbucket.org/atlassian/python-bitbucket",
        "https://example.com/owner/repo",
        "",
        "not a url",
        "https://[::1/owner/repo",
    ],
)
def test_other_urls_are_not_repositories(url):
    assert parse_repository(url) is None


def test_only_configured_hosts_count(settings):
    settings.REPOSITORY_FORGES = {
        "gitlab": {"HOSTS": ["gitlab.example.org"], "API_URL": "https://gitlab.example.org/api/v4"}
    }
    assert parse_repository("https://github.com/psf/requests") is None
    parsed = parse_repository("https://gitlab.example.org/infra/tools/deployer")
    assert parsed == RepoRef(
        forge="gitlab",
        host="gitlab.example.org",
        full_name="infra/tools/deployer",
        web_url="https://gitlab.example.org/infra/tools/deployer",
    )


# --- What each forge answers ------------------------------------------------------------------


def test_github_figures(forges):
    forges.add_github(
        "django/django",
        stars=81234,
        pushed_at=datetime(2024, 6, 3, 12, 30, tzinfo=UTC),
        license="BSD-3-Clause",
    )
    forges.add_github("old/thing", stars=3, archived=True, license="NOASSERTION")
    forges.add_github("someone/empty", stars=0, pushed_at=None, license=None)
    refs = [ref("https://github.com/django/django"), ref("https://github.com/old/thing"),
            ref("https://github.com/someone/empty")]  # fmt: skip

    results = fetch(refs)

    assert results[refs[0]] == RepoMeta(
        stars=81234,
        last_activity_at=datetime(2024, 6, 3, 12, 30, tzinfo=UTC),
        archived=False,
        license="BSD-3-Clause",
        full_name="django/django",
    )
    assert results[refs[1]].archived is True
    assert results[refs[1]].license == "Other"  # NOASSERTION: a licence GitHub cannot name
    assert results[refs[2]].license == ""
    assert results[refs[2]].last_activity_at is None
    seen = forges.requests_to("github")
    assert {s.path for s in seen} == {
        "/github/repos/django/django",
        "/github/repos/django/django/branches/main",
        "/github/repos/old/thing",
        "/github/repos/old/thing/branches/main",
        "/github/repos/someone/empty",  # never pushed to: no branch to ask about
    }
    assert seen[0].headers["accept"] == "application/vnd.github+json"
    assert seen[0].headers["x-github-api-version"] == "2022-11-28"
    assert seen[0].headers["user-agent"].startswith("AwesomeCuratorLinkChecker")


def test_github_follows_a_renamed_repository(forges):
    forges.add_github("new-owner/new-name", stars=500, renamed_from="old-owner/old-name")
    old = ref("https://github.com/old-owner/old-name")

    meta = fetch([old])[old]

    assert meta.ok
    assert meta.stars == 500
    assert meta.full_name == "new-owner/new-name"
    assert [s.path.split("/")[2] for s in forges.requests_to("github")] == [
        "repos",
        "repositories",
        "repos",
    ]
    # The default branch is asked for under the repository's new name.
    assert forges.requests_to("github")[-1].path.endswith("/new-owner/new-name/branches/main")


def test_gitlab_figures_and_encoded_path(forges):
    forges.add_gitlab(
        "group/subgroup/project",
        stars=321,
        last_activity_at=datetime(2024, 2, 29, 8, 15, 30, 123000, tzinfo=UTC),
        archived=True,
        license="Apache-2.0",
    )
    forges.add_gitlab("inkscape/inkscape", license="GPL-3.0")
    forges.add_gitlab("someone/unlicensed", license=None)
    nested = ref("https://gitlab.com/group/subgroup/project/-/tree/main")
    refs = [nested, ref("https://gitlab.com/inkscape/inkscape"),
            ref("https://gitlab.com/someone/unlicensed")]  # fmt: skip

    results = fetch(refs)

    assert results[nested] == RepoMeta(
        stars=321,
        last_activity_at=datetime(2024, 2, 29, 8, 15, 30, 123000, tzinfo=UTC),
        archived=True,
        license="Apache-2.0",  # SPDX spelling of GitLab's key "apache-2.0"
        full_name="group/subgroup/project",
    )
    assert results[refs[1]].license == "GPL-3.0"
    assert results[refs[2]].license == ""
    paths = {s.path for s in forges.requests_to("gitlab")}
    assert "/gitlab/api/v4/projects/group%2Fsubgroup%2Fproject?license=true" in paths


def test_gitea_prefers_the_last_commit_to_updated_at(forges):
    forges.add_gitea(
        "forgejo/forgejo",
        stars=2500,
        updated_at=datetime(2024, 7, 1, 9, 0, tzinfo=UTC),  # a settings edit
        committed_at=datetime(2023, 1, 15, 17, 45, tzinfo=UTC),
        licenses=["GPL-3.0-or-later", "MIT"],
        default_branch="forgejo",
    )
    forge = ref("https://codeberg.org/forgejo/forgejo")

    meta = fetch([forge])[forge]

    assert meta == RepoMeta(
        stars=2500,
        last_activity_at=datetime(2023, 1, 15, 17, 45, tzinfo=UTC),
        archived=False,
        license="GPL-3.0-or-later, MIT",
        full_name="forgejo/forgejo",
    )
    assert [s.path for s in forges.requests_to("gitea")] == [
        "/gitea/api/v1/repos/forgejo/forgejo",
        "/gitea/api/v1/repos/forgejo/forgejo/branches/forgejo",
    ]


def test_gitea_falls_back_to_updated_at_and_forgejo_has_no_licence(forges):
    # Forgejo leaves "licenses" out; the branch lookup finds nothing here.
    forges.add_gitea("dnkl/foot", stars=40, updated_at=datetime(2024, 3, 1, 6, 0, tzinfo=UTC),
                     archived=True)  # fmt: skip
    forges.add_gitea("someone/empty", empty=True)
    foot, empty = ref("https://codeberg.org/dnkl/foot"), ref("https://codeberg.org/someone/empty")

    results = fetch([foot, empty])

    assert results[foot].last_activity_at == datetime(2024, 3, 1, 6, 0, tzinfo=UTC)
    assert results[foot].archived is True
    assert results[foot].license == ""
    assert results[foot].ok
    # An empty repository has no branch to ask about.
    assert not any("/someone/empty/branches" in s.path for s in forges.requests)


def test_tokens_are_sent_the_way_each_forge_expects(forges, settings):
    settings.REPOSITORY_FORGES = forges.forge_settings(tokens=True)
    forges.add_github("a/b")
    forges.add_gitlab("c/d")
    forges.add_gitea("e/f", committed_at=datetime(2024, 1, 1, tzinfo=UTC))

    results = fetch([ref("https://github.com/a/b"), ref("https://gitlab.com/c/d"),
                     ref("https://codeberg.org/e/f")])  # fmt: skip

    assert all(meta.ok for meta in results.values())
    (github,) = forges.requests_to("github")
    assert github.headers["authorization"] == f"Bearer {TOKENS['github']}"
    (gitlab,) = forges.requests_to("gitlab")
    assert gitlab.headers["private-token"] == TOKENS["gitlab"]
    assert "authorization" not in gitlab.headers
    gitea = forges.requests_to("gitea")
    assert [s.headers["authorization"] for s in gitea] == [f"token {TOKENS['gitea']}"] * 2


def test_no_token_no_authorization_header(forges):
    forges.add_github("a/b")
    fetch([ref("https://github.com/a/b")])
    assert "authorization" not in forges.requests[0].headers


def test_a_wrong_token_is_an_error_not_a_missing_repository(forges, settings):
    settings.REPOSITORY_FORGES["github"]["TOKEN"] = "revoked"
    forges.add_github("a/b")
    meta = fetch([ref("https://github.com/a/b")])[ref("https://github.com/a/b")]
    assert meta.error == "GitHub answered HTTP 401: Bad credentials"
    assert not meta.not_found


# --- When things go wrong --------------------------------------------------------------------


def test_404_is_not_found_and_500_is_an_error(forges):
    forges.add_github("ok/repo")
    forges.fail("github", "broken/repo", 500)
    forges.fail("gitlab", "broken/project", 502)
    missing, broken = ref("https://github.com/gone/repo"), ref("https://github.com/broken/repo")
    gitlab_missing = ref("https://gitlab.com/gone/project")
    gitlab_broken = ref("https://gitlab.com/broken/project")
    gitea_missing = ref("https://codeberg.org/gone/repo")

    results = fetch([missing, broken, gitlab_missing, gitlab_broken, gitea_missing])

    for gone in (missing, gitlab_missing, gitea_missing):
        assert results[gone] == RepoMeta(error=NOT_FOUND, not_found=True)
    assert results[broken] == RepoMeta(error="GitHub answered HTTP 500: Server Error")
    assert results[gitlab_broken].error == "GitLab answered HTTP 502: 502 Internal Server Error"
    assert not results[gitlab_broken].not_found


def test_a_403_that_is_not_a_rate_limit_is_an_error(forges):
    forges.fail("github", "blocked/repo", 403)
    forges.add_github("fine/repo")
    blocked, fine = ref("https://github.com/blocked/repo"), ref("https://github.com/fine/repo")

    results = fetch([blocked, fine], concurrency=1)

    assert results[blocked] == RepoMeta(error="GitHub answered HTTP 403: Forbidden")
    assert results[fine].ok  # the forge was not given up on


def test_network_errors_are_errors(settings):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.REPOSITORY_FORGES = {
        "github": {"HOSTS": ["github.com"], "API_URL": f"http://127.0.0.1:{port}", "TOKEN": ""}
    }
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    repo = ref("https://github.com/a/b")

    meta = fetch([repo])[repo]

    assert meta.error.startswith("GitHub unreachable: ")
    assert not meta.not_found


def test_the_guard_refuses_a_private_api_unless_allowed(forges, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    forges.add_github("a/b")
    repo = ref("https://github.com/a/b")

    meta = fetch([repo])[repo]

    assert "refused to connect to 127.0.0.1" in meta.error
    assert forges.requests == []


def test_an_injected_client_is_used_and_left_open(forges):
    forges.add_github("a/b")
    repo = ref("https://github.com/a/b")

    async def run() -> tuple[RepoMeta, bool]:
        async with httpx.AsyncClient(headers={"User-Agent": "injected/1.0"}) as client:
            results = await fetch_all([repo], client=client)
            return results[repo], client.is_closed

    meta, closed = asyncio.run(run())
    assert meta.ok
    assert closed is False
    assert forges.requests[0].headers["user-agent"] == "injected/1.0"


def test_one_request_per_repository_whatever_the_spelling(forges):
    forges.add_github("psf/requests", stars=52000)
    refs = [ref("https://github.com/psf/requests"), ref("https://github.com/PSF/Requests/issues"),
            ref("https://github.com/psf/requests.git")]  # fmt: skip
    seen: list[RepoRef] = []

    results = fetch(refs, on_result=lambda r, meta: seen.append(r))

    # One request for the repository (and one for its default branch's last commit).
    assert [s.path for s in forges.requests] == [
        forges.requests[0].path,
        "/github/repos/psf/requests/branches/main",
    ]
    assert {meta.stars for meta in results.values()} == {52000}
    assert set(results) == set(refs)
    assert sorted(seen, key=str) == sorted(set(refs), key=str)


# --- Rate limits -----------------------------------------------------------------------------


def test_github_quota_spent_with_the_reset_near_waits_for_it(forges):
    for n in range(3):
        forges.add_github(f"owner/repo{n}")
    quota = forges.set_quota("github", remaining=1, reset_in=0)
    refs = [ref(f"https://github.com/owner/repo{n}") for n in range(3)]

    reset, started = quota.reset, time.time()
    results = fetch(refs, concurrency=1, max_wait=5)
    elapsed = time.time() - started

    assert all(meta.ok for meta in results.values())
    # The first answer said "0 left": the client waited for the reset instead of asking on
    # (and being refused).
    assert elapsed >= reset - started
    assert len(forges.requests) == 6  # each repository and its default branch


def test_github_quota_spent_until_later_stops_asking_github(forges):
    for n in range(5):
        forges.add_github(f"owner/repo{n}")
    forges.add_gitlab("group/project")
    quota = forges.set_quota("github", remaining=2, reset_in=3600)
    refs = [ref(f"https://github.com/owner/repo{n}") for n in range(5)]
    gitlab = ref("https://gitlab.com/group/project")

    started = time.monotonic()
    results = fetch([*refs, gitlab], concurrency=1, max_wait=60)

    assert time.monotonic() - started < 5  # no waiting an hour
    until = datetime.fromtimestamp(quota.reset, tz=UTC).strftime("%H:%M")
    # Two requests: the first repository and its default branch.
    assert [results[r].ok for r in refs].count(True) == 1
    limited = [results[r] for r in refs if not results[r].ok]
    assert limited == [RepoMeta(error=f"rate limited until {until} UTC", rate_limited=True)] * 4
    assert len(forges.requests_to("github")) == 2  # the rest was not asked
    assert results[gitlab].ok  # other forges carry on


def test_github_refusal_without_warning_gives_up_after_one_refusal(forges):
    # Remaining 0 is announced only with the refusal (e.g. another process spent the quota).
    for n in range(4):
        forges.add_github(f"owner/repo{n}")
    quota = forges.set_quota("github", remaining=0, reset_in=1800)
    refs = [ref(f"https://github.com/owner/repo{n}") for n in range(4)]

    results = fetch(refs, concurrency=2, max_wait=10)

    until = datetime.fromtimestamp(quota.reset, tz=UTC).strftime("%H:%M")
    assert {results[r].error for r in refs} == {f"rate limited until {until} UTC"}
    assert all(results[r].rate_limited and not results[r].not_found for r in refs)
    assert len(forges.requests) <= 2  # only those already in flight


def test_github_secondary_limit_retry_after_is_honoured(forges):
    forges.add_github("a/b", stars=7)
    forges.throttle("github", 1)
    repo = ref("https://github.com/a/b")

    started = time.monotonic()
    meta = fetch([repo], max_wait=5)[repo]

    assert time.monotonic() - started >= 1.0
    assert meta.stars == 7
    assert len(forges.requests) == 3  # refused, asked again, then the default branch


def test_gitlab_429_retry_after_is_honoured(forges):
    forges.add_gitlab("group/project", stars=9)
    forges.throttle("gitlab", 1)
    repo = ref("https://gitlab.com/group/project")

    started = time.monotonic()
    meta = fetch([repo], max_wait=5)[repo]

    assert time.monotonic() - started >= 1.0
    assert meta.stars == 9


def test_gitlab_quota_spent_until_later_marks_the_rest(forges):
    for n in range(3):
        forges.add_gitlab(f"group/project{n}")
    quota = forges.set_quota("gitlab", remaining=1, reset_in=900)
    refs = [ref(f"https://gitlab.com/group/project{n}") for n in range(3)]

    results = fetch(refs, concurrency=1, max_wait=30)

    until = datetime.fromtimestamp(quota.reset, tz=UTC).strftime("%H:%M")
    assert [results[r].error for r in refs] == ["", *[f"rate limited until {until} UTC"] * 2]
    assert len(forges.requests) == 1


def test_a_retry_after_longer_than_max_wait_gives_up(forges):
    forges.add_gitea("a/b")
    forges.add_gitea("c/d")
    forges.throttle("gitea", 120)
    refs = [ref("https://codeberg.org/a/b"), ref("https://codeberg.org/c/d")]

    started = time.monotonic()
    results = fetch(refs, concurrency=1, max_wait=1)

    assert time.monotonic() - started < 2
    assert all(results[r].rate_limited for r in refs)
    assert len(forges.requests) == 1
