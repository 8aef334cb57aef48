"""Publish a list's regenerated README to its repository: the one place that does it.

    outcome = push_list(curated_list, trigger=PushAttempt.Trigger.COMMAND)

1. Render the files from the database (``catalog.export.export_files``) and refuse a README
   over GitHub's 512,000-byte display limit before anything leaves the machine.
2. In a temporary clone of the branch's tip: refuse when the README there was changed by
   someone else since our last push (a *conflict*: their work is not overwritten unasked, see
   ``force``), write the files, and stop when the bytes are the same (no change, no commit).
3. Commit with a message naming what changed (``curation.push.message``) and push to the branch
   — or, for a GitHub pull request, to our own branch, then open or update the pull request.
   When the branch moved between fetch and push, fetch again and start over (once).
4. Record the attempt (``PushAttempt``) and the repository's state. A failure is retried with a
   doubling delay (``next_retry_at``; a deferred task where the task backend can defer, and
   ``push_readme --due`` from cron in any case), so a push is never lost; a refusal and a
   conflict wait for a person instead, since trying again would not help.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.export import export_files
from catalog.importer import ImportRefused, read_readme
from catalog.models import CuratedList
from curation.health.network import async_client, run_async
from curation.push.git import Author, BranchMoved, Credentials, GitError, Remote, Workdir
from curation.push.github import GitHubError, GitHubPulls, PullRequest
from curation.push.message import ChangeMessage, change_message
from curation.push.models import (
    GITHUB_README_LIMIT,
    ListRepository,
    PushAttempt,
    PushMethod,
    PushState,
)
from curation.sync import plan_sync

logger = logging.getLogger(__name__)
ATTEMPTS_PER_PUSH = 2  # the branch may move once under us; twice in a row is a failure


class PushFailed(Exception):
    """Something outside went wrong (network, credentials, the forge): worth retrying."""


class PushConflict(Exception):
    """The repository holds someone else's change to the README: a person decides."""


class PushRefused(Exception):
    """What we would push is not fit to be pushed (a README over GitHub's limit)."""


@dataclass
class PushOutcome:
    state: PushState
    detail: str = ""
    commit_sha: str = ""
    pull_request_url: str = ""
    message: str = ""
    readme_bytes: int = 0
    changed_paths: list[str] = field(default_factory=list)
    next_retry_at: datetime | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.state not in (PushState.FAILED, PushState.CONFLICT, PushState.REFUSED)


def blob_id(data: bytes) -> str:
    """The id git gives ``data`` as a file (so we can compare without a checkout)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def files_for(repository: ListRepository, rendered: dict[str, str]) -> dict[str, bytes]:
    """The rendered files at the repository's paths: license.md beside the README."""
    readme_dir = PurePosixPath(repository.readme_path).parent
    files = {repository.readme_path: rendered["README.md"].encode()}
    if repository.contributing_path:
        files[repository.contributing_path] = rendered["contributing.md"].encode()
    if "license.md" in rendered:
        files[str(readme_dir / "license.md")] = rendered["license.md"].encode()
    return files


def size_problem(readme: bytes) -> str | None:
    size = len(readme)
    if size <= GITHUB_README_LIMIT:
        return None
    return (
        f"README.md is {size:,} bytes, over GitHub's display limit of {GITHUB_README_LIMIT:,} "
        f"bytes (by {size - GITHUB_README_LIMIT:,}): GitHub would cut it off. Nothing was "
        "pushed; shorten descriptions or split the list."
    )


def repository_of(curated_list: CuratedList) -> ListRepository:
    repository = ListRepository.objects.filter(curated_list=curated_list).first()
    if repository is None:
        raise ValidationError(
            f"{curated_list.slug} names no repository to publish to: set one on the list's "
            "admin page (Repository publishing)."
        )
    return repository


