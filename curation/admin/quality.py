"""Quality checks in the admin (docs/quality.md): the rules on the list's page, the checklist
on the entry's page (``templates/admin/catalog/entry/quality_checklist.html``), and a column
and a filter for the review queue. Self-contained: the entry admin adds the filter and
``with_check_counts`` to its queryset, and swaps its status column for ``status_and_checks``
where the person's lists have rules (the badge under the status keeps the changelist within a
1366 px screen), and nothing else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalog.models import Entry
from curation.access import access_for
from curation.admin.base import ListPartInline
from curation.quality.checklist import with_check_counts
from curation.quality.models import QualityRules

__all__ = [
    "QualityFilter",
    "QualityRulesInline",
    "checks_column",
    "lists_have_rules",
    "status_and_checks",
    "with_check_counts",
]


def lists_have_rules(request: HttpRequest) -> bool:
    """Whether any list the person works on checks its submissions: the column (and the
    filter) only take room on the changelist where they can say something. One query per
    request."""
    known = getattr(request, "_lists_have_rules", None)
    if known is None:
        access = access_for(request)
        rules = QualityRules.objects.all()
        if not access.is_superuser:
            rules = rules.filter(curated_list_id__in=access.list_ids())
        known = rules.exists()
        request._lists_have_rules = known  # type: ignore[attr-defined]
    return bool(known)


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


@admin.display(description="status", ordering="status")
def status_and_checks(entry: Entry) -> SafeString:
    """The status column with the checks badge under it, where lists have rules: a column of
    its own would push the changelist past a 1366 px screen (tests/browser/test_changelist)."""
    status = entry.get_status_display()
    if not getattr(entry, "checks_total", 0):
        return format_html("{}", status)
    return format_html(
        '{}<br><span class="checks-in-status">{}</span>', status, checks_column(entry)
    )


class QualityFilter(admin.SimpleListFilter):
    title = "quality checks"
    parameter_name = "checks"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        if not lists_have_rules(request):
            return []  # Django hides a filter without choices
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
