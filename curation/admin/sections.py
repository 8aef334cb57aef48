"""Sections as a tree: indented in tree order on the list's page and in their own changelist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from catalog.models import CuratedList, Section
from curation.access import access_for
from curation.admin.base import AllConstraintsFormMixin, ListPartInline, MembershipAccessMixin
from curation.models import Role

INDENT = "\u2003"  # an em space per level of depth


def outline(section: Section) -> str:
    return format_html("{}{}", INDENT * section.depth, section.title)


def next_position(curated_list: CuratedList, parent: Section | None) -> int:
    siblings = Section.objects.filter(curated_list=curated_list, parent=parent)
    highest = siblings.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


class SectionTreeInline(ListPartInline):
    """All sections of the list in README order; parents are chosen among the same list's."""

    model = Section
    fk_name = "curated_list"
    fields = ("outline", "title", "slug", "parent", "position")
    readonly_fields = ("outline",)
    ordering = ("tree_path", "pk")
    show_change_link = True

    @admin.display(description="tree")
    def outline(self, obj: Section) -> str:
        return outline(obj) if obj.pk else ""

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        request._section_inline_list = obj  # type: ignore[attr-defined]
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            curated_list = getattr(request, "_section_inline_list", None)
            kwargs["queryset"] = (
                Section.objects.filter(curated_list=curated_list).in_tree_order()
                if curated_list is not None
                else Section.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SectionForm(AllConstraintsFormMixin, forms.ModelForm):
    position = forms.IntegerField(
        min_value=0, required=False, help_text="Leave empty to add the section after its siblings."
    )

    class Meta:
        model = Section
        fields = (
            "curated_list",
            "parent",
            "title",
            "slug",
            "description",
            "outro",
            "columns",
            "position",
        )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        curated_list, parent = cleaned.get("curated_list"), cleaned.get("parent")
        if self.instance.pk is not None:
            # A section stays in its list: moving it would leave its entries and subsections
            # behind, in the old list, and hand the new list's members power over them.
            kept = Section.objects.filter(pk=self.instance.pk).values_list(
                "curated_list_id", flat=True
            )
            if curated_list is not None and curated_list.pk not in kept:
                raise forms.ValidationError(
                    "A section stays in its list. Create the section in the other list and "
                    "move the entries there one by one (each through review)."
                )
            curated_list = self.instance.curated_list
        if curated_list is None:
            return cleaned
        access = access_for(self.request)
        moved = self.instance.pk is None or {"parent", "curated_list"} & set(self.changed_data)
        if not moved:
            pass
        elif parent is None:
            if not access.has_list_role(curated_list, Role.CURATOR, list_wide=True):
                raise forms.ValidationError(
                    "Only curators of the whole list can add or move sections at the top level; "
                    "choose a parent section you curate."
                )
        elif not access.has_section_role(parent, Role.CURATOR):
            self.add_error("parent", "You do not curate that section.")
        if cleaned.get("position") is None:
            cleaned["position"] = next_position(curated_list, parent)
            self.instance.position = cleaned["position"]
        return cleaned


@admin.register(Section)
class SectionAdmin(MembershipAccessMixin, admin.ModelAdmin):
    form = SectionForm
    list_display = ("tree_title", "curated_list", "slug", "position", "entry_count")
    list_filter = ("curated_list", "depth")
    search_fields = ("title", "slug", "title_path")
    autocomplete_fields = ("curated_list", "parent")
    list_select_related = ("curated_list",)
    ordering = ("curated_list__title", "tree_path", "pk")
    readonly_fields = ("title_path", "depth")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """The list of an existing section is shown, not offered: a section stays in its list."""
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "curated_list") if obj is not None else fields

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[Section]:
        qs = super().get_queryset(request).annotate(entry_total=Count("entries"))
        return qs.filter(access_for(request).scope_q(Role.CONTRIBUTOR))

    @admin.display(description="section", ordering="tree_path")
    def tree_title(self, obj: Section) -> str:
        return outline(obj)

    @admin.display(description="entries", ordering="entry_total")
    def entry_count(self, obj: Section) -> int:
        return obj.entry_total  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        access = access_for(request)
        return access.is_superuser or bool(access.list_ids(Role.CURATOR))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return access_for(request).has_section_role(obj, Role.CURATOR)

    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "curated_list" and not access_for(request).is_superuser:
            kwargs["queryset"] = CuratedList.objects.filter(
                pk__in=access_for(request).list_ids(Role.CURATOR)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Section, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        Section.objects.renumber(obj.curated_list)
        # The renumbering wrote the paths in the database; the message ("The section “…” was
        # changed") and the log entry read this object: give it the new name, not the old.
        obj.refresh_from_db(fields=["tree_path", "depth", "title_path"])

    def delete_model(self, request: HttpRequest, obj: Section) -> None:
        curated_list = obj.curated_list
        super().delete_model(request, obj)
        Section.objects.renumber(curated_list)
