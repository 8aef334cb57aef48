"""Owning the queue in the entry admin: who reviews what and for how long (a changelist column
and filter), and the take / release / assign buttons on the entry's page (POST + CSRF, each
calling its service; a refusal is a message on the page).

Self-contained: ``ClaimAdminMixin`` adds its URL, its context and the queryset annotations the
column reads (two subqueries, no query per row).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from catalog.models import Entry
from curation import services
from curation.access import access_for
from curation.admin.base import ListPartInline
from curation.admin.workflow import REFUSALS, refusal_text
from curation.models import Claim, QueueSettings

DONE = {
    "take": "You are reviewing “{entry}”; others see it is yours.",
    "release": "“{entry}” is back in the queue.",
    "assign": "“{entry}” is assigned to {holder}.",
}


def days_text(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def with_claim(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Each entry with its open claim's holder, start and assigner (for the column)."""
    claim = Claim.objects.open().filter(entry=OuterRef("pk"))
    return entries.annotate(
        claim_holder_id=Subquery(claim.values("holder_id")[:1]),
        claim_holder=Subquery(claim.values("holder__username")[:1]),
        claim_taken_at=Subquery(claim.values("taken_at")[:1]),
        claim_assigned_by=Subquery(claim.values("assigned_by__username")[:1]),
    )


def claim_text(*, holder: str, holder_id: int, taken_at: Any, user_id: int | None) -> str:
    """'taken by you for 0 days', 'taken by alice for 3 days'."""
    who = "you" if holder_id == user_id else holder
    return f"taken by {who} for {days_text((timezone.now() - taken_at).days)}"


class ClaimFilter(admin.SimpleListFilter):
    title = "reviewed by"
    parameter_name = "claim"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("mine", "Taken by me"),
            ("others", "Taken by others"),
            ("none", "Waiting, not taken"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        open_claims = Claim.objects.open()
        mine = open_claims.filter(holder_id=request.user.pk).values("entry_id")
        if self.value() == "mine":
            return queryset.filter(pk__in=mine)
        if self.value() == "others":
            return queryset.filter(pk__in=open_claims.values("entry_id")).exclude(pk__in=mine)
        if self.value() == "none":  # submissions nobody has taken yet
            return queryset.filter(status=Entry.Status.SUBMITTED).exclude(
                pk__in=open_claims.values("entry_id")
            )
        return queryset


class QueueSettingsInline(ListPartInline):
    """The list's queue settings (days before a taken submission is released), on the list's
    page; list-wide curators edit them."""

    model = QueueSettings
    template = "admin/edit_inline/stacked.html"
    max_num = 1
    can_delete = False

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if obj is not None and not hasattr(obj, "queue_settings") else 0


class ClaimAdminMixin:
    """For ``EntryAdmin``: the claim column's data, the claim buttons and their view."""

    def get_queryset(self, request: HttpRequest) -> Any:  # as ModelAdmin's, for its callers
        return with_claim(super().get_queryset(request))  # type: ignore[misc]

    def get_list_display(self, request: HttpRequest) -> Any:
        """The "reviewed by" column where the queue is looked at (a queue or the claim filter
        chosen), so that the full changelist stays narrow."""
        columns = super().get_list_display(request)  # type: ignore[misc]
        if not ({"queue", "claim"} & set(request.GET)):
            return columns
        user_id = request.user.pk

        @admin.display(description="reviewed by", ordering="claim_taken_at")
        def claim_column(entry: Entry) -> SafeString | str:
            holder = getattr(entry, "claim_holder", None)
            if holder is None:
                return ""
            text = claim_text(
                holder=holder,
                holder_id=entry.claim_holder_id,  # type: ignore[attr-defined]
                taken_at=entry.claim_taken_at,  # type: ignore[attr-defined]
                user_id=user_id,
            )
            by = entry.claim_assigned_by  # type: ignore[attr-defined]
            hint = f"assigned by {by}" if by else "taken by themselves"
            return format_html('<span class="claim" title="{}">{}</span>', hint, text)

        return (*columns, claim_column)

    def get_urls(self) -> list[Any]:
        site = self.admin_site  # type: ignore[attr-defined]
        return [
            path(
                "<path:object_id>/claim/",
                site.admin_view(require_POST(self.claim_view)),
                name="catalog_entry_claim",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def claim_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        entry = self._visible_entry(request, object_id)  # type: ignore[attr-defined]
        if entry is None:
            return HttpResponseRedirect(reverse("admin:catalog_entry_changelist"))
        back = HttpResponseRedirect(reverse("admin:catalog_entry_change", args=[entry.pk]))
        what = request.POST.get("claim", "")
        try:
            if what == "take":
                claim = services.entry_take(actor=request.user, entry=entry)
            elif what == "release":
                claim = services.entry_release(actor=request.user, entry=entry)
            elif what == "assign":
                raw = request.POST.get("assignee", "")
                assignee = (
                    get_user_model().objects.filter(pk=int(raw)).first() if raw.isdigit() else None
                )
                claim = services.entry_assign(actor=request.user, entry=entry, assignee=assignee)
            else:
                messages.error(request, "Choose take, release or assign.")
                return back
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
            return back
        messages.success(
            request, DONE[what].format(entry=entry, holder=claim.holder.get_username())
        )
        return back

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        entry = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if entry is not None:
            extra_context = {**(extra_context or {}), **claim_context(request, entry)}
        return super().change_view(  # type: ignore[misc]
            request, object_id, form_url, extra_context
        )


def claim_context(request: HttpRequest, entry: Entry) -> dict[str, Any]:
    """What the claim panel shows and offers to this user."""
    access = access_for(request)
    claim = services.open_claim(entry)
    is_open = entry.status == Entry.Status.SUBMITTED
    may_review = access.can_decide_on_entry(entry)
    curates = access.can_publish_entry(entry)
    mine = claim is not None and claim.holder_id == access.user_id
    return {
        "claim": claim,
        "claim_text": (
            claim_text(
                holder=claim.holder.get_username(),
                holder_id=claim.holder_id,
                taken_at=claim.taken_at,
                user_id=access.user_id,
            )
            if claim is not None
            else ""
        ),
        "claim_panel": is_open or claim is not None,
        "may_take": is_open and claim is None and may_review,
        "may_release": claim is not None and (mine or curates),
        "assignees": services.possible_assignees(entry) if is_open and curates else [],
    }
