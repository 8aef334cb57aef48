"""The list's "Sync from README": upload, paste or a URL → the change set with its counts as a
preview → confirm, as submissions for review (the default) or published at once. The same code
as ``sync_readme``; curators of the whole list only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from catalog.importer import ImportRefused, read_readme
from catalog.models import CuratedList
from curation.access import access_for
from curation.admin.readme import ImportReadmeForm
from curation.models import Role
from curation.readme_source import SourceError, fetch_readme
from curation.sync import apply_sync, plan_sync, sync_summary

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

MODES = [
    ("submissions", "As submissions and proposals, for review"),
    ("publish", "Publish at once (I vouch for these changes)"),
]


class SyncReadmeForm(ImportReadmeForm):
    url = forms.URLField(
        required=False,
        label="…or its URL",
        assume_scheme="https",
        help_text="The raw README, e.g. https://raw.githubusercontent.com/OWNER/REPO/main/README.md",
    )

    def clean(self) -> dict[str, object]:
        url = (self.data.get("url") or "").strip()
        if not url:
            cleaned = super().clean()
            cleaned["source"] = "an uploaded file" if cleaned.get("file") else "pasted text"
            return cleaned
        cleaned = forms.Form.clean(self) or {}
        if cleaned.get("file") or str(cleaned.get("text") or "").strip():
            raise forms.ValidationError("Give one README: a file, pasted text or a URL.")
        if "url" not in cleaned:
            return cleaned
        try:
            cleaned["data"] = fetch_readme(str(cleaned["url"]))
        except SourceError as error:
            raise forms.ValidationError(str(error)) from error
        cleaned["source"] = cleaned["url"]
        return cleaned


def sync_readme_view(model_admin: ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, pk=object_id)
    if not access_for(request).has_list_role(curated_list, Role.CURATOR, list_wide=True):
        raise PermissionDenied
    change_url = reverse("admin:catalog_curatedlist_change", args=[curated_list.pk])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": CuratedList._meta,
        "original": curated_list,
        "title": f"Sync {curated_list} from its README",
        "change_url": change_url,
        "modes": MODES,
    }
    if request.method == "POST" and "confirm" in request.POST:
        # The text comes back from the preview; it is parsed and compared again, not trusted.
        data = request.POST.get("readme", "").encode("utf-8")
        source = request.POST.get("source", "")[:500] or "the admin"
        publish = request.POST.get("mode") == "publish"
        try:
            doc, _ = read_readme(data)
            plan = plan_sync(curated_list, doc, source=source, text=data.decode("utf-8"))
            outcome = apply_sync(plan, actor=request.user, publish=publish)
        except ImportRefused as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.path)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(getattr(error, "messages", None) or [str(error)])
            messages.error(request, f"The sync was refused: {text}")
            return HttpResponseRedirect(request.path)
        level = messages.SUCCESS if not outcome.refused else messages.WARNING
        messages.add_message(request, level, outcome.format(publish=publish))
        for item in plan.conflicts:
            messages.warning(request, f"Conflict, not applied: “{item.change.title}”: {item.note}")
        return HttpResponseRedirect(change_url)

    posted = request.method == "POST"
    form = SyncReadmeForm(request.POST, request.FILES) if posted else SyncReadmeForm()
    if posted and form.is_valid():
        data = form.cleaned_data["data"]
        try:
            doc, _ = read_readme(data)
        except ImportRefused as error:
            form.add_error(None, " ".join(error.messages))
        else:
            text = data.decode("utf-8", errors="replace")
            plan = plan_sync(curated_list, doc, source=form.cleaned_data["source"], text=text)
            context.update(
                preview=True,
                plan=plan,
                diff=plan.format(limit=300),
                counts=[(name, n) for name, n in sync_summary(plan).items() if n],
                readme=text,
                source=form.cleaned_data["source"],
            )
    context["form"] = form
    return TemplateResponse(request, "admin/catalog/curatedlist/sync_readme.html", context)
