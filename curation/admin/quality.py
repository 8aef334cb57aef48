"""Quality checks in the admin (docs/quality.md): the rules on the list's page, the checklist
on the entry's page (``templates/admin/catalog/entry/quality_checklist.html``), and a column
and a filter for the review queue. Self-contained: the entry admin adds the column, the
filter and ``with_check_counts`` to its queryset, and nothing else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalog.models import Entry
from curation.admin.base import ListPartInline
from curation.quality.checklist import with_check_counts
from curation.quality.models import QualityRules

__all__ = ["QualityFilter", "QualityRulesInline", "checks_column", "with_check_counts"]


class QualityRulesInline(ListPartInline):
    model = QualityRules
    template = "admin/edit_inline/stacked.html"
    max_num = 1
    can_delete = False
    verbose_name = "quality rules"
    verbose_name_plural = "quality rules (checked on every submission)"
    fields = (
        ("repository",),
        ("not_archived",),
        ("activity", "activity_days"),
        ("stars", "min_stars"),
        ("licence", "allowed_licences"),
        ("link",),
        ("style", "max_description_length"),
        ("promotional_words",),
        ("duplicate",),
        ("section_room", "section_cap"),
    )


@admin.display(description="checks")
def checks_column(entry: Entry) -> SafeString | str:
    """ "✖ 2 blocking", "✖ 1", "? 1", "✔ 9" or "—" (no checks for this revision)."""
    total = getattr(entry, "checks_total", 0)
    if not total:
        return "—"
    failed, unknown = entry.checks_failed, entry.checks_unknown  # type: ignore[attr-defined]
    blocking = entry.checks_blocking  # type: ignore[attr-defined]
    if blocking and not entry.checks_overridden:  # type: ignore[attr-defined]
        return format_html(
            '<span class="checks checks-blocked" title="{} of {} checks fail; approval is '
            'blocked until a curator overrides them">✖ {} blocking</span>',
            failed,
            total,
            blocking,
        )
    if failed:
        note = " (overridden)" if blocking else ""
        return format_html(
            '<span class="checks checks-failed" title="{} of {} checks fail{}">✖ {}{}</span>',
            failed,
            total,
            note,
            failed,
            note,
        )
    if unknown:
        return format_html(
            '<span class="checks checks-unknown" title="{} could not be checked">? {}</span>',
            unknown,
            unknown,
        )
    return format_html(
        '<span class="checks checks-passed" title="every check passes">✔ {}</span>', total
    )


class QualityFilter(admin.SimpleListFilter):
    title = "quality checks"
    parameter_name = "checks"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("blocked", "Blocked (blocking check fails)"),
            ("failing", "Some check fails"),
            ("unknown", "Could not check"),
            ("passing", "All checks pass"),
            ("unchecked", "Not checked"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        value = self.value()
        if not value:
            return queryset
        if "checks_total" not in queryset.query.annotations:
            queryset = with_check_counts(queryset)
        conditions = {
            "blocked": Q(checks_blocking__gt=0, checks_overridden=False),
            "failing": Q(checks_failed__gt=0),
            "unknown": Q(checks_unknown__gt=0),
            "passing": Q(checks_total__gt=0, checks_failed=0, checks_unknown=0),
            "unchecked": Q(checks_total=0),
        }
        return queryset.filter(conditions[value]) if value in conditions else queryset
