"""Where a list's README is published, and what happened the last times it was tried.

Registered with the curation app from ``CurationConfig.ready``. No credential is stored here:
tokens and SSH keys come from the environment (``PUSH_*`` settings); the URL is refused when it
carries a user name or password.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.models import CuratedList
from curation.push.git import url_problem

# GitHub shows a README up to this many bytes; a larger one is cut off on the repository page.
GITHUB_README_LIMIT = 512_000
README_WARNING_RATIO = 0.9
BRANCH = re.compile(r"^(?!/|.*//|.*\.\.|.*@\{|.*\.lock$|.*/$|.*\.$)[A-Za-z0-9._/-]{1,200}$")
GITHUB_URL = re.compile(
    r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?$"
)


SETTINGS_FIELDS = (
    "enabled",
    "method",
    "git_url",
    "branch",
    "pr_branch",
    "github_repository",
    "readme_path",
    "contributing_path",
)


class PushMethod(models.TextChoices):
    GIT = "git", "git push to the branch"
    GITHUB_PR = "github-pr", "GitHub pull request"


class PushState(models.TextChoices):
    NEVER = "never", "Not pushed yet"
    PUSHED = "pushed", "Pushed"
    PR_OPENED = "pr_opened", "Pull request opened"
    PR_UPDATED = "pr_updated", "Pull request updated"
    UNCHANGED = "unchanged", "Already up to date"
    FAILED = "failed", "Failed (will retry)"
    CONFLICT = "conflict", "Conflict (needs a curator)"
    REFUSED = "refused", "Refused (README too large)"


SUCCESS_STATES = (
    PushState.PUSHED,
    PushState.PR_OPENED,
    PushState.PR_UPDATED,
    PushState.UNCHANGED,
)


def _relative_path(value: str, field: str) -> dict[str, str]:
    if not value:
        return {}
    parts = value.split("/")
    if value.startswith("/") or any(part in ("", ".", "..", ".git") for part in parts):
        return {field: f"“{value}” must be a path inside the repository, e.g. README.md."}
    return {}


class ListRepository(models.Model):
    """A list's own repository: where its regenerated README goes, and how."""

    curated_list = models.OneToOneField(
        CuratedList, on_delete=models.CASCADE, related_name="publishing"
    )
    enabled = models.BooleanField(
        default=True, help_text="Push after every change of the README (off: only by command)."
    )
    method = models.CharField(max_length=20, choices=PushMethod.choices, default=PushMethod.GIT)
    git_url = models.CharField(
        "git URL",
        max_length=500,
        help_text="https://github.com/owner/repo.git or git@host:owner/repo.git — no password "
        "in it: credentials come from the server's environment (PUSH_GIT_TOKEN, "
        "PUSH_GITHUB_TOKEN, PUSH_GIT_SSH_COMMAND).",
    )
    branch = models.CharField(
        max_length=200,
        default="main",
        help_text="git: the branch the commit goes to. GitHub pull request: the base branch.",
    )
    pr_branch = models.CharField(
        "pull request branch",
        max_length=200,
        blank=True,
        help_text="GitHub pull request only: the branch the commit goes to "
        "(default: awesome-curator/<list slug>). It is ours: it is reset on every push.",
    )
    github_repository = models.CharField(
        max_length=200,
        blank=True,
        help_text="owner/name on GitHub; leave empty when the git URL is on github.com.",
    )
    readme_path = models.CharField("README path", max_length=300, default="README.md")
    contributing_path = models.CharField(
        max_length=300,
        default="contributing.md",
        blank=True,
        help_text="The README links to contributing.md beside it; empty: not published.",
    )

    # What the last push left (the attempts themselves are PushAttempt rows).
    state = models.CharField(
        max_length=20, choices=PushState.choices, default=PushState.NEVER, editable=False
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_commit_sha = models.CharField(max_length=40, blank=True, editable=False)
    pull_request_url = models.URLField(max_length=500, blank=True, editable=False)
    failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Failed attempts in a row."
    )
    next_retry_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Blob ids of the files as we last pushed them (or were told to replace): a README changed
    # on the branch since then is someone else's work, not to be overwritten unasked.
    pushed_blobs = models.JSONField(default=dict, blank=True, editable=False)
    # Workflow events up to this id are in an earlier commit message.
    pushed_through_event = models.BigIntegerField(default=0, editable=False)
    # GitHub pull request: the open one names the events after this id (it may span pushes).
    pull_request_from_event = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "curation"
        ordering = ["curated_list__slug"]
        verbose_name = "repository publishing"
        verbose_name_plural = "repository publishing"
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=PushMethod.values), name="list_repository_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=PushState.values), name="list_repository_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["next_retry_at"], name="list_repository_retry_idx")]

    def __str__(self) -> str:
        return f"{self.curated_list} → {self.git_url} ({self.target_branch})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving the settings (the admin's form) never writes the push state back: a push
        that finished while the form was open would otherwise be undone. The push service
        writes the state with ``update_fields``."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [*SETTINGS_FIELDS, "updated_at"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.curated_list.get_absolute_url()

    @property
    def head_branch(self) -> str:
        return self.pr_branch or f"awesome-curator/{self.curated_list.slug}"

    @property
    def target_branch(self) -> str:
        """The branch our commits go to."""
        return self.head_branch if self.method == PushMethod.GITHUB_PR else self.branch

    @property
    def github_full_name(self) -> str:
        if self.github_repository:
            return self.github_repository.strip().strip("/")
        match = GITHUB_URL.match(self.git_url.strip())
        return match.group("repo") if match else ""

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        problem = url_problem(self.git_url, allow_local=settings.PUSH["ALLOW_LOCAL"])
        if problem:
            errors["git_url"] = problem
        for name in ("branch", "pr_branch"):
            value = getattr(self, name)
            if value and not BRANCH.match(value):
                errors[name] = f"“{value}” is not a branch name git accepts."
        errors |= _relative_path(self.readme_path, "readme_path")
        errors |= _relative_path(self.contributing_path, "contributing_path")
        if not self.readme_path:
            errors["readme_path"] = "Say where the README goes, e.g. README.md."
        if self.readme_path and self.readme_path == self.contributing_path:
            errors["contributing_path"] = "The README and contributing.md need two paths."
        if self.github_repository and not re.fullmatch(
            r"[\w.-]+/[\w.-]+", self.github_repository.strip()
        ):
            errors["github_repository"] = "Write it as owner/name, e.g. sindresorhus/awesome."
        if self.method == PushMethod.GITHUB_PR:
            if not self.github_full_name:
                errors["github_repository"] = (
                    "A pull request needs the GitHub repository: write it as owner/name."
                )
            if self.pr_branch and self.pr_branch == self.branch:
                errors["pr_branch"] = "The pull request needs a branch of its own."
        if errors:
            raise ValidationError(errors)

    def retry_delay(self) -> timedelta:
        """Backoff after ``failures`` failures in a row: doubling from the first, capped."""
        first = settings.PUSH["RETRY_SECONDS"]
        cap = settings.PUSH["RETRY_MAX_SECONDS"]
        exponent = max(self.failures - 1, 0)
        return timedelta(seconds=min(first * 2 ** min(exponent, 30), cap))

    @property
    def retry_is_due(self) -> bool:
        return self.next_retry_at is not None and self.next_retry_at <= timezone.now()


class PushAttempt(models.Model):
    """One try to publish a list's README: kept, failed ones included, for the admin to show."""

    class Trigger(models.TextChoices):
        CHANGE = "change", "after a change"
        RETRY = "retry", "retry"
        COMMAND = "command", "command"
        ADMIN = "admin", "admin"

    repository = models.ForeignKey(
        ListRepository, on_delete=models.CASCADE, related_name="attempts"
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    state = models.CharField(max_length=20, choices=PushState.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    message = models.TextField(blank=True, help_text="The commit message.")
    error = models.TextField(blank=True)
    commit_sha = models.CharField(max_length=40, blank=True)
    pull_request_url = models.URLField(max_length=500, blank=True)
    readme_bytes = models.PositiveIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "curation"
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PushState.values), name="push_attempt_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["repository", "started_at"], name="push_attempt_idx")]

    def __str__(self) -> str:
        return f"{self.get_state_display()} at {self.started_at:%Y-%m-%d %H:%M}"
