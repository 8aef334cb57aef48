"""The home page, a list's page and its README: cached per list, answered with 304 when the
visitor already has the current version."""

from __future__ import annotations

from collections.abc import Callable

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from catalog import pagecache
from catalog.export import export_files
from catalog.models import CuratedList
from catalog.views import listpage

# Browsers and proxies may keep a copy but must ask (a cheap 304) before using it, so a
# published entry shows up on the next visit.
CACHE_CONTROL = "public, no-cache"


def home(request: HttpRequest) -> HttpResponse:
    lists = CuratedList.objects.with_public_stats().order_by("title")
    return render(request, "catalog/home.html", {"lists": lists})


def _cached(
    request: HttpRequest,
    kind: str,
    slug: str,
    render_page: Callable[[CuratedList], bytes],
    *,
    content_type: str,
) -> HttpResponseBase:
    page = pagecache.get(kind, slug)
    if page is None:
        curated_list = get_object_or_404(CuratedList, slug=slug)
        page = pagecache.build(
            kind, slug, curated_list.pk, lambda: (render_page(curated_list), content_type)
        )
    last_modified = int(page.last_modified)
    response = get_conditional_response(request, etag=page.etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(page.body, content_type=page.content_type)
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _list_html(curated_list: CuratedList) -> bytes:
    context = {"list": curated_list, "page": listpage.load(curated_list)}
    return render_to_string("catalog/list_detail.html", context).encode()


def _readme(curated_list: CuratedList) -> bytes:
    return export_files(curated_list)["README.md"].encode()


def _export_file(name: str) -> Callable[[CuratedList], bytes]:
    def render_file(curated_list: CuratedList) -> bytes:
        # An empty body stands for "the export has no such file" (a list without a licence).
        return export_files(curated_list).get(name, "").encode()

    return render_file


# Intros, section descriptions and footers are curators' Markdown, which may show images (logos,
# diagrams) from anywhere, as the README on GitHub does; the sanitiser lets only https/http ones
# through. Scripts and styles stay the site's own (config/settings.py).
@csp_update({"img-src": ["https:"]})  # type: ignore[arg-type]  # its stubs: views of (request)
def list_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
    return _cached(request, "html", slug, _list_html, content_type="text/html; charset=utf-8")


def list_readme(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Exactly what the export writes to README.md."""
    return _cached(request, "readme", slug, _readme, content_type="text/markdown; charset=utf-8")


# The README links its neighbours relatively ("[contribution guidelines](contributing.md)"), so
# they are served beside it, exactly as the export writes them.
def list_contributing(request: HttpRequest, slug: str) -> HttpResponseBase:
    return _cached(
        request,
        "contributing",
        slug,
        _export_file("contributing.md"),
        content_type="text/markdown; charset=utf-8",
    )


def list_licence(request: HttpRequest, slug: str) -> HttpResponseBase:
    response = _cached(
        request,
        "licence",
        slug,
        _export_file("license.md"),
        content_type="text/markdown; charset=utf-8",
    )
    if isinstance(response, HttpResponse) and response.status_code == 200 and not response.content:
        raise Http404("This list has no License section.")
    return response
