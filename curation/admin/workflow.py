"""The workflow in the entry admin: decision buttons, bulk actions, history with revert.

Every change goes through ``curation.services``; a refusal comes back as an error message on
the page the person was on, never as a server error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.views.decorators.http import require_POST

from catalog.models import Entry
from curation import services
from curation.access import access_for
from curation.admin.base import out_of_scope_message
from curation.admin.diff import DiffRow, content_diff, inline_diff
from curation.models import Action, Role
from curation.queue import awaiting_review, my_submissions, ready_to_publish

REFUSALS = (PermissionDenied, ValidationError)


def refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You may not do that."


def entry_url(entry: Entry) -> str:
    return reverse("admin:catalog_entry_change", args=[entry.pk])


def parse_local_datetime(value: str) -> dt.datetime | None:
    """A ``datetime-local`` input (no zone) read in the site's time zone."""
    parsed = parse_datetime(value.strip()) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


# What a person reads after each decision, in plain words ("“Visidata” submitted for review.").
DONE = {
    Action.SUBMIT: "“{entry}” submitted for review.",
    Action.APPROVE: "You approved “{entry}”; it is ready to publish.",
    Action.REQUEST_CHANGES: "You asked for changes to “{entry}”; its author has been told.",
    Action.REJECT: "“{entry}” rejected.",
    Action.COMMENT: "Your comment on “{entry}” is saved.",
    Action.PUBLISH: "“{entry}” is published.",
    Action.UNPUBLISH: "“{entry}” is unpublished; it is {status} now.",
    Action.ARCHIVE: "“{entry}” is archived.",
    Action.MOVE_LINK: "“{entry}” now links to its new address.",
    Action.OVERRIDE_CHECKS: "The blocking checks of “{entry}” are overridden; it may be approved.",
}


def done_message(entry: Entry, action: Action) -> str:
    if action == Action.APPROVE and entry.status == Entry.Status.SUBMITTED:
        count = services.approvals_of(entry)
        required = entry.curated_list.approvals_required
        return f"You approved “{entry}”: {count} of {required} approvals."
    if action == Action.SCHEDULE:
        when = timezone.localtime(entry.publish_at) if entry.publish_at else None
        return f"“{entry}” is scheduled for {when:%Y-%m-%d %H:%M %Z}." if when else "Scheduled."
    if action == Action.PUBLISH and entry.is_proposal:
        return f"The proposal is merged: “{entry}” is live with the new content."
    status = entry.get_status_display().lower()
    template = DONE.get(Action(action))
    if template is None:
        return f"“{entry}”: {Action(action).label.lower()}; it is {status} now."
    return template.format(entry=entry, status=status)


def decide(
    *, actor: Any, entry: Entry, action: Action, comment: str, revision: int | None, publish_at: Any
) -> Entry:
    """One decision through its service (also what the bulk actions call)."""
    if action == Action.SUBMIT:
        return services.entry_submit(actor=actor, entry=entry, comment=comment, revision=revision)
    if action == Action.APPROVE:
        return services.entry_approve(actor=actor, entry=entry, comment=comment, revision=revision)
    if action == Action.REQUEST_CHANGES:
        return services.entry_request_changes(
            actor=actor, entry=entry, comment=comment, revision=revision
        )
    if action == Action.REJECT:
        return services.entry_reject(actor=actor, entry=entry, comment=comment, revision=revision)
    if action == Action.COMMENT:
        return services.entry_comment(actor=actor, entry=entry, comment=comment)
    if action == Action.PUBLISH:
        return services.entry_publish(actor=actor, entry=entry, revision=revision, comment=comment)
    if action == Action.SCHEDULE:
        if publish_at is None or publish_at <= timezone.now():
            raise ValidationError(
                "Choose a date and time in the future to schedule it, or publish it now."
            )
        return services.entry_publish(
            actor=actor, entry=entry, publish_at=publish_at, revision=revision, comment=comment
        )
    if action == Action.UNPUBLISH:
        return services.entry_unpublish(actor=actor, entry=entry, comment=comment)
    if action == Action.ARCHIVE:
        return services.entry_archive(actor=actor, entry=entry, comment=comment)
    if action == Action.MOVE_LINK:
        return services.entry_apply_redirect(actor=actor, entry=entry, comment=comment)
    if action == Action.OVERRIDE_CHECKS:
        return services.entry_override_checks(
            actor=actor, entry=entry, comment=comment, revision=revision
        )
    raise ValidationError(f"Unknown decision: {action}.")


HIDDEN_IN_HISTORY = {
    "revision",
    "normalized_url",
    "history_user",
    "curated_list",
    "updated_at",
    "position",
}


