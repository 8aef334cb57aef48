"""The home page, a list's page and its README: cached per list (the home page under the site's
version), answered with 304 when the visitor already has the current version."""

from __future__ import annotations

from collections.abc import Callable

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

from catalog import pagecache
from catalog.export import export_files
from catalog.models import CuratedList
from catalog.views import cached, listpage

HTML = "text/html; charset=utf-8"


def _home(_: CuratedList | None) -> tuple[bytes, str]:
    lists = CuratedList.objects.with_public_stats().order_by("title")
    html = render_to_string("catalog/home.html", {"lists": lists})
    return html.encode(), "text/html; charset=utf-8"


def home(request: HttpRequest) -> HttpResponseBase:
    """Every list with its figures: kept under the site-wide version, which any list's change
    drops (its Count/Max reads every entry of every list: once per change, not per visit)."""
    return cached.serve(request, "home", "", _home)


def _cached(
    request: HttpRequest,
    kind: str,
    slug: str,
    render_page: Callable[[CuratedList], bytes],
    *,
    content_type: str,
) -> HttpResponseBase:
    def render(curated_list: CuratedList | None) -> tuple[bytes, str]:
        assert curated_list is not None
        return render_page(curated_list), content_type

    return cached.serve(request, kind, slug, render)


def list_page(curated_list: CuratedList) -> tuple[bytes, str]:
    """The list page's bytes, as a visit caches them (and ``warm`` rebuilds them)."""
    return _list_html(curated_list), HTML


def warm(curated_list: CuratedList) -> None:
    """Render the list page, its document and the home page into the cache now (after a
    change, in the background), so that no visitor waits for them."""
    from catalog.api.views import document_page

    slug, pk = curated_list.slug, curated_list.pk
    pagecache.build("html", slug, pk, lambda: list_page(curated_list))
    pagecache.build("document", slug, pk, lambda: document_page(curated_list))
    pagecache.build("home", "", pagecache.SITE, lambda: _home(None))


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
    return _cached(request, "html", slug, _list_html, content_type=HTML)


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
