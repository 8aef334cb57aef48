"""``/api/entries/?list=&section=&tag=&marker=&q=&status=&link=&repository=&proposals=``"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from catalog.choices import EntryStatus
from catalog.models import Entry, LinkHealth, Section


class EntryFilter(filters.FilterSet):
    list = filters.CharFilter(
        field_name="curated_list__slug", help_text="Slug of the list, e.g. awesome-python."
    )
    section = filters.NumberFilter(
        method="filter_section",
        help_text=(
            "Id of a section: its entries and its subsections', including entries placed "
            "there from another section."
        ),
    )
    tag = filters.CharFilter(
        field_name="tags__name", lookup_expr="iexact", distinct=True, help_text="A tag's name."
    )
    marker = filters.CharFilter(
        field_name="markers__slug", distinct=True, help_text="A marker's slug, e.g. must-read."
    )
    q = filters.CharFilter(method="filter_text", help_text="Words in title, description or URL.")
    status = filters.ChoiceFilter(
        choices=EntryStatus.choices,
        help_text="Anonymous clients see published entries only; members see every state.",
    )
    link = filters.ChoiceFilter(
        choices=[*LinkHealth.State.choices, ("unchecked", "Not checked yet")],
        method="filter_link",
        help_text="The state of the last link check.",
    )
    repository = filters.ChoiceFilter(
        choices=[("archived", "Archived"), ("stale", "No recent commit")],
        method="filter_repository",
        help_text="Archived repositories, or stale ones (no commit for a long time).",
    )
    proposals = filters.BooleanFilter(
        method="filter_proposals",
        help_text="true: the proposed edits of published entries instead of the entries.",
    )

    class Meta:
        model = Entry
        fields = [
            "list",
            "section",
            "tag",
            "marker",
            "q",
            "status",
            "link",
            "repository",
            "proposals",
        ]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Entries proper unless proposals are asked for: a merged proposal is "published" too,
        # and would otherwise show up next to the entry it was merged into.
        if self.form.cleaned_data.get("proposals") is None:
            queryset = queryset.filter(proposal_for__isnull=True)
        return super().filter_queryset(queryset)

    def filter_section(self, queryset: QuerySet, name: str, value: float) -> QuerySet:
        section = Section.objects.filter(pk=int(value)).only("curated_list_id", "tree_path").first()
        if section is None:
            return queryset.none()
        # Entries placed there too (EntryPlacement), each once.
        return queryset.shown_in(section, subtree=True)  # type: ignore[attr-defined]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(url__icontains=word)
            )
        return queryset

    def filter_link(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_link_state(value)  # type: ignore[attr-defined]

    def filter_repository(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "archived":
            return queryset.archived_repositories()  # type: ignore[attr-defined]
        return queryset.stale_repositories()  # type: ignore[attr-defined]

    def filter_proposals(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(proposal_for__isnull=not value)
