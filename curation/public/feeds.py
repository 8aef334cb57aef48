"""A list's change feed: every published change (added, edited field by field, moved,
archived/removed, with the curator's comment) as Atom (``changes.atom``), JSON Feed 1.1
(``changes.json``) and the "What changed" page, grouped by week.

The data is the audit trail (``curation.public.changes``), so the views live here and not in
``catalog.feeds``; they reuse its writer and its cleaner (``feed_text``: no control character
in a title stops a feed). Plain GET views without per-user content, cacheable like the
additions feeds.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape

from catalog.feeds import JSON_FEED_TYPE, JSON_FEED_VERSION, SafeAtom1Feed, feed_text
from catalog.models import CuratedList
from curation.public.changes import Change, by_week, field_line, list_changes


def changes_url(curated_list: CuratedList) -> str:
    return reverse("changes:page", kwargs={"slug": curated_list.slug})


def change_link(curated_list: CuratedList, change: Change) -> str:
    """The change on the "What changed" page: an archived entry has no place on the list."""
    return f"{changes_url(curated_list)}#{change.anchor}"


def change_id(change: Change) -> str:
    """A permanent Atom id per change: a tag URI (RFC 4151) under the site's host."""
    authority = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{authority},{change.when:%Y-%m-%d}:change/{change.event_id}"


def change_html(change: Change) -> str:
    parts = [f"<p>{escape(change.verb)} in {escape(change.section)}.</p>"]
    if change.fields:
        items = "".join(f"<li>{escape(field_line(f))}</li>" for f in change.fields)
        parts.append(f"<ul>{items}</ul>")
    if change.comment:
        who = escape(change.actor or "The curators")
        parts.append(f"<blockquote><p>{who}: {escape(change.comment)}</p></blockquote>")
    return "".join(parts)


def change_title(change: Change) -> str:
    return f"{change.verb}: {change.title}"


class ChangesAtomFeed(Feed):
    feed_type = SafeAtom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> CuratedList:
        return get_object_or_404(CuratedList, slug=slug)

    def title(self, obj: CuratedList) -> str:
        return f"{obj.title}: what changed"

    def subtitle(self, obj: CuratedList) -> str:
        return f"Every published change of {obj.title}: added, edited, moved, archived."

    def link(self, obj: CuratedList) -> str:
        return changes_url(obj)

    def feed_guid(self, obj: CuratedList) -> str:
        authority = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{authority},{obj.created_at:%Y-%m-%d}:list/{obj.pk}/changes"

    def author_name(self, obj: CuratedList) -> str:
        return f"The curators of {obj.title}"

    def items(self, obj: CuratedList) -> list[Change]:
        self._list = obj
        return list_changes(obj)

    def item_title(self, item: Change) -> str:
        return change_title(item)

    def item_description(self, item: Change) -> str:
        return change_html(item)

    def item_link(self, item: Change) -> str:
        return change_link(self._list, item)

    def item_guid(self, item: Change) -> str:
        return change_id(item)

    def item_guid_is_permalink(self, item: Change) -> bool:
        return False

    def item_author_name(self, item: Change) -> str:
        return item.actor or f"The curators of {self._list.title}"

    def item_pubdate(self, item: Change) -> Any:
        return item.when

    def item_updateddate(self, item: Change) -> Any:
        return item.when

    def item_categories(self, item: Change) -> list[str]:
        return [item.kind]

    def item_extra_kwargs(self, item: Change) -> dict[str, Any]:
        return {"related": item.url} if item.url else {}


def changes_json(request: HttpRequest, slug: str) -> JsonResponse:
    curated_list = get_object_or_404(CuratedList, slug=slug)
    absolute = request.build_absolute_uri
    items = []
    for change in list_changes(curated_list):
        item: dict[str, Any] = {
            "id": change_id(change),
            "url": absolute(change_link(curated_list, change)),
            "title": feed_text(change_title(change)),
            "content_html": feed_text(change_html(change)),
            "summary": feed_text(change.summary),
            "date_published": change.when.isoformat(),
            "tags": [change.kind],
            "authors": [{"name": feed_text(change.actor or f"The curators of {curated_list}")}],
            # What a program wants without parsing the HTML (JSON Feed's "_" extensions).
            "_change": {
                "kind": change.kind,
                "entry": change.entry_id,
                "section": feed_text(change.section),
                "comment": feed_text(change.comment),
                "fields": [
                    {
                        "field": f.label,
                        "old": feed_text(f.old),
                        "new": feed_text(f.new),
                    }
                    for f in change.fields
                ],
            },
        }
        if change.url:
            item["external_url"] = change.url
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": feed_text(f"{curated_list.title}: what changed"),
        "description": feed_text(
            f"Every published change of {curated_list.title}: added, edited, moved, archived."
        ),
        "home_page_url": absolute(changes_url(curated_list)),
        "feed_url": absolute(request.path),
        "language": "en",
        "items": items,
    }
    return JsonResponse(
        feed, content_type=JSON_FEED_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def changes_page(request: HttpRequest, slug: str) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, slug=slug)
    return render(
        request,
        "curation/changes.html",
        {"list": curated_list, "weeks": by_week(list_changes(curated_list))},
    )