def version_changes(newer: Any, older: Any) -> list[DiffRow]:
    """What changed from one version to the next: every content field in full (word by word
    for texts; tags, markers, extra links and attributes included), and the status."""
    rows = []
    if newer.status != older.status:
        rows.append(
            DiffRow(
                "status",
                escape(older.get_status_display()),
                escape(newer.get_status_display()),
            )
        )
    try:
        before = services.EntryContent.from_history(older)
        after = services.EntryContent.from_history(newer)
    except ValidationError:  # a section of one version is gone: compare the row's own fields
        return rows + _row_changes(newer, older)
    return rows + content_diff(before, after)


def _row_changes(newer: Any, older: Any) -> list[DiffRow]:
    rows = []
    for change in newer.diff_against(older, foreign_keys_are_objs=False).changes:
        if change.field in HIDDEN_IN_HISTORY or change.field in {"status", "markers"}:
            continue
        field = Entry._meta.get_field(change.field)
        label = str(getattr(field, "verbose_name", change.field))
        rows.append(DiffRow(label, *inline_diff(str(change.old or ""), str(change.new or ""))))
    return rows


def _differs(record: Any, current: services.EntryContent) -> bool:
    """Whether reverting to this version would change anything (status changes do not)."""
    try:
        return bool(services.EntryContent.from_history(record).changed_fields(current))
    except ValidationError:
        return False  # its section is gone: it cannot be restored as it was


