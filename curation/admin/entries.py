"""Entries: filterable by list, section, status, tag, marker and review queue; edits scoped by
role, and every save goes through the workflow services.

Status and the other workflow fields are read-only here: they change only through the
decision buttons and bulk actions (``curation/admin/workflow.py``), which call the services.
Saving the form calls ``entry_create``, ``entry_update`` or — for a published entry —
``entry_propose_edit``: the live entry stays as it is until the proposal is published.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.forms.formsets import all_valid
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.html import format_html

from catalog.choices import OPEN_PROPOSAL_STATUSES
from catalog.columns import attributes_text, parse_attributes_text
from catalog.models import Entry, ExtraLink, Section
from curation import services
from curation.access import access_for
from curation.admin.base import AllConstraintsFormMixin, MembershipAccessMixin
from curation.admin.claims import ClaimAdminMixin, ClaimFilter
from curation.admin.columns import (
    from_column,
    local_time,
    section_column,
    title_column,
    updated_column,
)
from curation.admin.diff import proposal_diff
from curation.admin.health import (
    LinkHealthFilter,
    RepositoryFilter,
    apply_redirects_selected,
    archive_dead_selected,
    link_column,
    link_detail,
    repository_column,
    repository_detail,
)
from curation.admin.quality import (
    QualityFilter,
    lists_have_rules,
    status_and_checks,
    with_check_counts,
)
from curation.admin.workflow import (
    QueueFilter,
    WorkflowAdminMixin,
    approve_selected,
    archive_selected,
    entry_url,
    publish_selected,
    refusal_text,
    reject_selected,
    request_changes_selected,
)
from curation.models import Action, Review, Role, Verdict, WorkflowEvent
from curation.quality.checklist import checklist_of
from curation.services import EntryContent, LinkData


class _Refused(Exception):
    """A service refused the save after the form validated (a race): shown as a message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Django's tabular inline with every header cell named (see the template).
ACCESSIBLE_TABULAR = "admin/edit_inline/tabular_accessible.html"


class ExtraLinkInline(admin.TabularInline):
    model = ExtraLink
    template = ACCESSIBLE_TABULAR
    fields = ("label", "url", "position")
    extra = 0

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or access_for(request).can_edit_entry(obj)

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return len(getattr(request, "_proposal_links", ()))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the entry's admin decides who sees the entry

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


class _ReadOnlyInline(admin.TabularInline):
    template = ACCESSIBLE_TABULAR
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewInline(_ReadOnlyInline):
    """The verdicts on this entry so far; reviews are written by the workflow only."""

    model = Review
    fields = ("created_at", "reviewer", "verdict", "entry_revision", "comment")
    readonly_fields = fields


class WorkflowEventInline(_ReadOnlyInline):
    """The audit trail: who moved the entry from which state to which, when and why."""

    model = WorkflowEvent
    verbose_name = "audit record"
    verbose_name_plural = "audit trail"
    fields = (
        "created_at",
        "actor",
        "action",
        "from_status",
        "to_status",
        "entry_revision",
        "comment",
    )
    readonly_fields = fields


