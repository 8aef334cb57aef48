"""Read-only viewsets: lists, their sections, entries, and the list document.

Each endpoint runs a fixed number of queries whatever the page size: the related rows are
joined (``select_related``) or prefetched into plain lists, and the tests pin the counts.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from catalog import pagecache
from catalog.api.caching import cached_list_page, list_in_query, slug_in_path, whole_site
from catalog.api.filters import EntryFilter
from catalog.api.params import ENTRY_FILTERS, MAX_PAGE_SIZE, PAGINATION, check_query, openapi
from catalog.api.rows import EntryRows, entry_rows
from catalog.api.schema import INVALID, LIST_DOCUMENT_REF, READ_ERRORS
from catalog.api.serializers import (
    CuratedListDetailSerializer,
    CuratedListSerializer,
    EntrySerializer,
    SectionSerializer,
)
from catalog.api.visibility import visible_entries
from catalog.choices import EntryStatus
from catalog.document_json import document_to_json
from catalog.export import list_document
from catalog.models import CuratedList, Entry, FooterBlock, Marker, Section

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")  # what CuratedList.slug holds


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


def document_page(curated_list: CuratedList) -> tuple[bytes, str]:
    """The list document as its endpoint serves it (and ``catalog.views.lists.warm`` keeps)."""
    renderer = JSONRenderer()
    data = document_to_json(list_document(curated_list), slug=curated_list.slug)
    return renderer.render(data), renderer.media_type


@extend_schema_view(
    list=extend_schema(
        summary="The curated lists",
        parameters=openapi(PAGINATION),
        responses={200: CuratedListSerializer(many=True), 400: INVALID, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One list, with its intro and footer",
        responses={200: CuratedListDetailSerializer, **READ_ERRORS},
    ),
)
class CuratedListViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    # Anything up to the next slash reaches the view, which answers a JSON 404 for a slug it
    # does not know (the router's default stops at dots and leaves Django's HTML 404).
    lookup_value_regex = "[^/]+"
    pagination_class = Pagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        lists = CuratedList.objects.with_public_stats().prefetch_related(
            Prefetch("markers", queryset=Marker.objects.order_by("position", "pk"))
        )
        if self.action == "retrieve":
            lists = lists.prefetch_related(
                Prefetch("footer_blocks", queryset=FooterBlock.objects.order_by("position", "pk"))
            )
        return lists.order_by("title", "pk")

    @cached_list_page("api-lists", whole_site)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        check_query(request, PAGINATION)
        return super().list(request, *args, **kwargs)

    @cached_list_page("api-list", slug_in_path)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    def get_serializer_class(self) -> Any:
        return CuratedListDetailSerializer if self.action == "retrieve" else CuratedListSerializer

    @extend_schema(
        summary="The sections of a list, in README order (not paginated: a tree is read whole)",
        responses={200: SectionSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    @cached_list_page("api-sections", slug_in_path)
    def sections(self, request: Request, slug: str) -> Response:
        curated_list = get_object_or_404(CuratedList.objects.only("pk"), slug=slug)
        published = Q(entries__status=EntryStatus.PUBLISHED, entries__proposal_for__isnull=True)
        placed = Q(
            placements__entry__status=EntryStatus.PUBLISHED,
            placements__entry__proposal_for__isnull=True,
        )
        # Entries shown in the section: its own and those placed there (each entry once).
        sections = (
            Section.objects.for_list(curated_list)
            .in_tree_order()
            .annotate(
                published_count=Count("entries", filter=published, distinct=True)
                + Count("placements", filter=placed, distinct=True)
            )
        )
        return Response(SectionSerializer(sections, many=True).data)

    @extend_schema(
        summary="The list document: everything its README needs, versioned",
        description=(
            "Published content only, the same for every client. `render_readme` turns it into "
            "README.md, contributing.md and license.md, byte for byte what the CMS exports. "
            "Its JSON Schema is docs/list-document.schema.json. Answers 304 to a request whose "
            "If-None-Match holds the current ETag."
        ),
        responses={
            200: OpenApiResponse(LIST_DOCUMENT_REF, description="The list document."),
            304: OpenApiResponse(description="Not modified: the ETag still matches."),
            **READ_ERRORS,
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def document(self, request: Request, slug: str) -> Any:
        # Kept in the list's page cache (``catalog.pagecache``), dropped by whatever changes
        # the README: a hit costs no query and no serialising, which matters on a 3,000-entry
        # list. The browsable API (HTML) renders it afresh.
        if not SLUG.fullmatch(slug):  # no list has it; and it must not become a cache key
            get_object_or_404(CuratedList, slug=slug)
        if not isinstance(request.accepted_renderer, JSONRenderer):
            curated_list = get_object_or_404(CuratedList, slug=slug)
            return Response(document_to_json(list_document(curated_list), slug=slug))
        page = pagecache.get("document", slug)
        if page is None:
            curated_list = get_object_or_404(CuratedList, slug=slug)
            page = pagecache.build(
                "document", slug, curated_list.pk, lambda: document_page(curated_list)
            )
        # The ETag is the hash of the content, so an unchanged list answers 304 however often
        # it is asked, and a change of anything the README shows changes it.
        response = get_conditional_response(request._request, etag=page.etag)
        if response is None:
            response = HttpResponse(page.body, content_type=page.content_type)
        response["ETag"] = page.etag
        patch_cache_control(response, public=True, no_cache=True)
        return response


@extend_schema_view(
    list=extend_schema(
        summary="Entries, filtered and paginated",
        parameters=openapi(PAGINATION + ENTRY_FILTERS),
        responses={200: EntrySerializer(many=True), 400: INVALID, **READ_ERRORS},
    ),
    retrieve=extend_schema(summary="One entry", responses={200: EntrySerializer, **READ_ERRORS}),
)
class EntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Published entries for everybody; members also see every entry of the sections their
    roles reach, whatever its state (see ``catalog.api.visibility``)."""

    serializer_class = EntrySerializer
    lookup_value_regex = "[^/]+"  # not an id → a JSON 404 from the view, as for lists
    filterset_class = EntryFilter
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        if self.action == "list":  # plain rows, serialised by ``entry_rows``
            return visible_entries(self.request, Entry.objects.order_by(*self._listing_order()))
        entries = (
            Entry.objects.with_display_relations()
            .with_placements()
            .select_related("curated_list", "link_health", "repository")
        )
        return visible_entries(self.request, entries)

    def _listing_order(self) -> tuple[str, ...]:
        """README order: lists by title, then each list's sections in tree order. A page of one
        list needs no list title (no join on the list to sort, which on a 5,000-entry list
        sorted every row of it): its sections' tree order and the positions within them."""
        in_tree = ("section__tree_path", "position", "pk")
        if self.request.query_params.get("list"):  # what the ``list`` filter reads
            return in_tree
        return ("curated_list__title", "curated_list_id", *in_tree)

    @cached_list_page("api-entries", list_in_query)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        check_query(request, PAGINATION + ENTRY_FILTERS)
        page = self.paginate_queryset(EntryRows(self.filter_queryset(self.get_queryset())))
        assert page is not None  # a pagination class is set
        return self.get_paginated_response(entry_rows(page))
