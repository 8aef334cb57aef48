"""Public pages. Thin: each view asks a QuerySet method for what it shows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from catalog.models import CuratedList, Entry, Section
from catalog.tree import build_tree


def home(request: HttpRequest) -> HttpResponse:
    lists = CuratedList.objects.with_public_stats().order_by("title")
    return render(request, "catalog/home.html", {"lists": lists})


def list_detail(request: HttpRequest, slug: str) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList.objects.with_public_stats(), slug=slug)
    sections = Section.objects.for_list(curated_list).in_tree_order()
    entries = Entry.objects.for_list(curated_list).published().with_display_relations()
    context = {
        "list": curated_list,
        "tree": build_tree(curated_list, sections, entries),
        "markers": curated_list.markers.all(),
        "footer_blocks": curated_list.footer_blocks.all(),
    }
    return render(request, "catalog/list_detail.html", context)