class AttributesField(forms.CharField):
    """An entry's table attributes edited as ``Label: value`` lines (stored as JSON)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def prepare_value(self, value: Any) -> Any:
        return attributes_text(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        return parse_attributes_text(super().to_python(value) or "")


class EntryForm(AllConstraintsFormMixin, forms.ModelForm):
    attributes = AttributesField(
        required=False,
        help_text="Values of the section's table columns, one per line: “Auth: apiKey”.",
    )
    position = forms.IntegerField(
        min_value=0, required=False, help_text="Leave empty to add the entry after the others."
    )
    # The revision this form was opened on: a save based on an older one is refused.
    based_on_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set when this form proposes an edit of a published entry (add form, ?proposal_for=ID).
    proposal_of = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Where else the entry is shown (catalog.EntryPlacement); only on a live entry's change
    # form, and only the sections the user reaches (others keep their placements).
    further_sections = forms.ModelMultipleChoiceField(
        queryset=Section.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Also shown in",
        help_text=(
            "Further sections of the list that show this entry, besides its own: one entry, "
            "edited once, listed under each. Changing them is not a proposal: on a published "
            "entry it takes a curator of its section."
        ),
    )

    class Meta:
        model = Entry
        fields = (
            "section",
            "title",
            "url",
            "description",
            "markers",
            "tags",
            "attributes",
            "lead_in",
            "position",
        )

    def __init__(
        self, *args: Any, request: HttpRequest, live: Entry | None = None, **kwargs: Any
    ) -> None:
        self.request = request
        self.live = live
        super().__init__(*args, **kwargs)
        base = live if live is not None else (self.instance if self.instance.pk else None)
        if base is not None:
            self.fields["based_on_revision"].initial = base.revision
        if live is not None:
            self.fields["proposal_of"].initial = live.pk
        if places_entry(self.instance, live):
            reachable = (
                Section.objects.filter(curated_list_id=self.instance.curated_list_id)
                .filter(access_for(request).scope_q(Role.CONTRIBUTOR))
                .exclude(pk=self.instance.section_id)
                .in_tree_order()
            )
            field = self.fields["further_sections"]
            field.queryset = reachable  # type: ignore[attr-defined]
            field.initial = list(
                self.instance.placements.filter(section__in=reachable).values_list(
                    "section_id", flat=True
                )
            )
        else:
            del self.fields["further_sections"]

    @property
    def placements_changed(self) -> bool:
        return "further_sections" in self.fields and "further_sections" in self.changed_data

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # A decision button posted this form with changes that cannot be saved on the way
        # (see ``EntryAdmin.decide_view``): shown as the form's error, the typed text kept.
        refusal = getattr(self.request, "_decision_refusal", None)
        if refusal:
            raise ValidationError(refusal, code="decision")
        base = self.live if self.live is not None else (self.instance if self.instance.pk else None)
        based_on = cleaned.get("based_on_revision")
        if base is not None and based_on is not None and based_on != base.revision:
            raise ValidationError(
                f"“{base}” changed since you opened this form (revision {based_on} → "
                f"{base.revision}). Open it again to see the new version, then apply your change.",
                code="stale",
            )
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
        if self.live is not None:
            self.instance.proposal_for = self.live  # a proposal: no position or link of its own
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
            elif self.live is not None:
                cleaned["position"] = self.live.position
            else:
                highest = (
                    Entry.objects.live_versions()
                    .filter(section=section)
                    .aggregate(highest=Max("position"))["highest"]
                )
                cleaned["position"] = 0 if highest is None else highest + 1
            self.instance.position = cleaned["position"]
        return cleaned

    def content(self, formsets: list[Any]) -> EntryContent:
        """What was entered, as the services take it."""
        cleaned = self.cleaned_data
        links: list[tuple[int, int, LinkData]] = []
        for formset in formsets:
            if formset.model is not ExtraLink:
                continue
            for index, form in enumerate(formset.forms):
                data = getattr(form, "cleaned_data", None)
                if not data or data.get("DELETE") or not data.get("url"):
                    continue
                links.append(
                    (data.get("position") or 0, index, LinkData(data["label"], data["url"]))
                )
        return EntryContent(
            section=cleaned["section"],
            title=cleaned["title"],
            url=cleaned.get("url") or "",
            description=cleaned.get("description") or "",
            marker_ids=frozenset(m.pk for m in cleaned.get("markers", [])),
            tags=tuple(sorted(cleaned.get("tags") or [])),
            extra_links=tuple(link for *_, link in sorted(links, key=lambda x: x[:2])),
            attributes=tuple(
                (item["label"], item["value"]) for item in cleaned.get("attributes") or []
            ),
            position=cleaned.get("position"),
            lead_in=cleaned.get("lead_in", None),
        )


def places_entry(entry: Entry | None, live: Entry | None) -> bool:
    """Whether the form chooses the entry's further sections: a saved live entry's change form."""
    return entry is not None and entry.pk is not None and live is None and not entry.is_proposal


def _in_local_time(name: str) -> Callable[[Entry], str]:
    """A read-only time of the entry shown with its zone (``local_time``). The callable is named
    after the field, so the row keeps its ``field-<name>`` class (the admin would read a model
    field's value before any method of the same name)."""

    def show(entry: Entry) -> str:
        return local_time(getattr(entry, name))

    show.__name__ = name
    return admin.display(description=name.replace("_", " "))(show)


publish_at, published_at, created_at, updated_at = (
    _in_local_time(name) for name in ("publish_at", "published_at", "created_at", "updated_at")
)


@admin.register(Entry)
class EntryAdmin(ClaimAdminMixin, WorkflowAdminMixin, MembershipAccessMixin, admin.ModelAdmin):
    form = EntryForm
    change_form_template = "admin/catalog/entry/change_form.html"
    list_display = (
        title_column,
        "curated_list",
        section_column,
        "status",
        from_column,
        updated_column,
        link_column,
        repository_column,
    )
    list_filter = (
        QueueFilter,
        ClaimFilter,
        QualityFilter,
        "curated_list",
        "status",
        LinkHealthFilter,
        RepositoryFilter,
        ("section", admin.RelatedOnlyFieldListFilter),
        # Only the tags and markers of entries this person may see: not other lists' drafts.
        ("tags", admin.RelatedOnlyFieldListFilter),
        ("markers", admin.RelatedOnlyFieldListFilter),
        "source",
        ("proposal_for", admin.EmptyFieldListFilter),
    )
    search_fields = ("title", "url", "description", "normalized_url")
    autocomplete_fields = ("section", "markers")
    list_select_related = (
        "curated_list",
        "section",
        "submitted_by",
        "link_health",
        "repository",
    )
    # Django takes callables here too; django-stubs only knows field names.
    readonly_fields = (  # type: ignore[assignment]
        "status",
        "curated_list",
        "proposal_for",
        "revision",
        publish_at,
        published_at,
        "source",
        "submitted_by",
        "submitter_email",
        "normalized_url",
        created_at,
        updated_at,
        link_detail,
        repository_detail,
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "section",
                    "title",
                    "url",
                    "description",
                    "markers",
                    "tags",
                    "attributes",
                    "lead_in",
                    "position",
                    "based_on_revision",
                    "proposal_of",
                )
            },
        ),
        (
            "Workflow",
            {
                "fields": (  # type: ignore[typeddict-item]
                    "status",
                    "curated_list",
                    "proposal_for",
                    "revision",
                    publish_at,
                    published_at,
                )
            },
        ),
        ("Link health", {"fields": (link_detail, repository_detail)}),  # type: ignore[typeddict-item]
        (
            "Provenance",
            {
                "fields": (  # type: ignore[typeddict-item]
                    "source",
                    "submitted_by",
                    "submitter_email",
                    "normalized_url",
                    created_at,
                    updated_at,
                )
            },
        ),
    )
    inlines = (ExtraLinkInline, ReviewInline, WorkflowEventInline)

    class Media:
        css = {"all": ("css/admin-health.css",)}
        js = ("js/admin-a11y.js",)

    date_hierarchy = "created_at"
    actions = (
        approve_selected,
        request_changes_selected,
        reject_selected,
        publish_selected,
        archive_selected,
        apply_redirects_selected,
        archive_dead_selected,
    )

    # --- who sees and edits what ------------------------------------------------------------
    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        qs = with_check_counts(super().get_queryset(request).prefetch_related("tags"))
        return qs.filter(access_for(request).scope_q(Role.CONTRIBUTOR, section_field="section"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        access = access_for(request)
        return access.is_superuser or bool(access.memberships)

    def get_list_display(self, request: HttpRequest) -> Any:
        """The list column only where it tells entries apart: not when the changelist is
        filtered to one list, nor for someone who works on one list only."""
        columns = super().get_list_display(request)
        access = access_for(request)
        one_list = "curated_list__id__exact" in request.GET or (
            not access.is_superuser and len(access.list_ids()) <= 1
        )
        if lists_have_rules(request):  # the status column carries the checks too
            columns = tuple(status_and_checks if c == "status" else c for c in columns)
        return tuple(c for c in columns if c != "curated_list") if one_list else columns

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return access_for(request).can_edit_entry(obj) and obj.status != Entry.Status.ARCHIVED

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Entries are archived, never deleted here: a delete would take their reviews and
        audit trail with it (and Django refused it anyway for any entry with a review, after
        offering it). Rejected entries and drafts leave the working views by "Archive"."""
        return False

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.inlines if obj is not None else (ExtraLinkInline,)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj) and obj is not None:
            # Read-only pages show no form fields that only carry state for a save.
            first = fieldsets[0][1]["fields"]
            hidden = {"based_on_revision", "proposal_of"}
            fieldsets = (
                (None, {"fields": tuple(f for f in first if f not in hidden)}),
                *fieldsets[1:],
            )
        elif places_entry(obj, None):
            first = list(fieldsets[0][1]["fields"])
            first.insert(first.index("section") + 1, "further_sections")
            fieldsets = ((None, {**fieldsets[0][1], "fields": tuple(first)}), *fieldsets[1:])
        return fieldsets

    # --- proposals through the add form -----------------------------------------------------
    def _live_for_proposal(self, request: HttpRequest) -> Entry | None:
        raw = request.GET.get("proposal_for") or request.POST.get("proposal_of")
        if not raw or not str(raw).isdigit():
            return None
        live = self.get_queryset(request).filter(pk=int(raw), proposal_for__isnull=True).first()
        if live is None or not access_for(request).can_propose_edit(live):
            raise PermissionDenied("You may not propose edits of that entry.")
        return live

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        live = self._live_for_proposal(request) if obj is None else None

        class RequestForm(form_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, request=request, live=live, **kw)

        return RequestForm

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        live = self._live_for_proposal(request)
        if live is not None:
            initial.update(
                section=live.section_id,
                title=live.title,
                url=live.url,
                description=live.description,
                markers=list(live.markers.values_list("pk", flat=True)),
                tags=list(live.tags.all()),
                attributes=live.attributes,
                position=live.position,
            )
        return initial

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ExtraLinkInline) and request.method == "GET":
            live = self._live_for_proposal(request) if obj is None or obj.pk is None else None
            if live is not None:
                kwargs["initial"] = [
                    {"label": x.label, "url": x.url, "position": x.position}
                    for x in live.extra_links.all()
                ]
        return kwargs

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        raw = request.GET.get("proposal_for") or request.POST.get("proposal_of")
        if (
            raw
            and str(raw).isdigit()
            and not self.get_queryset(request).filter(pk=int(raw)).exists()
        ):
            # An entry out of the user's scope (or gone): a message, not a bare 403 page.
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(raw))
        live = self._live_for_proposal(request)
        if live is not None:
            if request.method == "GET":
                request._proposal_links = list(live.extra_links.all())  # type: ignore[attr-defined]
            extra_context = {
                **(extra_context or {}),
                "title": f"Propose an edit of “{live}”",
                "proposal_base": live,
            }
        return super().add_view(request, form_url, extra_context)

    # --- saving through the services --------------------------------------------------------
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            # The admin's transaction was rolled back; nothing of the save is left.
            messages.error(request, refused.message)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request: HttpRequest, obj: Entry, form: Any, change: bool) -> None:
        request._entry_form = form  # type: ignore[attr-defined]  # saved in save_related

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        content = form.content(formsets)
        revision = form.cleaned_data.get("based_on_revision")
        obj = form.instance
        content_changed = bool(set(form.changed_data) - {"further_sections"}) or any(
            formset.has_changed() for formset in formsets
        )
        try:
            if change and form.placements_changed and not content_changed:
                # Only where it is shown changed: no edit, no proposal, just the placements.
                result = services.entry_set_placements(
                    actor=request.user,
                    entry=Entry.objects.get(pk=obj.pk),
                    sections=form.cleaned_data["further_sections"],
                )
                request._workflow_result = result  # type: ignore[attr-defined]
                request._proposed = False  # type: ignore[attr-defined]
                return
            if form.live is not None:
                result = services.entry_propose_edit(
                    actor=request.user, entry=form.live, content=content, revision=revision
                )
            elif not change:
                result = services.entry_create(actor=request.user, content=content)
            elif obj.status == Entry.Status.PUBLISHED and not obj.is_proposal:
                original = Entry.objects.get(pk=obj.pk)
                result = services.entry_propose_edit(
                    actor=request.user, entry=original, content=content, revision=revision
                )
            else:
                result = services.entry_update(
                    actor=request.user,
                    entry=Entry.objects.get(pk=obj.pk),
                    content=content,
                    revision=revision,
                )
            if change and form.placements_changed:
                services.entry_set_placements(
                    actor=request.user,
                    entry=Entry.objects.get(pk=obj.pk),
                    sections=form.cleaned_data["further_sections"],
                )
        except (PermissionDenied, ValidationError) as error:
            raise _Refused(refusal_text(error)) from error
        request._workflow_result = result  # type: ignore[attr-defined]
        request._proposed = result.is_proposal and result.pk != obj.pk  # type: ignore[attr-defined]
        if not change:
            obj.pk = result.pk
            obj._state.adding = False

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        if add:
            return [{"added": {}}]
        return [{"changed": {"fields": list(form.changed_data)}}] if form.changed_data else []

    def _proposal_redirect(self, request: HttpRequest) -> HttpResponse | None:
        """After an edit of a published entry: to the proposal, saying what happens next."""
        result = getattr(request, "_workflow_result", None)
        if result is None or not getattr(request, "_proposed", False):
            return None
        messages.success(
            request,
            format_html(
                "Your edit of a published entry is a proposal: the list keeps showing the live "
                "version until the proposal is approved and published. "
                '<a href="{}">Back to the live entry</a>.',
                entry_url(result.proposal_for),
            ),
        )
        return HttpResponseRedirect(entry_url(result))

    def response_add(
        self, request: HttpRequest, obj: Entry, post_url_continue: str | None = None
    ) -> HttpResponse:
        return self._proposal_redirect(request) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request: HttpRequest, obj: Entry) -> HttpResponse:
        return self._proposal_redirect(request) or super().response_change(request, obj)

    # --- a decision button on a form with changes: save first ----------------------------
    def save_before_deciding(
        self, request: HttpRequest, object_id: str, entry: Entry
    ) -> tuple[Entry | None, HttpResponse | None]:
        """The decision buttons post the whole change form. Typed changes are saved first,
        through the same services as "Save" ("Save and publish", "Save and submit"); when they
        cannot be (invalid, or an edit of a published entry, which would become a proposal),
        nothing is decided and the form comes back with the reason and the typed text.

        Returns the entry to decide on, or the response to give instead of deciding.
        """
        if not self.has_change_permission(request, entry):
            return entry, None  # a read-only page posts no content
        form_class = self.get_form(request, entry, change=True)
        form = form_class(request.POST, request.FILES, instance=entry)
        # Django's own helper, as its change view builds the inline formsets.
        formsets, _ = self._create_formsets(  # type: ignore[attr-defined]
            request, form.instance, change=True
        )
        form_url = entry_url(entry)
        if not (form.is_valid() and all_valid(formsets)):
            messages.error(request, "Nothing was decided: your changes need fixing first.")
            return None, self.change_view(request, object_id, form_url=form_url)
        current = Entry.objects.get(pk=entry.pk)
        if not form.content(formsets).changed_fields(services.EntryContent.of(current)):
            return current, None
        if current.status == Entry.Status.PUBLISHED and not current.is_proposal:
            request._decision_refusal = (  # type: ignore[attr-defined]
                "You changed this published entry: nothing was decided and nothing saved. "
                "Save your edit first (it becomes a proposal for review), or undo it, then "
                "use the decision buttons."
            )
            return None, self.change_view(request, object_id, form_url=form_url)
        try:
            with transaction.atomic():
                self.save_model(request, form.instance, form, True)
                self.save_related(request, form, formsets, True)
        except _Refused as refused:
            messages.error(request, f"Nothing was decided: {refused.message}")
            return None, HttpResponseRedirect(form_url)
        saved: Entry = request._workflow_result  # type: ignore[attr-defined]
        messages.info(request, f"Your changes to “{saved}” are saved (revision {saved.revision}).")
        return saved, None

    # --- the decision panel -----------------------------------------------------------------
    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        entry = self.get_object(request, object_id)
        if entry is not None:
            access = access_for(request)
            extra_context = {**(extra_context or {}), **self.workflow_context(access, entry)}
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, access: Any, entry: Entry) -> dict[str, Any]:
        decisions = services.available_decisions(access=access, entry=entry)
        live_entry = entry.proposal_for
        open_proposal = (
            None
            if entry.is_proposal
            else entry.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).first()
        )
        return {
            "quality": checklist_of(entry),
            "decisions": decisions,
            "latest_decision": _latest_decision(entry),
            "why_no_verdict": _why_no_verdict(access, entry, decisions),
            "decision_needs_time": any(d.takes_time for d in decisions),
            "approvals": services.approvals_of(entry),
            "back_without_review": entry.status == Entry.Status.APPROVED
            and services.was_live_at_current_revision(entry),
            "approvals_required": entry.curated_list.approvals_required,
            "live_entry": live_entry,
            "diff_rows": proposal_diff(entry) if live_entry is not None else [],
            "open_proposal": open_proposal,
            "can_propose": (
                entry.status == Entry.Status.PUBLISHED
                and not entry.is_proposal
                and open_proposal is None
                and access.can_propose_edit(entry)
            ),
        }


def _latest_decision(entry: Entry) -> Review | None:
    """The reviewer's request or refusal the person acting on the entry must read, shown in the
    workflow panel (not only in the reviews at the bottom of the page)."""
    if entry.status not in (Entry.Status.CHANGES_REQUESTED, Entry.Status.REJECTED):
        return None
    return (
        entry.reviews.filter(verdict__in=(Verdict.REQUEST_CHANGES, Verdict.REJECT))
        .select_related("reviewer")
        .order_by("-created_at", "-pk")
        .first()
    )


def _why_no_verdict(access: Any, entry: Entry, decisions: list[Any]) -> str:
    """A reviewer who sees only "Comment" on a submission is told why."""
    if entry.status != Entry.Status.SUBMITTED or not access.can_review_entry(entry):
        return ""
    if any(d.action == Action.APPROVE for d in decisions):
        return ""
    if access.is_submitter(entry):
        return (
            "You submitted this entry, so you cannot approve, request changes to or reject it: "
            "another reviewer decides. You can still comment."
        )
    return "You have approved this revision already; it waits for other reviewers' approvals."
