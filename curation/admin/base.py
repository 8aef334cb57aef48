"""What every admin screen of the project shares: access from memberships, not model perms."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst

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

    # Django asks for the change/delete permission of a row it did not find before it says the
    # row is missing, so a reviewer opening the delete page of an entry outside their sections
    # got a bare 403: a row outside the user's screens is answered first, in words.
    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            return self._get_obj_does_not_exist_redirect(request, self.opts, unquote(object_id))  # type: ignore[attr-defined]
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            return self._get_obj_does_not_exist_redirect(request, self.opts, unquote(object_id))  # type: ignore[attr-defined]
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        """A URL of a row that exists but lies outside the user's scope says so ("not in your
        sections") instead of Django's "doesn't exist. Perhaps it was deleted?"."""
        message = out_of_scope_message(request, opts.model, object_id)
        if message is None:
            return super()._get_obj_does_not_exist_redirect(  # type: ignore[misc]
                request, opts, object_id
            )
        messages.warning(request, message)
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))


def out_of_scope_message(request: HttpRequest, model: Any, object_id: Any) -> str | None:
    """The message for a row the user's admin screens do not show although it exists, or None
    when there is no such row. Ids are sequential numbers, so saying it exists tells nothing."""
    try:
        row = model._default_manager.filter(pk=object_id).first()
    except (ValidationError, ValueError, TypeError):
        return None
    if row is None:
        return None
    name = capfirst(model._meta.verbose_name)
    if isinstance(row, CuratedList):
        return f"{name} {row.pk} is not one of your lists."
    list_id = getattr(row, "curated_list_id", None)
    if list_id is not None and list_id not in access_for(request).list_ids():
        return f"{name} {row.pk} is not in your sections: it belongs to a list you are not in."
    return f"{name} {row.pk} is not in your sections."


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
