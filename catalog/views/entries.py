"""Entries of a list found by words and filters, or by tag: a page of results at a time."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from catalog.filters import EntryFilter
from catalog.markdown import style
from catalog.models import CuratedList, Entry, TaggedEntry
from catalog.ordering import repository_figures
from catalog.rendering import render_inline
from catalog.views.listpage import PageEntry, ShownMarker, ShownTag, safe_url

PAGE_SIZE = 50


def _shown(entries: list[Entry]) -> list[tuple[PageEntry, Entry]]:
    return [
        (
            PageEntry(
                pk=entry.pk,
                title=entry.title,
                url=safe_url(entry.url),
                description=render_inline(style.description(entry.description, title=entry.title)),  # type: ignore[arg-type]
                markers=[ShownMarker(m.symbol, m.slug, m.label) for m in entry.shown_markers],  # type: ignore[attr-defined]
                tags=[ShownTag(t.name, t.slug) for t in entry.shown_tags],  # type: ignore[attr-defined]
                links=[(link.label, safe_url(link.url)) for link in entry.shown_links],  # type: ignore[attr-defined]
                figures=repository_figures(entry),
            ),
            entry,
        )
        for entry in entries
    ]


def _results(request: HttpRequest, queryset) -> dict:
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "results": _shown(list(page.object_list)),
        "query_string": query.urlencode(),
    }


def _published(curated_list: CuratedList):
    return (
        Entry.objects.for_list(curated_list)
        .published()
        .with_display_relations()
        .select_related("repository")  # the figures a list may show (catalog.ordering)
        .in_list_order()
    )


def search(request: HttpRequest, slug: str) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, slug=slug)
    filterset = EntryFilter(
        request.GET, queryset=_published(curated_list), curated_list=curated_list
    )
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else _published(curated_list).none()
    context = {
        "list": curated_list,
        "filter": filterset,
        "tag_options": _tag_names(curated_list),
        **_results(request, queryset),
    }
    return render(request, "catalog/search.html", context)


def _tag_names(curated_list: CuratedList) -> list[str]:
    """The names of the tags the list's published entries carry: the tag field offers them."""
    tagged = TaggedEntry.objects.filter(
        content_object__in=Entry.objects.for_list(curated_list).published()
    )
    return list(
        Tag.objects.filter(pk__in=tagged.values("tag"))
        .order_by("name")
        .values_list("name", flat=True)
    )


def tag_detail(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, slug=slug)
    found = Tag.objects.filter(slug=tag).first()
    if found is None:
        raise Http404("No such tag.")
    queryset = _published(curated_list).filter(tags=found)
    context = {"list": curated_list, "tag": found, **_results(request, queryset)}
    if not context["page_obj"].paginator.count:
        raise Http404("No entry of this list has that tag.")
    return render(request, "catalog/tag.html", context)