class QueueFilter(admin.SimpleListFilter):
    """The review queue, as a changelist filter with counts."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        access = access_for(request)
        options = []
        if access.is_superuser or access.list_ids(Role.REVIEWER):
            options.append(("review", f"Awaiting my review ({awaiting_review(access).count()})"))
        if access.is_superuser or access.list_ids(Role.CURATOR):
            options.append(("publish", f"Ready to publish ({ready_to_publish(access).count()})"))
        options.append(("mine", f"My submissions ({my_submissions(access).count()})"))
        return options

    def queryset(self, request: HttpRequest, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        access = access_for(request)
        queues: dict[str, Callable[..., QuerySet[Entry]]] = {
            "review": awaiting_review,
            "publish": ready_to_publish,
            "mine": my_submissions,
        }
        chosen = queues.get(self.value() or "")
        return chosen(access, queryset) if chosen else queryset


class WorkflowActionForm(ActionForm):
    comment = forms.CharField(
        required=False,
        label="Comment",
        widget=forms.TextInput(
            attrs={"size": 40, "placeholder": "Comment (required to reject or request changes)"}
        ),
    )


def bulk_decide(
    model_admin: Any,
    request: HttpRequest,
    queryset: QuerySet[Entry],
    action: Action,
    done: str,
    *,
    comment: Callable[[Entry], str] | None = None,
) -> None:
    """Run one service per selected entry and report per item: "3 published, 2 refused: …".

    The comment is the one typed beside the actions, unless ``comment`` words one per entry.
    """
    typed = request.POST.get("comment", "")
    succeeded, refused = 0, []
    rows = queryset.select_related("section", "curated_list", "link_health").order_by("pk")
    for entry in rows:
        try:
            decide(
                actor=request.user,
                entry=entry,
                action=action,
                comment=typed or (comment(entry) if comment else ""),
                revision=None,
                publish_at=None,
            )
        except REFUSALS as error:
            refused.append(f"“{entry}”: {refusal_text(error)}")
        else:
            succeeded += 1
    summary = f"{succeeded} {done}"
    if refused:
        summary += f", {len(refused)} refused: " + " · ".join(refused)
        model_admin.message_user(request, summary, messages.WARNING)
    else:
        model_admin.message_user(request, summary + ".", messages.SUCCESS)


@admin.action(description="Approve selected entries", permissions=["review"])
def approve_selected(model_admin: Any, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
    bulk_decide(model_admin, request, queryset, Action.APPROVE, "approved")


@admin.action(
    description="Request changes on selected entries (with the comment)", permissions=["review"]
)
def request_changes_selected(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Entry]
) -> None:
    bulk_decide(model_admin, request, queryset, Action.REQUEST_CHANGES, "sent back for changes")


@admin.action(description="Reject selected entries (with the comment)", permissions=["review"])
def reject_selected(model_admin: Any, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
    bulk_decide(model_admin, request, queryset, Action.REJECT, "rejected")


@admin.action(description="Publish selected entries", permissions=["publish"])
def publish_selected(model_admin: Any, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
    bulk_decide(model_admin, request, queryset, Action.PUBLISH, "published")


@admin.action(description="Archive selected entries", permissions=["publish"])
def archive_selected(model_admin: Any, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
    bulk_decide(model_admin, request, queryset, Action.ARCHIVE, "archived")


class WorkflowAdminMixin:
    """Decision buttons, bulk actions and the history with revert, for ``EntryAdmin``."""

    action_form = WorkflowActionForm

    def has_review_permission(self, request: HttpRequest) -> bool:
        access = access_for(request)
        return access.is_superuser or bool(access.list_ids(Role.REVIEWER))

    def has_publish_permission(self, request: HttpRequest) -> bool:
        access = access_for(request)
        return access.is_superuser or bool(access.list_ids(Role.CURATOR))

    def get_urls(self) -> list[Any]:
        site = self.admin_site  # type: ignore[attr-defined]
        return [
            path(
                "<path:object_id>/decide/",
                site.admin_view(require_POST(self.decide_view)),
                name="catalog_entry_decide",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/revert/",
                site.admin_view(require_POST(self.revert_view)),
                name="catalog_entry_revert",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def _visible_entry(self, request: HttpRequest, object_id: str) -> Entry | None:
        entry = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if entry is None:
            messages.error(
                request,
                out_of_scope_message(request, Entry, object_id)
                or f"There is no entry {object_id}; perhaps it was deleted.",
            )
        return entry

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        entry = self._visible_entry(request, object_id)
        if entry is None:
            return HttpResponseRedirect(reverse("admin:catalog_entry_changelist"))
        try:
            action = Action(request.POST.get("action", ""))
            posted = request.POST.get("revision") or request.POST.get("based_on_revision")
            revision = int(posted) if posted else None
        except ValueError:
            messages.error(request, "Choose one of the decision buttons.")
            return HttpResponseRedirect(entry_url(entry))
        if "based_on_revision" in request.POST:
            # The buttons were pressed on the change form: save what was typed first.
            saved, response = self.save_before_deciding(  # type: ignore[attr-defined]
                request, object_id, entry
            )
            if response is not None:
                return response
            if saved.revision != entry.revision:
                revision = saved.revision
            entry = saved
        try:
            result = decide(
                actor=request.user,
                entry=entry,
                action=action,
                comment=request.POST.get("comment", ""),
                revision=revision,
                publish_at=parse_local_datetime(request.POST.get("publish_at", "")),
            )
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
            return HttpResponseRedirect(entry_url(entry))
        messages.success(request, done_message(result, action))
        if action == Action.PUBLISH and result.proposal_for is not None:
            return HttpResponseRedirect(entry_url(result.proposal_for))
        return HttpResponseRedirect(entry_url(result))

    def revert_view(self, request: HttpRequest, object_id: str, history_id: int) -> HttpResponse:
        entry = self._visible_entry(request, object_id)
        if entry is None:
            return HttpResponseRedirect(reverse("admin:catalog_entry_changelist"))
        history_url = reverse("admin:catalog_entry_history", args=[entry.pk])
        revision = request.POST.get("revision")
        try:
            result = services.entry_revert(
                actor=request.user,
                entry=entry,
                history_id=history_id,
                revision=int(revision) if revision and revision.isdigit() else None,
            )
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
            return HttpResponseRedirect(history_url)
        if result.pk != entry.pk:
            messages.success(
                request,
                format_html(
                    "“{}” is published, so the old version is now a proposal, reviewed like any "
                    'edit: <a href="{}">open the proposal</a>.',
                    entry,
                    entry_url(result),
                ),
            )
        else:
            messages.success(
                request, f"“{result}” is back to that version (revision {result.revision})."
            )
        return HttpResponseRedirect(entry_url(result))

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        entry = self._visible_entry(request, object_id)
        if entry is None:
            return HttpResponseRedirect(reverse("admin:catalog_entry_changelist"))
        access = access_for(request)
        records = list(
            entry.history.select_related("history_user").order_by("-history_date", "-history_id")
        )
        current = services.EntryContent.of(entry)
        versions = []
        for newer, older in zip(records, [*records[1:], None], strict=True):
            changes = version_changes(newer, older) if older is not None else []
            versions.append(
                {"record": newer, "changes": changes, "revertible": _differs(newer, current)}
            )
        is_live = entry.status == Entry.Status.PUBLISHED and not entry.is_proposal
        may_revert = access.can_propose_edit(entry) if is_live else access.can_edit_entry(entry)
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": Entry._meta,
            "original": entry,
            "title": f"History of “{entry}”",
            "versions": versions,
            "may_revert": may_revert and entry.status != Entry.Status.ARCHIVED,
            "revert_makes_proposal": is_live,
            **(extra_context or {}),
        }
        return render(request, "admin/catalog/entry/object_history.html", context)
