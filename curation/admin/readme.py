"""The list's "Import README" (upload or paste → report as a preview → confirm) and
"Download README" (the exported files as a zip), on the same code as the commands."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from catalog.export import export_files
from catalog.importer import (
    MAX_README_BYTES,
    MAX_README_ITEMS,
    ImportRefused,
    editorial_history,
    read_readme,
    refuse_replace,
    store_document,
)
from catalog.markdown.document import ListDoc, count_entries
from catalog.markdown.report import ImportReport
from catalog.models import CuratedList, Entry
from curation.access import access_for
from curation.models import Role
from curation.replace import ReplaceImpact, replace_impact

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin


class ImportReadmeForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="README file",
        help_text=(
            f"A README.md (UTF-8, at most {MAX_README_BYTES // 1024 // 1024} MB and "
            f"{MAX_README_ITEMS:,} list items)."
        ),
    )
    text = forms.CharField(
        required=False,
        label="…or paste it",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100, "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste a README, not both.")
        if upload:
            if upload.size > MAX_README_BYTES:
                raise forms.ValidationError(
                    f"The file is {upload.size / 1024 / 1024:.1f} MB; a README may be at most "
                    f"{MAX_README_BYTES // 1024 // 1024} MB."
                )
            cleaned["data"] = upload.read()
        elif text.strip():
            cleaned["data"] = text.encode("utf-8")
        else:
            raise forms.ValidationError("Choose a README file or paste its text.")
        return cleaned


def _list_or_404(object_id: str) -> CuratedList:
    # "/admin/catalog/curatedlist/abc/import-readme/": a 404, not a ValueError (500).
    if not object_id.isdigit():
        raise Http404("No such list.")
    return get_object_or_404(CuratedList, pk=int(object_id))


def import_readme_view(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    curated_list = _list_or_404(object_id)
    if not access_for(request).has_list_role(curated_list, Role.CURATOR, list_wide=True):
        raise PermissionDenied
    change_url = reverse("admin:catalog_curatedlist_change", args=[curated_list.pk])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": CuratedList._meta,
        "original": curated_list,
        "title": f"Import a README into {curated_list}",
        "change_url": change_url,
        "existing": Entry.objects.filter(curated_list=curated_list).count(),
        "sync_url": reverse("admin:catalog_curatedlist_sync_readme", args=[curated_list.pk]),
    }
    # A replace would destroy the list's editorial life: say what, and point at the sync.
    context["history"] = editorial_history(curated_list) if context["existing"] else []
    page = "admin/catalog/curatedlist/import_readme.html"
    if request.method == "POST" and "confirm" in request.POST:
        # The text comes back from the preview page; it is parsed again, not trusted as parsed.
        data = request.POST.get("readme", "").encode("utf-8")
        if context["history"]:  # a stale preview or a crafted request: refused all the same
            try:
                refuse_replace(curated_list)
            except ImportRefused as error:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(request.path)
        try:
            doc, report = read_readme(data)
        except ImportRefused as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.path)
        impact = replace_impact(curated_list, doc)
        typed = request.POST.get("confirm_slug", "").strip()
        if impact.needs_confirmation and typed != curated_list.slug:
            # Back to the same preview, nothing written: the curator sees what they confirm.
            context.update(_preview(doc, report, data, impact))
            context["confirm_error"] = (
                f"Type the list's slug “{curated_list.slug}” to confirm the import"
                + (f" (you typed “{typed}”)" if typed else "")
                + ". Nothing was replaced."
            )
            context["form"] = ImportReadmeForm()
            return TemplateResponse(request, page, context)
        try:
            outcome = store_document(doc, slug=curated_list.slug, replace=True, report=report)
        except ImportRefused as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            f"Imported {outcome.entries} entries in {outcome.sections} sections"
            + (f", replacing {outcome.replaced_entries}." if outcome.replaced_entries else "."),
        )
        return HttpResponseRedirect(change_url)

    posted = request.method == "POST"
    form = ImportReadmeForm(request.POST, request.FILES) if posted else ImportReadmeForm()
    if posted and form.is_valid():
        data = form.cleaned_data["data"]
        try:
            doc, report = read_readme(data)
        except ImportRefused as error:
            form.add_error(None, " ".join(error.messages))
        else:
            context.update(_preview(doc, report, data, replace_impact(curated_list, doc)))
    context["form"] = form
    return TemplateResponse(request, page, context)


def _preview(
    doc: ListDoc, report: ImportReport, data: bytes, impact: ReplaceImpact
) -> dict[str, object]:
    return {
        "preview": True,
        "report": report.format(limit=200),
        "links": report.links,
        "lost": report.lost,
        "doc": doc,
        "entry_count": count_entries(doc),
        "readme": data.decode("utf-8"),
        "impact": impact,
    }


def download_readme_view(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    curated_list = _list_or_404(object_id)
    access = access_for(request)
    if not (access.is_superuser or curated_list.pk in access.list_ids()):
        raise PermissionDenied
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(export_files(curated_list).items()):
            # A fixed date keeps the archive as deterministic as its contents.
            info = zipfile.ZipInfo(f"{curated_list.slug}/{name}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{curated_list.slug}-readme.zip"'
    return response
