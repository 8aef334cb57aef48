"""Explicit-field serializers of the read API. Related rows come prefetched by the viewsets
(``EntryQuerySet.with_display_relations``), so no serializer here runs a query of its own."""

from __future__ import annotations

import builtins
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.columns import ROLES
from catalog.models import (
    CuratedList,
    Entry,
    FooterBlock,
    LinkHealth,
    Marker,
    RepositoryInfo,
    Section,
)


class MarkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Marker
        fields = ["symbol", "slug", "label"]


class FooterBlockSerializer(serializers.ModelSerializer):
    class Meta:
        model = FooterBlock
        fields = ["title", "body"]


class CuratedListSerializer(serializers.ModelSerializer):
    # A URL or empty: not format "uri", which an empty string would break.
    repository_url = serializers.CharField(read_only=True)
    # Integers declared here, not derived: a derived field takes its bounds from the database
    # backend (32767 on PostgreSQL, 2^63 on SQLite), and schema.yml must not depend on it.
    approvals_required = serializers.IntegerField(read_only=True)
    published_count = serializers.IntegerField(read_only=True)
    last_published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    markers = MarkerSerializer(many=True, read_only=True)
    html_url = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = CuratedList
        fields = [
            "slug",
            "title",
            "tagline",
            "repository_url",
            "license",
            "ordering",
            "approvals_required",
            "published_count",
            "last_published_at",
            "markers",
            "html_url",
            "document_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: CuratedList) -> str:
        return self._absolute(obj.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_document_url(self, obj: CuratedList) -> str:
        return self._absolute(reverse("api:list-document", kwargs={"slug": obj.slug}))

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CuratedListDetailSerializer(CuratedListSerializer):
    footer_blocks = FooterBlockSerializer(many=True, read_only=True)

    class Meta(CuratedListSerializer.Meta):
        fields = [*CuratedListSerializer.Meta.fields, "intro", "footer_blocks"]


class AttributeSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The table column's heading, e.g. Auth.")
    value = serializers.CharField(help_text="Inline Markdown on one line, e.g. `apiKey`.")


class ColumnSerializer(serializers.Serializer):
    label = serializers.CharField()
    role = serializers.ChoiceField(choices=[(role, role) for role in ROLES])


class SectionSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    published_count = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True)  # bounds: see CuratedListSerializer
    depth = serializers.IntegerField(read_only=True)
    columns = ColumnSerializer(
        many=True, read_only=True, help_text="Empty for a list; a table's columns, in order."
    )

    class Meta:
        model = Section
        fields = [
            "id",
            "parent",
            "title",
            "slug",
            "description",
            "outro",
            "columns",
            "position",
            "depth",
            "title_path",
            "published_count",
        ]


class EntryMarkerSerializer(serializers.Serializer):
    symbol = serializers.CharField()
    slug = serializers.CharField()


class ExtraLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.URLField()


class LinkHealthSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=LinkHealth.State.choices)
    status_code = serializers.IntegerField(allow_null=True, min_value=0, max_value=999)
    redirect_to = serializers.CharField(help_text="Where a permanent redirect leads, or empty.")
    error = serializers.CharField()
    checked_at = serializers.DateTimeField()
    consecutive_failures = serializers.IntegerField(min_value=0, max_value=2_147_483_647)


class RepositorySerializer(serializers.Serializer):
    forge = serializers.ChoiceField(choices=RepositoryInfo.Forge.choices)
    full_name = serializers.CharField()
    url = serializers.CharField()
    stars = serializers.IntegerField(allow_null=True, min_value=0, max_value=2_147_483_647)
    last_activity_at = serializers.DateTimeField(allow_null=True)
    archived = serializers.BooleanField()
    license = serializers.CharField()
    fetched_at = serializers.DateTimeField(allow_null=True)


class EntrySerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="A URL, or empty (e.g. a book).")
    position = serializers.IntegerField(read_only=True)  # bounds: see CuratedListSerializer
    revision = serializers.IntegerField(read_only=True)
    # "list" shadows the builtin inside this class body: annotations say builtins.list.
    list = serializers.SlugRelatedField(source="curated_list", slug_field="slug", read_only=True)
    section_title_path = serializers.CharField(source="section.title_path", read_only=True)
    sections = serializers.SerializerMethodField(
        help_text=(
            "Every section the entry is shown in: its own (section) first, then the further "
            "sections it is placed in, in README order."
        )
    )
    proposal_for = serializers.IntegerField(
        source="proposal_for_id", read_only=True, allow_null=True
    )
    markers = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    extra_links = serializers.SerializerMethodField()
    attributes = AttributeSerializer(
        many=True, read_only=True, help_text="Values of the section's table columns, in order."
    )
    link_health = serializers.SerializerMethodField(
        help_text="The last link check (python manage.py check_links), or null."
    )
    repository = serializers.SerializerMethodField(
        help_text="The repository behind the entry, as its forge reports it, or null."
    )

    class Meta:
        model = Entry
        fields = [
            "id",
            "list",
            "section",
            "section_title_path",
            "sections",
            "title",
            "url",
            "description",
            "markers",
            "tags",
            "extra_links",
            "attributes",
            "lead_in",
            "position",
            "status",
            "revision",
            "proposal_for",
            "publish_at",
            "published_at",
            "link_health",
            "repository",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_sections(self, obj: Entry) -> builtins.list[int]:
        placements = getattr(obj, "shown_placements", None)
        if placements is None:
            placements = list(obj.placements.order_by("section__tree_path", "pk"))
        return [obj.section_id, *(placement.section_id for placement in placements)]

    @extend_schema_field(EntryMarkerSerializer(many=True))
    def get_markers(self, obj: Entry) -> builtins.list[dict[str, Any]]:
        return [{"symbol": m.symbol, "slug": m.slug} for m in _shown(obj, "markers")]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, obj: Entry) -> builtins.list[str]:
        return [tag.name for tag in _shown(obj, "tags")]

    @extend_schema_field(ExtraLinkSerializer(many=True))
    def get_extra_links(self, obj: Entry) -> builtins.list[dict[str, str]]:
        return [{"label": link.label, "url": link.url} for link in _shown(obj, "links")]

    @extend_schema_field(LinkHealthSerializer(allow_null=True))
    def get_link_health(self, obj: Entry) -> dict[str, Any] | None:
        # A missing reverse one-to-one raises a subclass of AttributeError: getattr's default.
        health = getattr(obj, "link_health", None)
        return LinkHealthSerializer(health).data if health is not None else None

    @extend_schema_field(RepositorySerializer(allow_null=True))
    def get_repository(self, obj: Entry) -> dict[str, Any] | None:
        repository = getattr(obj, "repository", None)
        return RepositorySerializer(repository).data if repository is not None else None


def _shown(entry: Entry, relation: str) -> list[Any]:
    """The prefetched rows (``with_display_relations``); a query only for an entry built
    elsewhere, such as the one a write endpoint returns."""
    shown = getattr(entry, f"shown_{relation}", None)
    if shown is not None:
        return shown
    if relation == "links":
        return list(entry.extra_links.all())
    return list(getattr(entry, relation).all())
