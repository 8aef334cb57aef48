"""Memberships (who holds which role where) and the read-only trails: reviews and audit records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from curation.access import access_for
from curation.admin.base import MembershipAccessMixin
from curation.models import Membership, Review, Role, WorkflowEvent


@admin.register(Membership)
class MembershipAdmin(MembershipAccessMixin, admin.ModelAdmin):
    """Curators see who works on their lists; superusers grant and withdraw roles."""

    list_display = ("user", "curated_list", "role", "section", "created_at")
    list_filter = ("curated_list", "role")
    search_fields = ("user__username", "user__email", "curated_list__title", "section__title")
    autocomplete_fields = ("user", "curated_list", "section")
    list_select_related = ("user", "curated_list", "section")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        qs = super().get_queryset(request)
        access = access_for(request)
        return (
            qs
            if access.is_superuser
            else qs.filter(curated_list_id__in=access.list_ids(Role.CURATOR))
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        access = access_for(request)
        return access.is_superuser or bool(access.list_ids(Role.CURATOR))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access_for(request).is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request).is_superuser

    has_delete_permission = has_change_permission


@admin.register(Review)
class ReviewAdmin(MembershipAccessMixin, admin.ModelAdmin):
    """Append-only: reviews are written by the workflow services and never edited."""

    list_display = ("entry", "verdict", "reviewer", "entry_revision", "created_at")
    list_filter = ("verdict", "entry__curated_list")
    search_fields = ("entry__title", "comment", "reviewer__username")
    list_select_related = ("entry", "reviewer")
    readonly_fields = ("entry", "reviewer", "verdict", "comment", "entry_revision", "created_at")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        qs = super().get_queryset(request)
        return qs.filter(
            access_for(request).scope_q(Role.CONTRIBUTOR, section_field="entry__section")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(MembershipAccessMixin, admin.ModelAdmin):
    """The audit trail of every entry in reach, written by the workflow services only."""

    list_display = ("created_at", "entry", "action", "from_status", "to_status", "actor")
    list_filter = ("action", "to_status", "entry__curated_list")
    search_fields = ("entry__title", "comment", "actor__username")
    list_select_related = ("entry", "actor")
    readonly_fields = (
        "entry",
        "actor",
        "action",
        "from_status",
        "to_status",
        "entry_revision",
        "comment",
        "created_at",
    )
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowEvent]:
        qs = super().get_queryset(request)
        return qs.filter(
            access_for(request).scope_q(Role.CONTRIBUTOR, section_field="entry__section")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
