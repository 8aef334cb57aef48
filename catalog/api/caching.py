"""The API's pages of a list, served from the list's page cache (``catalog.pagecache``).

``cached_list_page(kind, scope)`` wraps a viewset's GET handler. For an anonymous client asking
for plain JSON, the rendered bytes are kept under the version of the list the page belongs to
(``scope`` names it from the request: a ``slug`` in the path, ``?list=``; or the site-wide
version, which every list's change drops, for pages that span lists), per absolute URL (the
query string and the host the pagination links name), and answered with an ETag and 304 on
If-None-Match. A hit runs no SQL query and no serialiser.

Anyone signed in (a member may see pending entries, ``catalog.api.visibility``), another
format (the browsable API, ``; indent=``), or a refusal (400, 404) goes through the handler
every time. The handler itself is untouched, so how it reads and serialises rows may change
freely underneath.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from catalog import pagecache
from catalog.models import CuratedList

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")  # what CuratedList.slug holds

# request, the handler's keyword arguments → the slug of the list the page shows, "" for a
# page spanning every list, None for a page not to cache (a slug no list can have).
Scope = Callable[[Request, dict[str, Any]], str | None]


def slug_in_path(request: Request, kwargs: dict[str, Any]) -> str | None:
    slug = kwargs.get("slug", "")
    return slug if SLUG.fullmatch(slug) else None


def list_in_query(request: Request, kwargs: dict[str, Any]) -> str | None:
    slugs = request.query_params.getlist("list")
    if not slugs:
        return ""  # every list's entries
    return slugs[0] if len(slugs) == 1 and SLUG.fullmatch(slugs[0]) else None


def whole_site(request: Request, kwargs: dict[str, Any]) -> str | None:
    return ""


class _Uncached(Exception):
    """The handler answered something not to keep (a 404, a 400): pass it on as it is."""

    def __init__(self, response: Any) -> None:
        self.response = response


def _cacheable(request: Request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and type(request.accepted_renderer) is JSONRenderer
        and request.accepted_media_type == JSONRenderer.media_type
    )


def cached_list_page(kind: str, scope: Scope) -> Callable[[Any], Any]:
    def decorate(handler: Any) -> Any:
        @functools.wraps(handler)
        def serve(view: Any, request: Request, *args: Any, **kwargs: Any) -> Any:
            slug = scope(request, kwargs) if _cacheable(request) else None
            if slug is None:
                return handler(view, request, *args, **kwargs)
            variant = request.build_absolute_uri()
            page = pagecache.get(kind, slug, variant)
            if page is None:
                if slug:
                    list_id = (
                        CuratedList.objects.filter(slug=slug).values_list("pk", flat=True).first()
                    )
                    if list_id is None:  # the handler says how it answers (404, 400)
                        return handler(view, request, *args, **kwargs)
                else:
                    list_id = pagecache.SITE

                def render() -> tuple[bytes, str]:
                    response = handler(view, request, *args, **kwargs)
                    if response.status_code != 200 or not hasattr(response, "data"):
                        raise _Uncached(response)
                    context = {"request": request, "response": response, "view": view}
                    renderer = request.accepted_renderer
                    body = renderer.render(response.data, request.accepted_media_type, context)
                    return body, renderer.media_type

                try:
                    page = pagecache.build(kind, slug, list_id, render, variant)
                except _Uncached as uncached:
                    return uncached.response
            response = get_conditional_response(request._request, etag=page.etag)
            if response is None:
                response = HttpResponse(page.body, content_type=page.content_type)
            response["ETag"] = page.etag
            patch_cache_control(response, public=True, no_cache=True)
            return response

        return serve

    return decorate