def _remote(repository: ListRepository) -> Remote:
    push = settings.PUSH
    token = push["GIT_TOKEN"]
    username = push["GIT_USERNAME"]
    if not token and repository.method == PushMethod.GITHUB_PR:
        token, username = push["GITHUB_TOKEN"], username or "x-access-token"
    return Remote(
        url=repository.git_url.strip(),
        credentials=Credentials(
            username=username, token=token, ssh_command=push["GIT_SSH_COMMAND"]
        ),
        allow_local=push["ALLOW_LOCAL"],
        timeout=push["TIMEOUT"],
    )


def _author() -> Author:
    return Author(name=settings.PUSH["AUTHOR_NAME"], email=settings.PUSH["AUTHOR_EMAIL"])


def _check_conflict(
    work: Workdir, repository: ListRepository, base: str, files: dict[str, bytes], branch: str
) -> None:
    known = repository.pushed_blobs or {}
    if not known:
        # The first push replaces the README the list was imported from: refused when that
        # README lists entries the list does not have (added there since the import).
        _check_first_push(work, repository, base, branch)
        return
    for path, data in files.items():
        now = work.blob(base, path)
        if now is None or now == blob_id(data) or now in known.get(path, []):
            continue
        if path not in known:
            continue  # a file we never published before (a new licence): nobody's work
        who = work.last_commit_touching(base, path)
        raise PushConflict(
            f"{path} on {branch} was changed outside Awesome Curator since the last push "
            f"(last change: {who}). Pushing would undo that change. Bring it in first "
            f"(manage.py sync_readme {repository.curated_list.slug} …), then push with "
            f"manage.py push_readme {repository.curated_list.slug} --force to replace it."
        )


def entries_only_in(curated_list: CuratedList, data: bytes) -> list[str]:
    """The entries a README lists that the list has nowhere (not live, not archived, not in
    the workflow): what replacing that README would drop. Empty when it is no list at all."""
    try:
        doc, _report = read_readme(data)
    except ImportRefused:
        return []
    plan = plan_sync(curated_list, doc, source="push")
    return [
        item.change.title
        for item in plan.items
        if item.change.kind == "added" and item.action == "create"
    ]


