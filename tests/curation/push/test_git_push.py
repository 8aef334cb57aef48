"""Pushing the regenerated README to a real git repository (a bare one on disk)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.export import export_files
from catalog.models import Entry
from curation import services
from curation.push import git as gitmodule
from curation.push.models import GITHUB_README_LIMIT, ListRepository, PushAttempt, PushState
from curation.push.service import push_list
from tests.curation.push.conftest import publish

S = Entry.Status


def readme_of(team) -> bytes:
    return export_files(team.curated_list)["README.md"].encode()


def test_a_push_commits_the_regenerated_files_with_a_message_naming_the_change(
    team, remote, repository
):
    publish(team, "Gongfu Timer")
    before = remote.tip()
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.PUSHED
    assert remote.show("README.md") == readme_of(team)
    assert remote.show("contributing.md").startswith(b"# Contribution Guidelines")
    assert remote.show("LICENSE") == b"CC0\n"  # the rest of the repository is kept
    assert remote.log()[:2] == ["Add Gongfu Timer", "Initial list"]
    assert remote.tip() == outcome.commit_sha != before
    assert "by " + str(team.curator) in remote.message()
    author = remote.log(fmt="%an <%ae>")[0]
    assert author == "Curator Bot <bot@curator.example.org>"
    repository.refresh_from_db()
    assert repository.state == PushState.PUSHED
    assert repository.last_commit_sha == outcome.commit_sha
    attempt = repository.attempts.get()
    assert attempt.state == PushState.PUSHED
    assert attempt.commit_sha == outcome.commit_sha


def test_no_change_no_commit(team, remote, repository):
    publish(team, "Gongfu Timer")
    push_list(team.curated_list)
    tip = remote.tip()
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.UNCHANGED
    assert remote.tip() == tip
    assert list(repository.attempts.values_list("state", flat=True)) == [
        PushState.UNCHANGED,
        PushState.PUSHED,
    ]


def test_the_message_names_what_changed_since_the_last_push(team, remote, repository):
    old = publish(team, "Old Kettle")
    push_list(team.curated_list)
    publish(team, "Leaf Scale")
    publish(team, "Gongfu Timer")
    services.entry_archive(actor=team.curator, entry=old)
    team.entry(S.DRAFT, title="Secret Draft")  # not in the README: not in the message
    push_list(team.curated_list)
    assert remote.log()[0] == "Add Leaf Scale and Gongfu Timer, archive Old Kettle"
    assert b"Old Kettle" not in remote.show("README.md")


def test_a_change_of_the_list_pushes_by_itself(
    team, remote, repository, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(team, "Gongfu Timer")
    assert remote.log()[0] == "Add Gongfu Timer"
    assert repository.attempts.get().trigger == PushAttempt.Trigger.CHANGE
    repository.enabled = False
    repository.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(team, "Leaf Scale")
    assert remote.log()[0] == "Add Gongfu Timer"  # disabled: nothing pushed


def test_a_new_branch_is_created_from_the_default_branch(team, remote, repository):
    repository.branch = "curator/readme"
    repository.save()
    publish(team, "Gongfu Timer")
    main = remote.tip()
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.PUSHED
    assert "created branch" in outcome.detail
    assert remote.has("curator/readme")
    assert remote.log("curator/readme") == ["Add Gongfu Timer", "Initial list"]
    assert remote.tip() == main  # main untouched


def test_an_empty_repository_gets_its_first_commit(team, tmp_path, push_settings):
    from tests.curation.push.gitrepos import BareRepo

    empty = BareRepo(tmp_path / "empty.git")
    ListRepository.objects.create(curated_list=team.curated_list, git_url=empty.url)
    publish(team, "Gongfu Timer")
    assert push_list(team.curated_list).state == PushState.PUSHED
    assert empty.log() == ["Add Gongfu Timer"]


def test_other_commits_on_the_branch_are_kept(team, remote, repository):
    publish(team, "Gongfu Timer")
    push_list(team.curated_list)
    remote.commit_as_someone({".github/workflows/lint.yml": "on: push\n"}, "Add CI")
    publish(team, "Leaf Scale")
    assert push_list(team.curated_list).state == PushState.PUSHED
    assert remote.log()[:3] == ["Add Leaf Scale", "Add CI", "Add Gongfu Timer"]
    assert remote.show(".github/workflows/lint.yml") == b"on: push\n"


def test_a_readme_edited_on_the_branch_is_a_conflict_not_overwritten(team, remote, repository):
    publish(team, "Gongfu Timer")
    push_list(team.curated_list)
    edited = remote.commit_as_someone(
        {"README.md": "# Awesome Tea\n\n- [Hand Added](https://x.example)\n"}, "Merge PR #12"
    )
    publish(team, "Leaf Scale")
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.CONFLICT
    assert "README.md on main was changed outside Awesome Curator" in outcome.detail
    assert "Merge PR #12" in outcome.detail
    assert "--force" in outcome.detail
    assert remote.tip() == edited  # their work is still there
    repository.refresh_from_db()
    assert repository.state == PushState.CONFLICT
    assert repository.next_retry_at is None
    # The curator brought it in (or decided against it) and replaces it.
    call_command("push_readme", team.curated_list.slug, "--force", stdout=_null())
    assert remote.show("README.md") == readme_of(team)
    assert remote.log()[1] == "Merge PR #12"


def test_when_the_branch_moves_between_fetch_and_push_it_starts_over(
    team, remote, repository, monkeypatch
):
    publish(team, "Gongfu Timer")
    real_push = gitmodule.Workdir.push
    raced = []

    def racing_push(self, commit, branch, **kwargs):
        if not raced:  # someone pushes just before we do
            raced.append(remote.commit_as_someone({"NOTES.md": "x\n"}, "Meanwhile"))
        return real_push(self, commit, branch, **kwargs)

    monkeypatch.setattr(gitmodule.Workdir, "push", racing_push)
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.PUSHED
    assert remote.log()[:2] == ["Add Gongfu Timer", "Meanwhile"]


def test_a_branch_that_keeps_moving_is_a_failure_retried_later(
    team, remote, repository, monkeypatch
):
    publish(team, "Gongfu Timer")
    real_push = gitmodule.Workdir.push
    count = iter(range(100))

    def racing_push(self, commit, branch, **kwargs):
        remote.commit_as_someone({"NOTES.md": f"{next(count)}\n"}, "Meanwhile")
        return real_push(self, commit, branch, **kwargs)

    monkeypatch.setattr(gitmodule.Workdir, "push", racing_push)
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.FAILED
    assert "main kept moving while we pushed" in outcome.detail
    assert outcome.next_retry_at is not None


def test_failures_are_retried_with_backoff_and_never_lost(team, remote, repository, tmp_path):
    publish(team, "Gongfu Timer")
    repository.git_url = str(tmp_path / "gone.git")
    repository.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = push_list(team.curated_list)
    assert first.state == PushState.FAILED
    assert "git ls-remote failed" in first.detail
    assert "gone.git" in first.detail
    assert first.next_retry_at == start + dt.timedelta(seconds=60)
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        call_command("push_readme", "--due", stdout=_null(), stderr=_null())
    repository.refresh_from_db()
    assert repository.failures == 2
    assert repository.next_retry_at == start + dt.timedelta(seconds=61 + 120)
    # Not due yet: nothing tried.
    with time_machine.travel(start + dt.timedelta(seconds=100), tick=False):
        call_command("push_readme", "--due", stdout=_null())
    assert repository.attempts.count() == 2
    repository.git_url = remote.url  # fixed
    repository.save()
    with time_machine.travel(start + dt.timedelta(seconds=200), tick=False):
        call_command("push_readme", "--due", stdout=_null())
    repository.refresh_from_db()
    assert repository.state == PushState.PUSHED
    assert repository.failures == 0
    assert repository.next_retry_at is None
    assert remote.log()[0] == "Add Gongfu Timer"  # the change it failed to push, named
    assert list(repository.attempts.values_list("trigger", "state")) == [
        (PushAttempt.Trigger.RETRY, PushState.PUSHED),
        (PushAttempt.Trigger.RETRY, PushState.FAILED),
        (PushAttempt.Trigger.COMMAND, PushState.FAILED),
    ]


def test_saving_the_settings_never_undoes_a_push(team, remote, repository):
    publish(team, "Gongfu Timer")
    stale = ListRepository.objects.get(pk=repository.pk)  # a form opened before the push
    push_list(team.curated_list)
    stale.branch = "main"
    stale.save()
    repository.refresh_from_db()
    assert repository.state == PushState.PUSHED
    assert repository.pushed_through_event > 0
    publish(team, "Leaf Scale")
    push_list(team.curated_list)
    assert remote.log()[0] == "Add Leaf Scale"  # not "Add Gongfu Timer and Leaf Scale"


def test_backoff_is_capped(team, repository):
    repository.failures = 40
    assert repository.retry_delay() == dt.timedelta(seconds=3600)


def test_a_readme_over_githubs_limit_is_refused_before_it_is_pushed(team, remote, repository):
    publish(team, "Gongfu Timer", description="Long. " * (GITHUB_README_LIMIT // 6 + 10))
    tip = remote.tip()
    outcome = push_list(team.curated_list)
    size = len(readme_of(team))
    assert outcome.state == PushState.REFUSED
    assert f"README.md is {size:,} bytes" in outcome.detail
    assert "512,000" in outcome.detail
    assert remote.tip() == tip
    repository.refresh_from_db()
    assert repository.next_retry_at is None
    assert repository.state == PushState.REFUSED


def test_dry_run_shows_the_commit_and_sends_nothing(team, remote, repository, capsys):
    publish(team, "Gongfu Timer")
    tip = remote.tip()
    call_command("push_readme", team.curated_list.slug, "--dry-run")
    out = capsys.readouterr().out
    assert "would commit README.md, contributing.md" in out
    assert "Add Gongfu Timer" in out
    assert remote.tip() == tip
    assert not repository.attempts.exists()


def test_the_command_explains_what_it_cannot_do(team, push_settings):
    with pytest.raises(CommandError, match='No list "nope"'):
        call_command("push_readme", "nope")
    with pytest.raises(CommandError, match="names no repository to publish to"):
        call_command("push_readme", team.curated_list.slug)
    with pytest.raises(CommandError, match="Name the list"):
        call_command("push_readme")


def test_a_failed_push_exits_non_zero_with_the_reason(team, repository, tmp_path):
    repository.git_url = str(tmp_path / "gone.git")
    repository.save()
    with pytest.raises(CommandError, match="git ls-remote failed"):
        call_command("push_readme", team.curated_list.slug, stderr=_null())


@pytest.mark.parametrize(
    ("url", "allow_local", "problem"),
    [
        ("https://github.com/o/awesome-tea.git", False, None),
        ("git@github.com:o/awesome-tea.git", False, None),
        ("ssh://git@git.example.org/o/awesome-tea.git", False, None),
        ("https://bob:hunter2@github.com/o/r.git", False, "Do not put a user name or password"),
        ("https://ghp_x@github.com/o/r.git", False, "Do not put a user name or password"),
        ("file:///srv/repo.git", False, "use an https:// or ssh:// URL"),
        ("/srv/repo.git", False, "use an https:// or ssh:// URL"),
        ("/srv/repo.git", True, None),
        ("ext::sh -c touch% /tmp/pwned", True, "use an https:// or ssh:// URL"),
        ("http://github.com/o/r.git", False, "use an https:// or ssh:// URL"),
        ("ssh://-oProxyCommand=touch%20x/r.git", False, "names no host"),
        ("git@-oProxyCommand=x:o/r.git", False, "use an https:// or ssh:// URL"),
    ],
)
def test_repository_urls(url, allow_local, problem):
    found = gitmodule.url_problem(url, allow_local=allow_local)
    assert (found is None) if problem is None else (problem in found)


def test_the_model_refuses_credentials_and_bad_paths(team, push_settings):
    push_settings.PUSH = {**push_settings.PUSH, "ALLOW_LOCAL": False}
    repository = ListRepository(
        curated_list=team.curated_list,
        git_url="https://me:secret@github.com/o/r.git",
        branch="main..x",
        readme_path="../README.md",
    )
    with pytest.raises(ValidationError) as caught:
        repository.full_clean()
    errors = caught.value.message_dict
    assert set(errors) == {"git_url", "branch", "readme_path"}
    repository = ListRepository(
        curated_list=team.curated_list,
        git_url="https://git.example.org/o/r.git",
        method="github-pr",
    )
    with pytest.raises(ValidationError, match="needs the GitHub repository"):
        repository.full_clean()
    repository.git_url = "https://github.com/tea-lovers/awesome-tea.git"
    repository.full_clean()
    assert repository.github_full_name == "tea-lovers/awesome-tea"


def test_credentials_go_to_git_through_the_environment_only(tmp_path):
    remote = gitmodule.Remote(
        url="https://git.example.org/o/r.git",
        credentials=gitmodule.Credentials(username="bot", token="s3cret-token"),
    )
    env = remote.environment(tmp_path)
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    keys = {
        env[f"GIT_CONFIG_KEY_{i}"]: env[f"GIT_CONFIG_VALUE_{i}"]
        for i in range(int(env["GIT_CONFIG_COUNT"]))
    }
    header = keys["http.https://git.example.org/.extraHeader"]
    assert header == "Authorization: Basic Ym90OnMzY3JldC10b2tlbg=="  # bot:s3cret-token
    assert "file" not in env["GIT_ALLOW_PROTOCOL"]
    # And an error from git never repeats the secret.
    with gitmodule.Workdir(remote) as work:
        said = work._describe(
            ("push",), "fatal: unable to access 'https://bot:s3cret-token@git.example.org/'"
        )
    assert said == "git push failed: fatal: unable to access 'https://bot:***@git.example.org/'"


def _null():
    import io

    return io.StringIO()


def _hand_written_readme(*items: str) -> str:
    lines = "\n".join(items)
    return (
        f"# Awesome Tea\n\n> Tea, by hand.\n\n## Contents\n\n- [Web](#web)\n\n## Web\n\n{lines}\n"
    )


def test_a_first_push_over_a_readme_with_entries_the_list_lacks_is_a_conflict(
    team, remote, repository
):
    entry = publish(team, "Gongfu Timer")
    edited = remote.commit_as_someone(
        {
            "README.md": _hand_written_readme(
                f"- [Gongfu Timer]({entry.url}) - Times each steep.",
                "- [Hand Added](https://hand.example.org/) - Added on GitHub after the import.",
            )
        },
        "Merge PR #3",
    )
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.CONFLICT
    assert "lists 1 entry that the list does not have: “Hand Added”" in outcome.detail
    assert "sync_readme" in outcome.detail
    assert "--force" in outcome.detail
    assert remote.tip() == edited  # their entry is still there
    # Once the list has it (here published by a curator, as a sync would), the push goes.
    publish(team, "Hand Added", url="https://hand.example.org/")
    assert push_list(team.curated_list).state == PushState.PUSHED
    assert b"Hand Added" in remote.show("README.md")


def test_a_first_push_replaces_a_readme_whose_entries_the_list_has(team, remote, repository):
    entry = publish(team, "Gongfu Timer")
    remote.commit_as_someone(
        {"README.md": _hand_written_readme(f"- [Gongfu Timer]({entry.url}) - Old words.")}
    )
    outcome = push_list(team.curated_list)
    assert outcome.state == PushState.PUSHED, outcome.detail
    assert remote.show("README.md") == readme_of(team)


def test_a_forced_first_push_replaces_the_readme_as_it_is(team, remote, repository):
    publish(team, "Gongfu Timer")
    remote.commit_as_someone(
        {"README.md": _hand_written_readme("- [Hand Added](https://hand.example.org/) - By hand.")}
    )
    assert push_list(team.curated_list).state == PushState.CONFLICT
    assert push_list(team.curated_list, force=True).state == PushState.PUSHED
    assert remote.show("README.md") == readme_of(team)
    assert remote.log()[1] == "Edit by hand"  # replaced in a new commit: history keeps it
