"""Each user's own email opt-outs: "My email notifications", for every staff user."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from curation.models import NotificationPreference


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    fields = ("new_submissions", "decisions")

    def get_queryset(self, request: HttpRequest) -> QuerySet[NotificationPreference]:
        return super().get_queryset(request).filter(user_id=request.user.pk or 0)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and (
            obj is None or obj.user_id == request.user.pk
        )

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return (
            self.has_module_permission(request)
            and not NotificationPreference.objects.filter(user_id=request.user.pk or 0).exists()
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponseRedirect:
        """There is one row per user at most: open it (or the form to create it) directly."""
        own = self.get_queryset(request).first()
        if own is None:
            return HttpResponseRedirect(reverse("admin:curation_notificationpreference_add"))
        return HttpResponseRedirect(
            reverse("admin:curation_notificationpreference_change", args=[own.pk])
        )

    def save_model(
        self, request: HttpRequest, obj: NotificationPreference, form: Any, change: bool
    ) -> None:
        obj.user = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def response_post_save_change(self, request: HttpRequest, obj: Any) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:index"))

    response_post_save_add = response_post_save_change