def _check_first_push(work: Workdir, repository: ListRepository, base: str, branch: str) -> None:
    path = repository.readme_path
    data = work.read(base, path)
    if not data:
        return
    missing = entries_only_in(repository.curated_list, data)
    if not missing:
        return
    slug = repository.curated_list.slug
    named = ", ".join(f"“{title}”" for title in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    count = f"{len(missing)} entr{'y' if len(missing) == 1 else 'ies'}"
    raise PushConflict(
        f"{path} on {branch} lists {count} that the list does not have: {named}{more}. "
        f"This first push would remove them. Bring them in first (manage.py sync_readme "
        f"{slug} …, or “Sync from README” on the list's page), then push; or push with "
        f"manage.py push_readme {slug} --force to replace that README as it is."
    )


@dataclass
class _Built:
    commit: str | None  # None: nothing to commit
    base: str | None
    known: dict[str, list[str]]
    changed: list[str]
    created: bool = False  # the branch does not exist yet


def _build(
    work: Workdir,
    repository: ListRepository,
    files: dict[str, bytes],
    message: ChangeMessage,
    *,
    base_branch: str,
    force: bool,
) -> _Built:
    """Fetch ``base_branch`` and commit ``files`` on top of it (conflicts checked)."""
    tip = work.remote_tip(base_branch)
    base = work.fetch(base_branch) if tip else None
    if base is None and repository.method == PushMethod.GITHUB_PR:
        raise PushFailed(
            f"The base branch {base_branch} does not exist in {repository.git_url}: "
            "a pull request needs one."
        )
    if base is None:
        # A new branch starts from the repository's default branch (empty repository: from
        # nothing); whatever is there was never ours to compare with.
        default = work.default_branch()
        base = work.fetch(default) if default else None
    elif not force:
        _check_conflict(work, repository, base, files, base_branch)
    before = {path: (work.blob(base, path) if base else None) for path in files}
    changed = [path for path, data in files.items() if before[path] != blob_id(data)]
    known = {
        path: sorted({b for b in (before[path], blob_id(data)) if b})
        for path, data in files.items()
    }
    commit = work.commit_files(base=base, files=files, message=message.text, author=_author())
    return _Built(commit=commit, base=base, known=known, changed=changed, created=tip is None)


def _push_git(
    repository: ListRepository,
    files: dict[str, bytes],
    message: ChangeMessage,
    *,
    dry_run: bool,
    force: bool,
) -> tuple[PushOutcome, dict[str, list[str]]]:
    branch = repository.branch
    for attempt in range(ATTEMPTS_PER_PUSH):
        with Workdir(_remote(repository)) as work:
            built = _build(work, repository, files, message, base_branch=branch, force=force)
            if built.commit is None:
                return PushOutcome(PushState.UNCHANGED, commit_sha=built.base or ""), built.known
            if dry_run:
                return PushOutcome(PushState.PUSHED, changed_paths=built.changed), built.known
            try:
                work.push(built.commit, branch, expect=built.base)
            except BranchMoved:
                if attempt + 1 == ATTEMPTS_PER_PUSH:
                    raise
                continue
            detail = f"created branch {branch}" if built.created else ""
            outcome = PushOutcome(
                PushState.PUSHED,
                detail=detail,
                commit_sha=built.commit,
                changed_paths=built.changed,
            )
            return outcome, built.known
    raise AssertionError("unreachable")


def _github(repository: ListRepository) -> tuple[str, str]:
    token = settings.PUSH["GITHUB_TOKEN"]
    if not token:
        raise PushFailed("PUSH_GITHUB_TOKEN is not set: a pull request needs a GitHub token.")
    return settings.PUSH["GITHUB_API_URL"], token


def _pull_request(
    repository: ListRepository, api_url: str, token: str, title: str, body: str
) -> PullRequest:
    async def go() -> PullRequest:
        async with async_client(
            timeout=settings.PUSH["TIMEOUT"], user_agent=settings.PUSH["USER_AGENT"]
        ) as http:
            pulls = GitHubPulls(
                http=http, api_url=api_url, repository=repository.github_full_name, token=token
            )
            return await pulls.open_or_update(
                head=repository.head_branch, base=repository.branch, title=title, body=body
            )

    return run_async(go())


def _open_pull_request(
    repository: ListRepository, api_url: str, token: str
) -> dict[str, object] | None:
    async def go() -> dict[str, object] | None:
        async with async_client(
            timeout=settings.PUSH["TIMEOUT"], user_agent=settings.PUSH["USER_AGENT"]
        ) as http:
            pulls = GitHubPulls(
                http=http, api_url=api_url, repository=repository.github_full_name, token=token
            )
            return await pulls.find_open(head=repository.head_branch, base=repository.branch)

    return run_async(go())


def _push_github(
    repository: ListRepository,
    files: dict[str, bytes],
    *,
    dry_run: bool,
    force: bool,
) -> tuple[PushOutcome, dict[str, list[str]], int]:
    """Commit on top of the base branch, reset our branch to it, open or update the PR."""
    api_url, token = _github(repository)
    open_pr = None if dry_run else _open_pull_request(repository, api_url, token)
    # An open pull request names everything since it was opened; a new one, what came after
    # the previous push (whose pull request was merged or closed).
    start = repository.pull_request_from_event if open_pr else repository.pushed_through_event
    message = change_message(repository.curated_list, start)
    head = repository.head_branch
    for attempt in range(ATTEMPTS_PER_PUSH):
        with Workdir(_remote(repository)) as work:
            built = _build(
                work, repository, files, message, base_branch=repository.branch, force=force
            )
            if built.commit is None:
                # The base branch already holds these files: nothing to propose.
                outcome = PushOutcome(PushState.UNCHANGED, commit_sha=built.base or "")
                return outcome, built.known, start
            head_tip = work.remote_tip(head)
            already = bool(head_tip) and _same_proposal(work, head, built.commit)
            if already and open_pr:
                outcome = PushOutcome(
                    PushState.UNCHANGED,
                    commit_sha=head_tip or "",
                    pull_request_url=str(open_pr.get("html_url", "")),
                )
                return outcome, built.known, start
            if dry_run:
                outcome = PushOutcome(
                    PushState.PR_UPDATED if head_tip else PushState.PR_OPENED,
                    changed_paths=built.changed,
                    message=message.text,
                )
                return outcome, built.known, start
            sha = head_tip or ""
            if not already:
                # Our branch: reset to the new commit, unless someone pushed to it since we
                # looked (the lease), which starts over.
                try:
                    work.push(built.commit, head, expect=head_tip, force=True)
                except BranchMoved:
                    if attempt + 1 == ATTEMPTS_PER_PUSH:
                        raise
                    continue
                sha = built.commit
            body = (
                message.markdown
                + "\n\nThis pull request is opened and updated by Awesome Curator: edit the "
                "list there, not this branch (it is reset on every push)."
            )
            pr = _pull_request(repository, api_url, token, message.subject, body)
            outcome = PushOutcome(
                PushState.PR_OPENED if pr.created else PushState.PR_UPDATED,
                commit_sha=sha,
                pull_request_url=pr.url,
                changed_paths=built.changed,
                message=message.text,
            )
            return outcome, built.known, start
    raise AssertionError("unreachable")


def _same_proposal(work: Workdir, head: str, commit: str) -> bool:
    """True when our branch already holds ``commit``'s files on the same base."""
    work.git("fetch", "--quiet", "--depth=2", "origin", f"refs/heads/{head}")
    tip = work.git("rev-parse", "FETCH_HEAD").strip()
    same_tree = work.git("rev-parse", f"{tip}^{{tree}}") == work.git(
        "rev-parse", f"{commit}^{{tree}}"
    )
    parent = work.git("rev-parse", "--verify", "--quiet", f"{tip}^", check=False).strip()
    base = work.git("rev-parse", "--verify", "--quiet", f"{commit}^", check=False).strip()
    return same_tree and bool(parent) and parent == base


def push_list(
    curated_list: CuratedList,
    *,
    trigger: str = PushAttempt.Trigger.COMMAND,
    dry_run: bool = False,
    force: bool = False,
) -> PushOutcome:
    """Publish ``curated_list``'s README to its repository; see the module's docstring."""
    repository = repository_of(curated_list)
    repository.curated_list = curated_list
    started = timezone.now()
    # The message first: an event after it is in the files but unnamed, never the reverse.
    message = change_message(curated_list, repository.pushed_through_event)
    files = files_for(repository, export_files(curated_list))
    readme = files[repository.readme_path]
    known: dict[str, list[str]] = {}
    pr_start = 0
    try:
        if (problem := size_problem(readme)) is not None:
            raise PushRefused(problem)
        if repository.method == PushMethod.GITHUB_PR:
            outcome, known, pr_start = _push_github(repository, files, dry_run=dry_run, force=force)
        else:
            outcome, known = _push_git(repository, files, message, dry_run=dry_run, force=force)
            outcome.message = outcome.message or message.text
    except PushRefused as exc:
        outcome = PushOutcome(PushState.REFUSED, detail=str(exc))
    except PushConflict as exc:
        outcome = PushOutcome(PushState.CONFLICT, detail=str(exc))
    except BranchMoved as exc:
        outcome = PushOutcome(
            PushState.FAILED,
            detail=f"{repository.target_branch} kept moving while we pushed ({exc}).",
        )
    except (GitError, GitHubError, PushFailed) as exc:
        outcome = PushOutcome(PushState.FAILED, detail=str(exc))
    outcome.readme_bytes = len(readme)
    outcome.dry_run = dry_run
    if dry_run:
        return outcome
    _record(repository, outcome, started=started, trigger=trigger, known=known)
    if outcome.ok:
        fields = ["pushed_through_event", "pull_request_from_event"]
        repository.pushed_through_event = max(
            repository.pushed_through_event, message.last_event_id
        )
        if repository.method == PushMethod.GITHUB_PR and outcome.state != PushState.UNCHANGED:
            repository.pull_request_from_event = pr_start
        repository.save(update_fields=fields)
    return outcome


def _record(
    repository: ListRepository,
    outcome: PushOutcome,
    *,
    started: datetime,
    trigger: str,
    known: dict[str, list[str]],
) -> None:
    now = timezone.now()
    repository.state = outcome.state
    repository.last_attempt_at = now
    fields = ["state", "last_attempt_at", "last_error", "failures", "next_retry_at"]
    if outcome.ok:
        repository.last_error = ""
        repository.failures = 0
        repository.next_retry_at = None
        repository.last_success_at = now
        repository.pushed_blobs = known
        fields += ["last_success_at", "pushed_blobs"]
        if outcome.commit_sha:
            repository.last_commit_sha = outcome.commit_sha
            fields.append("last_commit_sha")
        if outcome.pull_request_url:
            repository.pull_request_url = outcome.pull_request_url
            fields.append("pull_request_url")
    else:
        repository.last_error = outcome.detail
        if outcome.state == PushState.FAILED:
            repository.failures += 1
            repository.next_retry_at = now + repository.retry_delay()
        else:  # a refusal or a conflict: trying again would not help, a person must act
            repository.next_retry_at = None
        outcome.next_retry_at = repository.next_retry_at
        logger.warning("push of %s: %s", repository.curated_list.slug, outcome.detail)
    repository.save(update_fields=[*fields, "updated_at"])
    PushAttempt.objects.create(
        repository=repository,
        trigger=trigger,
        state=outcome.state,
        started_at=started,
        finished_at=now,
        message=outcome.message,
        error=outcome.detail if not outcome.ok else "",
        commit_sha=outcome.commit_sha,
        pull_request_url=outcome.pull_request_url,
        readme_bytes=outcome.readme_bytes,
        next_retry_at=repository.next_retry_at,
    )


def due_for_retry() -> list[ListRepository]:
    return list(
        ListRepository.objects.filter(next_retry_at__lte=timezone.now())
        .select_related("curated_list")
        .order_by("next_retry_at")
    )


def run_push_task(list_id: int, trigger: str, *, force: bool = False) -> dict[str, object]:
    """What ``push_readme_task`` does: push, then schedule the retry of a failure."""
    repository = (
        ListRepository.objects.filter(curated_list_id=list_id)
        .select_related("curated_list")
        .first()
    )
    if repository is None:
        return {"state": "no repository"}
    if trigger == PushAttempt.Trigger.RETRY and not repository.retry_is_due:
        # Succeeded since, or a later failure scheduled its own retry: this one is spent.
        return {"state": "retry not due"}
    if trigger == PushAttempt.Trigger.CHANGE and not repository.enabled:
        return {"state": "disabled"}
    outcome = push_list(repository.curated_list, trigger=trigger, force=force)
    if outcome.state == PushState.FAILED and outcome.next_retry_at is not None:
        schedule_retry(list_id, outcome.next_retry_at)
    return {
        "state": str(outcome.state),
        "detail": outcome.detail,
        "commit": outcome.commit_sha,
        "pull_request": outcome.pull_request_url,
    }


def schedule_retry(list_id: int, when: datetime) -> bool:
    """Queue the retry for ``when`` where the task backend can wait; else cron's ``--due`` run
    (``push_readme --due``) picks it up. True when queued."""
    from curation.tasks import push_readme_task

    if not push_readme_task.get_backend().supports_defer:
        return False
    push_readme_task.using(run_after=when).enqueue(list_id, PushAttempt.Trigger.RETRY)
    return True
