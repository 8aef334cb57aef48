"""Entries: filterable by list, section, status, tag and marker; edits scoped by role.

Status and the other workflow fields are read-only here: they change only through the
workflow services (submit, review, publish …), never by editing a field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Max, QuerySet
from django.http import HttpRequest

from catalog.models import Entry, ExtraLink
from curation.access import access_for
from curation.admin.base import AllConstraintsFormMixin, MembershipAccessMixin
from curation.models import Review, Role


class ExtraLinkInline(admin.TabularInline):
    model = ExtraLink
    fields = ("label", "url", "position")
    extra = 0

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or access_for(request).can_edit_entry(obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the entry's admin decides who sees the entry

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


class ReviewInline(admin.TabularInline):
    """The decisions taken on this entry so far; reviews are written by the workflow only."""

    model = Review
    fields = ("created_at", "reviewer", "verdict", "entry_revision", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EntryForm(AllConstraintsFormMixin, forms.ModelForm):
    position = forms.IntegerField(
        min_value=0, required=False, help_text="Leave empty to add the entry after the others."
    )

    class Meta:
        model = Entry
        fields = ("section", "title", "url", "description", "markers", "tags", "position")

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        section = cleaned.get("section")
        if section is None:
            return cleaned
        if "section" in self.changed_data and not access_for(self.request).can_add_entry_to(
            section
        ):
            self.add_error("section", "You have no role on this section.")
            return cleaned
        # The list follows the section; set it before model validation checks the constraints.
        self.instance.curated_list = section.curated_list
        foreign = [
            m for m in cleaned.get("markers", []) if m.curated_list_id != section.curated_list_id
        ]
        if foreign:
            self.add_error(
                "markers",
                "Markers come from the list's own legend: "
                + ", ".join(str(m) for m in foreign)
                + " belong to another list.",
            )
        if cleaned.get("position") is None:
            if self.instance.pk and "section" not in self.changed_data:
                cleaned["position"] = self.instance.position
            else:
                highest = (
                    Entry.objects.live_versions()
                    .filter(section=section)
                    .aggregate(highest=Max("position"))["highest"]
                )
                cleaned["position"] = 0 if highest is None else highest + 1
            self.instance.position = cleaned["position"]
        return cleaned


@admin.register(Entry)
class EntryAdmin(MembershipAccessMixin, admin.ModelAdmin):
    form = EntryForm
    list_display = (
        "title",
        "curated_list",
        "section",
        "status",
        "source",
        "submitted_by",
        "updated_at",
    )
    list_filter = (
        "curated_list",
        "status",
        ("section", admin.RelatedOnlyFieldListFilter),
        "tags",
        "markers",
        "source",
        ("proposal_for", admin.EmptyFieldListFilter),
    )
    search_fields = ("title", "url", "description", "normalized_url")
    autocomplete_fields = ("section", "markers")
    list_select_related = ("curated_list", "section", "submitted_by")
    readonly_fields = (
        "status",
        "curated_list",
        "proposal_for",
        "revision",
        "publish_at",
        "published_at",
        "source",
        "submitted_by",
        "submitter_email",
        "normalized_url",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {"fields": ("section", "title", "url", "description", "markers", "tags", "position")},
        ),
        (
            "Workflow",
            {
                "fields": (
                    "status",
                    "curated_list",
                    "proposal_for",
                    "revision",
                    "publish_at",
                    "published_at",
                )
            },
        ),
        (
            "Provenance",
            {
                "fields": (
                    "source",
                    "submitted_by",
                    "submitter_email",
                    "normalized_url",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    inlines = (ExtraLinkInline, ReviewInline)
    date_hierarchy = "created_at"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        qs = super().get_queryset(request).prefetch_related("tags")
        return qs.filter(access_for(request).scope_q(Role.CONTRIBUTOR, section_field="section"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        access = access_for(request)
        return access.is_superuser or bool(access.memberships)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return access_for(request).can_edit_entry(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            access = access_for(request)
            return access.is_superuser or bool(access.list_ids(Role.CURATOR))
        return access_for(request).can_delete_entry(obj)

    def save_model(self, request: HttpRequest, obj: Entry, form: Any, change: bool) -> None:
        if not change:
            obj.submitted_by = request.user  # type: ignore[assignment]
            obj.source = Entry.Source.ADMIN
        super().save_model(request, obj, form, change)
