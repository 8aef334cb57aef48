"""Answering a request from the page cache (``catalog.pagecache``): the cached bytes with their
ETag and Last-Modified, or 304 when the visitor already has them; rendered and kept on a miss.

Used by every cached public page — the list page and its files, feeds, tag pages, the home page
— and, through ``catalog.api.caching``, by the API's pages of a list.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from catalog import pagecache
from catalog.models import CuratedList

# Browsers and proxies may keep a copy but must ask (a cheap 304) before using it, so a
# published entry shows up on the next visit.
CACHE_CONTROL = "public, no-cache"

# Renders a page of the list (None for a site-wide page): its bytes and content type.
Render = Callable[[CuratedList | None], tuple[bytes, str]]


def cached_page(kind: str, slug: str, render: Render, *, variant: str = "") -> pagecache.CachedPage:
    """The current page, from the cache or rendered now (404 for a slug no list has).

    ``slug`` "" is a site-wide page (kept under ``pagecache.SITE``); ``variant`` is whatever
    else the bytes depend on (a host, a query string)."""
    page = pagecache.get(kind, slug, variant)
    if page is not None:
        return page
    if not slug:
        return pagecache.build(kind, slug, pagecache.SITE, lambda: render(None), variant)
    curated_list = get_object_or_404(CuratedList, slug=slug)
    return pagecache.build(kind, slug, curated_list.pk, lambda: render(curated_list), variant)


def respond(request: HttpRequest, page: pagecache.CachedPage) -> HttpResponseBase:
    """The page, or 304 Not Modified for a request that names its ETag or a later date."""
    last_modified = int(page.last_modified)
    response = get_conditional_response(request, etag=page.etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(page.body, content_type=page.content_type)
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    return response


def serve(
    request: HttpRequest, kind: str, slug: str, render: Render, *, variant: str = ""
) -> HttpResponseBase:
    return respond(request, cached_page(kind, slug, render, variant=variant))


def origin(request: HttpRequest) -> str:
    """What absolute links in a page depend on (feeds, API pages): scheme and host."""
    return f"{request.scheme}://{request.get_host()}"
