"""The filters of a list's search page: words, section (with its subsections), tag, marker,
"recently added", licence and "maintained", and the reader's sort (``catalog.ordering``). They
combine (AND) and keep their values across pages."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from catalog.maintenance import derived_markers, filter_by_marker
from catalog.models import CuratedList, Entry, Marker, RepositoryInfo, Section, TaggedEntry
from catalog.ordering import SORTS, maintained_q, order_entries
from catalog.search import MAX_QUERY_LENGTH, search_entries


class DirectSelect(forms.Select):
    """A ``<select>`` written directly. Django's own renders a template per option, which was
    half the time of a search page on a list of 150 sections."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        # Not list(): it would ask the choices' length, a COUNT query of its own.
        choices = [choice for choice in self.choices]  # noqa: C416
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups: Django's way
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = []
        for option_value, label in choices:
            option = "" if option_value is None else str(option_value)
            chosen = " selected" if option in selected else ""
            options.append(f'<option value="{escape(option)}"{chosen}>{escape(label)}</option>')
        return mark_safe(
            f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(options)}</select>'
        )


class _PlainChoices(ModelChoiceIterator):
    """The choices from one plain query. Django's iterator reads them through
    ``QuerySet.iterator()``, a server-side cursor on PostgreSQL (declare, fetch, close: three
    round trips, for a select of a hundred sections)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class _SectionChoices(ModelChoiceIterator):
    """(id, title path) pairs, read as plain rows: a list may have a hundred sections or more,
    and the select needs no Section object (a chosen one is fetched when the form is
    cleaned)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from (
            (pk, path or title)
            for pk, path, title in self.queryset.values_list("pk", "title_path", "title")
        )


class SectionField(forms.ModelChoiceField):
    iterator = _SectionChoices
    widget = DirectSelect

    def label_from_instance(self, obj: Section) -> str:
        return obj.title_path or obj.title


class _MarkerChoices(_PlainChoices):
    """The list's own markers, then those it derives for unmaintained projects."""

    def __iter__(self) -> Iterator[Any]:
        yield from super().__iter__()
        field = cast(MarkerField, self.field)
        for marker in field.derived:
            yield (marker.slug, field.label_from_instance(marker))

    def __len__(self) -> int:
        return super().__len__() + len(cast(MarkerField, self.field).derived)


class MarkerField(forms.ModelChoiceField):
    iterator = _MarkerChoices
    widget = DirectSelect

    def __init__(self, *args: Any, derived: list[Marker] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.derived = derived or []

    def label_from_instance(self, obj: Marker) -> str:
        return f"{obj.symbol} {obj.label}"

    def to_python(self, value: Any) -> Any:
        for marker in self.derived:
            if value == marker.slug:
                return marker
        return super().to_python(value)


class SectionFilter(django_filters.ModelChoiceFilter):
    field_class = SectionField


class MarkerFilter(django_filters.ModelChoiceFilter):
    field_class = MarkerField


RECENT_CHOICES = [("7", "Last 7 days"), ("30", "Last 30 days"), ("365", "Last year")]


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_words",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Title, description or URL"}
        ),
    )
    section = SectionFilter(
        label="Section",
        queryset=Section.objects.none(),
        method="filter_section",
        empty_label="All sections",
    )
    tag = django_filters.CharFilter(
        label="Tag",
        method="filter_tag",
        max_length=100,
        # The page renders a <datalist id="tag-options"> of the list's tags (their names).
        widget=forms.TextInput(attrs={"list": "tag-options", "autocomplete": "off"}),
    )
    marker = MarkerFilter(
        label="Marker",
        queryset=Marker.objects.none(),
        to_field_name="slug",
        method="filter_marker",
        empty_label="Any",
    )
    added = django_filters.ChoiceFilter(
        label="Added",
        choices=RECENT_CHOICES,
        method="filter_added",
        empty_label="Any time",
        widget=DirectSelect,
    )
    licence = django_filters.ChoiceFilter(
        label="Licence", choices=[], method="filter_licence", empty_label="Any", widget=DirectSelect
    )
    maintained = django_filters.ChoiceFilter(
        label="Maintained",
        choices=[("1", "Maintained only")],
        method="filter_maintained",
        empty_label="Any",
        widget=DirectSelect,
    )
    # Last, so that it orders what the others (words included, ranked) found.
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=SORTS[1:],
        method="filter_sort",
        empty_label="List order (best match first when searching)",
        widget=DirectSelect,
    )

    class Meta:
        model = Entry
        fields: list[str] = []

    def __init__(self, *args, curated_list: CuratedList, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.curated_list = curated_list
        sections = self.filters["section"]
        sections.queryset = Section.objects.for_list(curated_list).in_tree_order()
        self.filters["marker"].queryset = curated_list.markers.all()
        self.filters["marker"].extra["derived"] = derived_markers(curated_list)
        self.filters["licence"].extra["choices"] = _licences(curated_list)

    def filter_words(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_entries(queryset, value)

    def filter_section(self, queryset: QuerySet, name: str, value: Section) -> QuerySet:
        # Entries placed in the section from another one are in it too, each once.
        return queryset.shown_in(value, subtree=True)  # type: ignore[attr-defined]

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A tag by the name its pill shows ("GPL-3.0", "Emacs Lisp") or by its slug."""
        value = value.strip()
        tags = Tag.objects.filter(Q(name__iexact=value) | Q(slug=value.lower())).values("pk")
        tagged = TaggedEntry.objects.filter(tag__in=tags).values("content_object")
        return queryset.filter(pk__in=tagged)

    def filter_marker(self, queryset: QuerySet, name: str, value: Marker) -> QuerySet:
        return filter_by_marker(queryset, value)

    def filter_added(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        since = timezone.now() - dt.timedelta(days=int(value))
        return queryset.filter(published_at__gte=since)

    def filter_licence(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(repository__license=value)

    def filter_maintained(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(maintained_q())

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return order_entries(queryset, value)


def _licences(curated_list: CuratedList) -> Any:
    """The licences of the list's published entries' repositories, read when the form is
    (one query, once, and only then): the stored metadata, as the list page offers them."""

    @functools.cache
    def choices() -> list[tuple[str, str]]:
        published = Entry.objects.for_list(curated_list).published()
        found = (
            RepositoryInfo.objects.filter(entry__in=published)
            .exclude(license="")
            .values_list("license", flat=True)
            .distinct()
        )
        return [(licence, licence) for licence in sorted(found, key=str.casefold)]

    return choices
