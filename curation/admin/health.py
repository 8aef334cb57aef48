"""Link health and repository state in the entry admin: filters, columns, bulk actions.

The link checker (``check_links``) and the metadata refresh (``refresh_metadata``) write what
they find; here curators find the dead, moved, archived and stale entries and fix them in bulk
through the workflow services — following a redirect is ``entry_apply_redirect``, retiring a
dead link is ``entry_archive`` — so every fix is audited like any other change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalog.models import Entry, LinkHealth
from catalog.querysets import stale_before
from curation.admin.workflow import bulk_decide
from curation.models import Action


class LinkHealthFilter(admin.SimpleListFilter):
    title = "link health"
    parameter_name = "link"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*LinkHealth.State.choices, ("unchecked", "Not checked yet")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        value = self.value()
        if value in {*LinkHealth.State.values, "unchecked"}:
            return queryset.with_link_state(value)  # type: ignore[attr-defined]
        return queryset


class RepositoryFilter(admin.SimpleListFilter):
    title = "repository"
    parameter_name = "repository"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("archived", "Archived"),
            ("stale", "Stale (no recent commit)"),
            ("maintained", "Maintained"),
            ("error", "Could not be read"),
            ("none", "Not on a known forge"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        value = self.value()
        if value == "archived":
            return queryset.archived_repositories()  # type: ignore[attr-defined]
        if value == "stale":
            return queryset.stale_repositories()  # type: ignore[attr-defined]
        if value == "maintained":
            return queryset.filter(
                repository__archived=False, repository__last_activity_at__gte=stale_before()
            )
        if value == "error":
            return queryset.filter(repository__isnull=False).exclude(repository__error="")
        if value == "none":
            return queryset.filter(repository__isnull=True)
        return queryset


BADGE = '<span class="health health-{}" title="{}">{}</span>'


@admin.display(description="link", ordering="link_health__state")
def link_column(entry: Entry) -> SafeString | str:
    health = getattr(entry, "link_health", None)
    if health is None:
        return "–"
    detail = health.error or (f"→ {health.redirect_to}" if health.redirect_to else "")
    when = timezone.localtime(health.checked_at)
    title = f"{detail} (checked {when:%Y-%m-%d %H:%M})".strip()
    return format_html(BADGE, health.state, title, health.get_state_display())


@admin.display(description="repository", ordering="repository__last_activity_at")
def repository_column(entry: Entry) -> SafeString | str:
    repository = getattr(entry, "repository", None)
    if repository is None:
        return "–"
    if repository.archived:
        state, label = "archived", "archived"
    elif repository.last_activity_at and repository.last_activity_at < stale_before():
        state, label = "stale", f"stale since {repository.last_activity_at:%Y-%m}"
    elif repository.error and repository.fetched_at is None:
        return format_html(BADGE, "error", repository.error, "unreadable")
    else:  # a forge may leave the date out (an empty repository): no date, not a crash
        when = repository.last_activity_at
        state, label = "ok", f"{when:%Y-%m}" if when else "no activity date"
    stars = f"★ {repository.stars:,}" if repository.stars is not None else ""
    return format_html(BADGE + " {}", state, repository.error or repository.full_name, label, stars)


@admin.action(
    description="Follow the permanent redirects of selected entries", permissions=["publish"]
)
def apply_redirects_selected(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Entry]
) -> None:
    bulk_decide(model_admin, request, queryset, Action.MOVE_LINK, "moved to their new address")


@admin.action(description="Archive selected entries whose link is dead", permissions=["publish"])
def archive_dead_selected(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Entry]
) -> None:
    dead = queryset.filter(link_health__state=LinkHealth.State.DEAD)
    skipped = queryset.count() - dead.count()
    if skipped:
        model_admin.message_user(
            request,
            f"{skipped} selected entries were left alone: their link is not confirmed dead.",
            messages.INFO,
        )
    bulk_decide(
        model_admin,
        request,
        dead,
        Action.ARCHIVE,
        "archived",
        comment=lambda entry: (
            f"Link dead since {entry.link_health.first_failed_at:%Y-%m-%d}: "
            f"{entry.link_health.error}."
        ),
    )


@admin.display(description="last link check")
def link_detail(entry: Entry) -> SafeString | str:
    health = getattr(entry, "link_health", None)
    if health is None:
        return "Not checked yet (python manage.py check_links)."
    parts = [
        format_html(BADGE, health.state, health.get_state_display(), health.get_state_display()),
        format_html(
            " {} · HTTP {} · checked {}",
            health.checked_url,
            health.status_code or "–",
            f"{timezone.localtime(health.checked_at):%Y-%m-%d %H:%M}",
        ),
    ]
    if health.redirect_to:
        parts.append(format_html("<br>Moved for good to <code>{}</code>", health.redirect_to))
    if health.error:
        parts.append(
            format_html(
                "<br>{} — failed in {} runs in a row since {}",
                health.error,
                health.consecutive_failures,
                f"{timezone.localtime(health.first_failed_at or health.checked_at):%Y-%m-%d %H:%M}",
            )
        )
    return SafeString("".join(parts))


@admin.display(description="repository")
def repository_detail(entry: Entry) -> SafeString | str:
    repository = getattr(entry, "repository", None)
    if repository is None:
        return "Not on a known forge, or not fetched yet (python manage.py refresh_metadata)."
    when = repository.last_activity_at
    return format_html(
        "{} on {} · {} · last activity {} · licence {} · archived: {}{}",
        repository.full_name,
        repository.get_forge_display(),
        f"★ {repository.stars:,}" if repository.stars is not None else "stars unknown",
        f"{when:%Y-%m-%d}" if when else "unknown",
        repository.license or "unknown",
        "yes" if repository.archived else "no",
        f" · {repository.error}" if repository.error else "",
    )
