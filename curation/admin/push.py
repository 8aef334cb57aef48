"""Repository publishing on the list's admin page: where the README goes, and how it went.

List-wide curators edit the repository (an inline on the list's page); the state of the last
push, its error, the commit or pull request and the next retry are shown read-only beside it,
with the last attempts. The page warns when the README nears GitHub's display limit and when
the last push failed, so a failure is seen where the curator works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from catalog.export import export_files
from catalog.models import CuratedList
from curation.access import access_for
from curation.admin.base import ListPartInline
from curation.models import Role
from curation.push.models import (
    GITHUB_README_LIMIT,
    README_WARNING_RATIO,
    ListRepository,
    PushAttempt,
    PushState,
)

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

RECENT_ATTEMPTS = 5
NEEDS_A_PERSON = (PushState.FAILED, PushState.CONFLICT, PushState.REFUSED)


class RepositoryPublishingInline(ListPartInline):
    model = ListRepository
    template = "admin/edit_inline/stacked.html"
    max_num = 1
    can_delete = False
    verbose_name = "repository publishing"
    verbose_name_plural = "repository publishing"
    fields = (
        "enabled",
        "method",
        "git_url",
        "branch",
        "pr_branch",
        "github_repository",
        "readme_path",
        "contributing_path",
        "last_push",
        "recent_attempts",
    )
    readonly_fields = ("last_push", "recent_attempts")

    @admin.display(description="last push")
    def last_push(self, obj: ListRepository | None) -> SafeString | str:
        if obj is None or obj.pk is None:
            return (
                "Not pushed yet: save, then it pushes after the next change (or run push_readme)."
            )
        when = obj.last_attempt_at.strftime("%Y-%m-%d %H:%M") if obj.last_attempt_at else "never"
        parts = [format_html("<strong>{}</strong> — {}", obj.get_state_display(), when)]
        if obj.pull_request_url:
            parts.append(format_html('Pull request: <a href="{0}">{0}</a>', obj.pull_request_url))
        if obj.last_commit_sha:
            parts.append(format_html("Commit: <code>{}</code>", obj.last_commit_sha[:12]))
        if obj.last_error:
            parts.append(format_html('<span class="errornote">{}</span>', obj.last_error))
        if obj.next_retry_at:
            parts.append(
                format_html(
                    "Next retry: {} ({} failed attempts in a row)",
                    obj.next_retry_at.strftime("%Y-%m-%d %H:%M"),
                    obj.failures,
                )
            )
        return format_html_join(SafeString("<br>"), "{}", ((part,) for part in parts))

    @admin.display(description="recent attempts")
    def recent_attempts(self, obj: ListRepository | None) -> SafeString | str:
        if obj is None or obj.pk is None:
            return "—"
        rows = [
            (
                attempt.started_at.strftime("%Y-%m-%d %H:%M"),
                attempt.get_trigger_display(),
                attempt.get_state_display(),
                attempt.error or attempt.message.split("\n", 1)[0],
            )
            for attempt in obj.attempts.all()[:RECENT_ATTEMPTS]
        ]
        if not rows:
            return "none yet"
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table><tbody>{}</tbody></table>", body)


def readme_size_warning(size: int) -> str | None:
    """A warning from 90% of GitHub's display limit (None below)."""
    if size < GITHUB_README_LIMIT * README_WARNING_RATIO:
        return None
    share = size / GITHUB_README_LIMIT
    if size > GITHUB_README_LIMIT:
        return (
            f"README.md is {size:,} bytes, over GitHub's display limit of "
            f"{GITHUB_README_LIMIT:,} bytes: it will not be pushed until it is shorter."
        )
    return (
        f"README.md is {size:,} bytes, {share:.0%} of GitHub's display limit of "
        f"{GITHUB_README_LIMIT:,} bytes: beyond it, it will not be pushed."
    )


def warn_on_change_page(request: HttpRequest, curated_list: CuratedList) -> None:
    """The README's size near GitHub's limit, and a last push that needs a person."""
    size = len(export_files(curated_list)["README.md"].encode())
    if (warning := readme_size_warning(size)) is not None:
        messages.warning(request, warning)
    repository = ListRepository.objects.filter(curated_list=curated_list).first()
    if repository is not None and repository.state in NEEDS_A_PERSON:
        retry = ""
        if repository.next_retry_at and repository.next_retry_at > timezone.now():
            retry = f" Next retry at {repository.next_retry_at:%Y-%m-%d %H:%M}."
        messages.error(
            request,
            f"The last push of the README to {repository.git_url} "
            f"({repository.get_state_display().lower()}): {repository.last_error}{retry}",
        )


def push_now_view(model_admin: ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    """ "Push README now" (POST; list-wide curators): the same task as after a change, with
    ``force`` to replace a README changed on the branch once its change is brought in."""
    curated_list = get_object_or_404(CuratedList, pk=object_id)
    if not access_for(request).has_list_role(curated_list, Role.CURATOR, list_wide=True):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = HttpResponseRedirect(reverse("admin:catalog_curatedlist_change", args=[object_id]))
    repository = ListRepository.objects.filter(curated_list=curated_list).first()
    if repository is None:
        messages.error(request, "This list names no repository yet: fill in Repository publishing.")
        return back
    from curation.tasks import push_readme_task

    force = request.POST.get("force") == "1"
    result = push_readme_task.enqueue(curated_list.pk, PushAttempt.Trigger.ADMIN, force)
    if not result.is_finished:
        messages.info(request, "The push is queued; this page shows how it went once it ran.")
        return back
    repository.refresh_from_db()
    if repository.state in NEEDS_A_PERSON:
        return back  # the page's own message says what went wrong
    where = repository.pull_request_url or repository.last_commit_sha[:12]
    messages.success(request, f"{repository.get_state_display()}: {where}")
    return back
