"""What is new: recently published entries as Atom and as JSON Feed 1.1, per list and site-wide.

A feed never fails on what it is fed: every text it emits is cleaned of the characters XML 1.0
cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF), which a title may carry
from an import or an API client; Django's feed writer would otherwise refuse the whole feed.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from catalog.markdown import style
from catalog.models import CuratedList, Entry
from catalog.rendering import render_inline
from catalog.views import cached

# Not allowed anywhere in an XML 1.0 document (tab, newline and carriage return are).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FEED_SIZE = 50
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"


def feed_text(value: Any) -> Any:
    """``value`` with what XML 1.0 cannot hold removed (strings, and lists of them)."""
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(feed_text(item) for item in value)
    return value


class SafeAtom1Feed(Atom1Feed):
    """Atom whose every text, of the feed and of each item, is fit for XML."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *(feed_text(a) for a in args), **{k: feed_text(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(
            *(feed_text(a) for a in args), **{k: feed_text(v) for k, v in kwargs.items()}
        )

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        # The entry's page is the item's link; the tool itself is its related link.
        if item.get("related"):
            handler.addQuickElement("link", "", {"rel": "related", "href": item["related"]})


def tag_uri(entry: Entry) -> str:
    """An entry's permanent Atom id: a tag URI (RFC 4151) under the site's own host name,
    dated by the entry's creation, which no later change of the entry alters."""
    authority = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{authority},{entry.created_at:%Y-%m-%d}:entry/{entry.pk}"


def recent_entries(curated_list: CuratedList | None = None) -> QuerySet[Entry]:
    entries = Entry.objects.published().filter(published_at__isnull=False)
    if curated_list is not None:
        entries = entries.for_list(curated_list)
    return (
        entries.select_related("curated_list", "section")
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )


def entry_html(entry: Entry) -> str:
    description = render_inline(style.description(entry.description, title=entry.title))
    return f"<p>{description}</p>" if description else ""


def entry_summary(entry: Entry) -> str:
    return f"{entry.title} in {entry.curated_list.title} › {entry.section.title_path}"


class _AtomFeed(Feed):
    feed_type = SafeAtom1Feed

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return entry_html(item) or entry_summary(item)

    def item_link(self, item: Entry) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Entry) -> str:
        return tag_uri(item)

    def item_extra_kwargs(self, item: Entry) -> dict[str, Any]:
        return {"related": item.url} if item.url else {}

    def item_pubdate(self, item: Entry) -> Any:
        return item.published_at

    def item_updateddate(self, item: Entry) -> Any:
        return item.published_at

    def item_categories(self, item: Entry) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class ListAtomFeed(_AtomFeed):
    def author_name(self, obj: CuratedList) -> str:
        return f"The curators of {obj.title}"

    def get_object(self, request: HttpRequest, slug: str) -> CuratedList:
        return get_object_or_404(CuratedList, slug=slug)

    def title(self, obj: CuratedList) -> str:
        return f"{obj.title}: new links"

    def subtitle(self, obj: CuratedList) -> str:
        return obj.tagline or f"Recently published links of {obj.title}."

    def link(self, obj: CuratedList) -> str:
        return obj.get_absolute_url()

    def items(self, obj: CuratedList) -> QuerySet[Entry]:
        return recent_entries(obj)


class SiteAtomFeed(_AtomFeed):
    author_name = "The curators of every list"
    title = "Awesome Curator: new links"
    subtitle = "Recently published links of every list."

    def link(self) -> str:
        return reverse("catalog:home")

    def items(self) -> QuerySet[Entry]:
        return recent_entries()


def _json_feed(
    request: HttpRequest, *, title: str, description: str, home: str, entries: QuerySet[Entry]
) -> JsonResponse:
    absolute = request.build_absolute_uri
    items = []
    for entry in entries:
        item: dict[str, Any] = {
            "id": absolute(entry.get_absolute_url()),
            "url": absolute(entry.get_absolute_url()),
            "title": feed_text(entry.title),
            "content_html": feed_text(entry_html(entry) or entry_summary(entry)),
            "summary": feed_text(entry_summary(entry)),
            "date_published": entry.published_at.isoformat() if entry.published_at else None,
            "tags": [feed_text(tag.name) for tag in entry.tags.all()],
        }
        if entry.url:
            item["external_url"] = entry.url
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": feed_text(title),
        "description": feed_text(description),
        "home_page_url": absolute(home),
        "feed_url": absolute(request.path),
        "language": "en",
        "items": items,
    }
    return JsonResponse(
        feed, content_type=JSON_FEED_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def _list_json_feed(request: HttpRequest, slug: str) -> JsonResponse:
    curated_list = get_object_or_404(CuratedList, slug=slug)
    return _json_feed(
        request,
        title=f"{curated_list.title}: new links",
        description=curated_list.tagline or f"Recently published links of {curated_list.title}.",
        home=curated_list.get_absolute_url(),
        entries=recent_entries(curated_list),
    )


def _site_json_feed(request: HttpRequest) -> JsonResponse:
    return _json_feed(
        request,
        title=SiteAtomFeed.title,
        description=SiteAtomFeed.subtitle,
        home=reverse("catalog:home"),
        entries=recent_entries(),
    )


# --- Served from the page cache ---------------------------------------------------------------
# A list's feeds are kept with its other pages, the site's under the site-wide version (any
# list's change drops them); per scheme and host, which their absolute links name.

_list_atom = ListAtomFeed()
_site_atom = SiteAtomFeed()


def _bytes(response: HttpResponse) -> tuple[bytes, str]:
    return response.content, response["Content-Type"]


def list_atom_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    return cached.serve(
        request,
        "feed-atom",
        slug,
        lambda _: _bytes(_list_atom(request, slug=slug)),
        variant=cached.origin(request),
    )


def list_json_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    return cached.serve(
        request,
        "feed-json",
        slug,
        lambda _: _bytes(_list_json_feed(request, slug)),
        variant=cached.origin(request),
    )


def site_atom_feed(request: HttpRequest) -> HttpResponseBase:
    return cached.serve(
        request,
        "feed-atom",
        "",
        lambda _: _bytes(_site_atom(request)),
        variant=cached.origin(request),
    )


def site_json_feed(request: HttpRequest) -> HttpResponseBase:
    return cached.serve(
        request,
        "feed-json",
        "",
        lambda _: _bytes(_site_json_feed(request)),
        variant=cached.origin(request),
    )
