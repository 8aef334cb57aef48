"""Publishing through a GitHub pull request: git to a real bare repository, the API to a fake
GitHub on 127.0.0.1 (through the project's guarded client)."""

from __future__ import annotations

import pytest

from catalog.export import export_files
from curation.push.models import ListRepository, PushMethod, PushState
from curation.push.service import push_list
from tests.curation.push.conftest import publish
from tests.curation.push.fakegithub import FakeGitHub


@pytest.fixture
def github(push_settings):
    with FakeGitHub() as api:
        push_settings.PUSH = {
            **push_settings.PUSH,
            "GITHUB_API_URL": api.url,
            "GITHUB_TOKEN": api.token,
        }
        yield api


@pytest.fixture
def pr_repository(team, remote, github) -> ListRepository:
    return ListRepository.objects.create(
        curated_list=team.curated_list,
        method=PushMethod.GITHUB_PR,
        git_url=remote.url,
        github_repository="tea-lovers/awesome-tea",
        branch="main",
    )


def head(team) -> str:
    return f"awesome-curator/{team.curated_list.slug}"


def test_a_pull_request_is_opened_from_a_branch(team, remote, github, pr_repository):
    publish(team, "Gongfu Timer")
    main = remote.tip()
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.PR_OPENED
    assert outcome.pull_request_url == "https://github.com/tea-lovers/awesome-tea/pull/1"
    assert remote.tip() == main  # the base branch is the maintainers' to merge into
    assert remote.log(head(team)) == ["Add Gongfu Timer", "Initial list"]
    readme = export_files(team.curated_list)["README.md"].encode()
    assert remote.show("README.md", head(team)) == readme
    ((method, path, body),) = github.writes()
    assert (method, path) == ("POST", "/repos/tea-lovers/awesome-tea/pulls")
    assert body["title"] == "Add Gongfu Timer"
    assert body["head"] == head(team)
    assert body["base"] == "main"
    assert "Gongfu Timer" in body["body"]
    assert body["body"].startswith("~~~~text\n- Add Gongfu Timer (https://")
    pr_repository.refresh_from_db()
    assert pr_repository.pull_request_url == outcome.pull_request_url
    assert pr_repository.state == PushState.PR_OPENED


def test_an_open_pull_request_is_updated_in_place(team, remote, github, pr_repository):
    publish(team, "Gongfu Timer")
    push_list(team.curated_list)
    publish(team, "Leaf Scale")
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.PR_UPDATED
    assert len(github.pulls) == 1
    method, path, body = github.writes()[-1]
    assert (method, path) == ("PATCH", "/repos/tea-lovers/awesome-tea/pulls/1")
    # The pull request names everything since it was opened, not only the last push.
    assert body["title"] == "Add Gongfu Timer and Leaf Scale"
    assert github.pulls[0]["title"] == "Add Gongfu Timer and Leaf Scale"
    # One commit on the base, always mergeable.
    assert remote.log(head(team)) == ["Add Gongfu Timer and Leaf Scale", "Initial list"]
    assert b"Leaf Scale" in remote.show("README.md", head(team))


def test_nothing_new_pushes_nothing_and_writes_nothing(team, remote, github, pr_repository):
    publish(team, "Gongfu Timer")
    push_list(team.curated_list)
    tip, writes = remote.tip(head(team)), len(github.writes())
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.UNCHANGED
    assert outcome.pull_request_url.endswith("/pull/1")
    assert remote.tip(head(team)) == tip
    assert len(github.writes()) == writes


def test_after_a_merge_the_next_change_opens_a_new_pull_request(
    team, remote, github, pr_repository
):
    publish(team, "Gongfu Timer")
    push_list(team.curated_list)
    files = dict(export_files(team.curated_list).items())
    remote.commit_as_someone(files, "Merge pull request #1")
    github.pulls[0]["state"] = "closed"
    assert push_list(team.curated_list).state == PushState.UNCHANGED
    publish(team, "Leaf Scale")
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.PR_OPENED
    assert outcome.pull_request_url.endswith("/pull/2")
    assert github.pulls[1]["title"] == "Add Leaf Scale"


def test_titles_cannot_mention_or_close_anything_in_the_description(team, github, pr_repository):
    publish(team, "Fixes #12 @everyone ~~~")
    push_list(team.curated_list)
    body = github.pulls[0]["body"]
    fenced, _, rest = body.partition("\n~~~~\n")
    assert fenced.startswith("~~~~text\n")
    assert "Fixes #12 @everyone ~ ~ ~" in fenced
    assert "#12" not in rest
    assert "@everyone" not in rest


def test_a_wrong_token_is_named(team, remote, github, pr_repository, push_settings):
    push_settings.PUSH = {**push_settings.PUSH, "GITHUB_TOKEN": "ghp_revoked"}
    publish(team, "Gongfu Timer")
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.FAILED
    assert outcome.detail == (
        "GitHub refused the token (401 Bad credentials): set a valid PUSH_GITHUB_TOKEN."
    )
    assert outcome.next_retry_at is not None
    assert not remote.has(head(team))  # refused before anything was pushed


def test_a_token_without_write_access_is_named(team, github, pr_repository):
    publish(team, "Gongfu Timer")
    github.fail_next(403, "Resource not accessible by personal access token", method="POST")
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.FAILED
    assert "GitHub forbids this (403 Resource not accessible by personal access token)" in (
        outcome.detail
    )
    assert "write access to tea-lovers/awesome-tea" in outcome.detail


def test_a_spent_rate_limit_is_said_so(team, github, pr_repository):
    publish(team, "Gongfu Timer")
    github.fail_next(403, "API rate limit exceeded", x_ratelimit_remaining="0")
    outcome = push_list(team.curated_list)
    assert outcome.detail == (
        "GitHub's rate limit is spent (403 API rate limit exceeded); the push is retried."
    )


def test_a_refused_pull_request_says_why(team, github, pr_repository):
    publish(team, "Gongfu Timer")
    github.fail_next(
        422,
        "Validation Failed",
        method="POST",
        errors=[{"resource": "PullRequest", "code": "custom", "message": "No commits between"}],
    )
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.FAILED
    assert outcome.detail == (
        "GitHub could not open the pull request (422 Validation Failed: No commits between)."
    )
    # Retried later, it goes through.
    assert push_list(team.curated_list).state == PushState.PR_OPENED


def test_no_token_no_pull_request(team, pr_repository, push_settings):
    push_settings.PUSH = {**push_settings.PUSH, "GITHUB_TOKEN": ""}
    publish(team, "Gongfu Timer")
    outcome = push_list(team.curated_list)
    assert outcome.detail == "PUSH_GITHUB_TOKEN is not set: a pull request needs a GitHub token."


def test_the_address_guard_applies_to_the_api(team, github, pr_repository, push_settings):
    push_settings.OUTBOUND_ALLOWED_NETWORKS = []
    publish(team, "Gongfu Timer")
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.FAILED
    assert "refused to connect to 127.0.0.1" in outcome.detail
    assert github.requests == []
