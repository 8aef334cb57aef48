"""Lists and their legend and footer: list-wide curators edit them, members see them."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from catalog.models import CuratedList, FooterBlock, Marker, Section
from curation.access import access_for
from curation.admin.base import ListPartAdmin, ListPartInline, MembershipAccessMixin
from curation.admin.claims import QueueSettingsInline
from curation.admin.push import RepositoryPublishingInline, push_now_view, warn_on_change_page
from curation.admin.quality import QualityRulesInline
from curation.admin.readme import download_readme_view, import_readme_view
from curation.admin.sections import SectionTreeInline
from curation.admin.sync import sync_readme_view
from curation.models import Role
from curation.push.models import PushState


class MarkerInline(ListPartInline):
    model = Marker
    fields = ("symbol", "slug", "label", "position")


class FooterBlockInline(ListPartInline):
    model = FooterBlock
    fields = ("title", "body", "position")


@admin.register(CuratedList)
class CuratedListAdmin(MembershipAccessMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "published_count",
        "last_published_at",
        "ordering",
        "approvals_required",
        "updated_at",
    )
    list_filter = ("ordering", "approvals_required")
    search_fields = ("title", "slug", "tagline")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = (
        MarkerInline,
        SectionTreeInline,
        FooterBlockInline,
        RepositoryPublishingInline,
        QueueSettingsInline,
        QualityRulesInline,
    )
    fieldsets = (
        (None, {"fields": ("title", "slug", "tagline", "intro")}),
        ("Repository and licence", {"fields": ("repository_url", "license")}),
        (
            "Editorial policy",
            {
                "fields": (
                    "ordering",
                    "approvals_required",
                    "mark_unmaintained",
                    "show_repository_figures",
                )
            },
        ),
        ("History", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[CuratedList]:
        qs = CuratedList.objects.with_public_stats()
        access = access_for(request)
        return qs if access.is_superuser else qs.filter(pk__in=access.list_ids())

    @admin.display(description="published", ordering="published_count")
    def published_count(self, obj: CuratedList) -> int:
        return obj.published_count  # type: ignore[attr-defined]

    @admin.display(description="last published", ordering="last_published_at")
    def last_published_at(self, obj: CuratedList) -> Any:
        return obj.last_published_at  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access_for(request).is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        access = access_for(request)
        if obj is None:
            return access.is_superuser or bool(access.list_ids(Role.CURATOR, list_wide=True))
        return access.has_list_role(obj, Role.CURATOR, list_wide=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request).is_superuser

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<path:object_id>/import-readme/",
                self.admin_site.admin_view(partial(import_readme_view, self)),
                name="catalog_curatedlist_import_readme",
            ),
            path(
                "<path:object_id>/sync-readme/",
                self.admin_site.admin_view(partial(sync_readme_view, self)),
                name="catalog_curatedlist_sync_readme",
            ),
            path(
                "<path:object_id>/download-readme/",
                self.admin_site.admin_view(partial(download_readme_view, self)),
                name="catalog_curatedlist_download_readme",
            ),
            path(
                "<path:object_id>/push-readme/",
                self.admin_site.admin_view(partial(push_now_view, self)),
                name="catalog_curatedlist_push_readme",
            ),
        ]
        return own + super().get_urls()

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")
        context["can_import_readme"] = obj is not None and access_for(request).has_list_role(
            obj, Role.CURATOR, list_wide=True
        )
        if obj is not None and request.method == "GET":
            warn_on_change_page(request, obj)
            publishing = getattr(obj, "publishing", None)
            context["can_push_readme"] = context["can_import_readme"] and publishing is not None
            context["push_needs_force"] = (
                publishing is not None and publishing.state == PushState.CONFLICT
            )
        return super().render_change_form(request, context, *args, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        Section.objects.renumber(form.instance)


@admin.register(Marker)
class MarkerAdmin(ListPartAdmin):
    list_display = ("symbol", "label", "slug", "curated_list", "position")
    list_filter = ("curated_list",)
    search_fields = ("symbol", "label", "slug")
    list_select_related = ("curated_list",)
    autocomplete_fields = ("curated_list",)


@admin.register(FooterBlock)
class FooterBlockAdmin(ListPartAdmin):
    list_display = ("title", "curated_list", "position")
    list_filter = ("curated_list",)
    search_fields = ("title", "body")
    list_select_related = ("curated_list",)
    autocomplete_fields = ("curated_list",)
