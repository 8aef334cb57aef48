"""What every admin screen of the project shares: access from memberships, not model perms."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from catalog.models import CuratedList
from curation.access import Access, access_for
from curation.models import Role


class MembershipAccessMixin:
    """Visible to anyone with a role somewhere; each screen narrows down the rest."""

    def access(self, request: HttpRequest) -> Access:
        return access_for(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        access = access_for(request)
        return access.is_superuser or bool(access.memberships)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


class ListPartAdmin(MembershipAccessMixin, admin.ModelAdmin):
    """Rows that belong to one list (markers, footer blocks): list-wide curators edit them."""

    def get_queryset(self, request: HttpRequest):
        qs = super().get_queryset(request).select_related("curated_list")
        access = access_for(request)
        return qs if access.is_superuser else qs.filter(curated_list_id__in=access.list_ids())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "curated_list" and not access_for(request).is_superuser:
            kwargs["queryset"] = CuratedList.objects.filter(
                pk__in=access_for(request).list_ids(Role.CURATOR, list_wide=True)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        access = access_for(request)
        return access.is_superuser or bool(access.list_ids(Role.CURATOR, list_wide=True))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return access_for(request).has_list_role(obj.curated_list, Role.CURATOR, list_wide=True)

    has_delete_permission = has_change_permission


class ListPartInline(admin.TabularInline):
    """An inline on the list's page, editable by the list's list-wide curators."""

    extra = 0

    def _curates(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return access_for(request).is_superuser
        return access_for(request).has_list_role(obj, Role.CURATOR, list_wide=True)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the parent admin decides who sees the list at all

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._curates(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._curates(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._curates(request, obj)


class AllConstraintsFormMixin:
    """Validate every database constraint before saving, not only those on the form's fields.

    A ModelForm skips constraints that involve a field it does not show (the entry's list, its
    normalised URL, its status); without this, such a violation would reach the database and
    end in a server error instead of a message on the form.
    """

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self._errors:  # type: ignore[attr-defined]
            return
        try:
            self.instance.validate_constraints()  # type: ignore[attr-defined]
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]
