"""Entries of a list found by words and filters, or by tag: a page of results at a time."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from taggit.models import Tag

from catalog import searchcache
from catalog.filters import EntryFilter
from catalog.markdown import style
from catalog.models import CuratedList, Entry, TaggedEntry
from catalog.ordering import repository_figures
from catalog.rendering import render_inline
from catalog.views import cached
from catalog.views.listpage import PageEntry, ShownMarker, ShownTag, safe_url

PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # beyond it (an OFFSET the database may refuse): the last page


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


def _search_params(query: QueryDict) -> QueryDict:
    """The search's own parameters, normalised: in a fixed order, each once (the last, as the
    form reads it), whitespace collapsed, empty ones (and page 1) left out. The form and the
    page's links are built from these alone, so two requests with the same normalised
    parameters get the same page (and share its cache entry): the form's full submission
    (``?q=go&section=&tag=&marker=&added=``) is the same search as ``?q=go``."""
    params = QueryDict(mutable=True)
    for name in (*EntryFilter.base_filters, "page"):
        value = " ".join(query.get(name, "").split())
        if value and not (name == "page" and value == "1"):
            params[name] = value
    return params


def _one_query_page(queryset, number: str | None) -> Page:
    """A page of results and their number, from one query: each row carries the count of all
    the rows (a window), so no separate COUNT runs. A page past the end (rare) costs a count
    and the last page, as ``Paginator.get_page`` answers it."""
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        wanted = int(number or 1)
    except ValueError:
        wanted = 1
    counted = queryset.annotate(rows_found=Window(Count("*")))
    if 1 <= wanted <= MAX_PAGE:
        offset = (wanted - 1) * PAGE_SIZE
        rows = list(counted[offset : offset + PAGE_SIZE])
        if rows:
            paginator.count = rows[0].rows_found
            return Page(rows, wanted, paginator)
        if wanted == 1:
            paginator.count = 0
            return Page(rows, 1, paginator)
    return paginator.get_page(paginator.num_pages)


def _filter_choices(filterset: EntryFilter, curated_list: CuratedList) -> dict:
    """The choices the search form offers, as plain values (kept per list version)."""
    fields = filterset.form.fields
    return {
        "section": [(str(value), label) for value, label in fields["section"].choices],
        "marker": [(str(value), label) for value, label in fields["marker"].choices],
        "licence": list(fields["licence"].choices),
        "tags": _tag_names(curated_list),
    }


def _search_page(curated_list: CuratedList, params: QueryDict, version: str) -> bytes:
    filterset = EntryFilter(params, queryset=_published(curated_list), curated_list=curated_list)
    offered = searchcache.choices(
        curated_list.pk, version, lambda: _filter_choices(filterset, curated_list)
    )
    for name in ("section", "marker", "licence"):
        # Offered from the cache; a chosen value is still looked up when the form is cleaned.
        filterset.form.fields[name].choices = offered[name]
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else _published(curated_list).none()
    page = _one_query_page(queryset, params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "list": curated_list,
        "filter": filterset,
        "tag_options": offered["tags"],
        "page_obj": page,
        "results": _shown(list(page.object_list)),
        "query_string": query.urlencode(),
    }
    # Rendered without the request, as the cached list page is: the same bytes for everyone.
    return render_to_string("catalog/search.html", context).encode()


def search(request: HttpRequest, slug: str) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, slug=slug)
    params = _search_params(request.GET)
    body = searchcache.page(
        curated_list.pk,
        params.urlencode(),
        lambda version: _search_page(curated_list, params, version),
    )
    return HttpResponse(body, content_type="text/html; charset=utf-8")


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


def _with_query(variant: str, request: HttpRequest) -> str:
    query = request.GET.urlencode()
    return f"{variant}?{query}" if query else variant


def tag_detail(request: HttpRequest, slug: str, tag: str) -> HttpResponseBase:
    """A page of the list's entries with a tag: kept in the list's page cache, per tag and
    query string (the page number, and whatever else the pagination links carry on)."""

    def render_page(curated_list: CuratedList | None) -> tuple[bytes, str]:
        assert curated_list is not None
        found = Tag.objects.filter(slug=tag).first()
        if found is None:
            raise Http404("No such tag.")
        queryset = _published(curated_list).filter(tags=found)
        context = {"list": curated_list, "tag": found, **_results(request, queryset)}
        if not context["page_obj"].paginator.count:
            raise Http404("No entry of this list has that tag.")
        return render_to_string("catalog/tag.html", context).encode(), "text/html; charset=utf-8"

    return cached.serve(request, "tag", slug, render_page, variant=_with_query(tag, request))
