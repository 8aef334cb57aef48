"""The reviewer's checklist of one entry revision, as the admin page, the queue and the API
show it: a read of ``QualityCheck`` rows and the override event, nothing judged here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from catalog.models import Entry
from curation.models import Action, WorkflowEvent
from curation.quality.models import RULE_ORDER, Outcome, QualityCheck, QualityRules, Rule

SYMBOL = {Outcome.PASS: "✔", Outcome.FAIL: "✖", Outcome.UNKNOWN: "?", Outcome.SKIPPED: "–"}


@dataclass(frozen=True)
class Override:
    by: str
    comment: str
    at: datetime


@dataclass
class Checklist:
    revision: int
    expected: bool  # the list has rules (an entry without rows is waiting for its checks)
    rows: list[QualityCheck] = field(default_factory=list)
    override: Override | None = None

    @property
    def pending(self) -> bool:
        return self.expected and not self.rows

    @property
    def blocking_failures(self) -> list[QualityCheck]:
        return [row for row in self.rows if row.outcome == Outcome.FAIL and row.blocking]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking_failures) and self.override is None

    def counts(self) -> dict[str, int]:
        counts = {outcome.value: 0 for outcome in Outcome}
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "pending": self.pending,
            "blocked": self.blocked,
            "override": None
            if self.override is None
            else {
                "by": self.override.by,
                "comment": self.override.comment,
                "at": self.override.at.isoformat(),
            },
            "checks": [
                {
                    "rule": row.rule,
                    "label": row.get_rule_display(),
                    "outcome": row.outcome,
                    "blocking": row.blocking,
                    "figure": row.figure,
                    "checked_at": row.checked_at.isoformat(),
                }
                for row in self.rows
            ],
        }


def checklist_of(entry: Entry) -> Checklist:
    """Three queries: the rules, the rows of the current revision, the override."""
    rules = QualityRules.objects.filter(curated_list_id=entry.curated_list_id).first()
    rows = sorted(
        QualityCheck.objects.of(entry), key=lambda row: RULE_ORDER.get(Rule(row.rule), 99)
    )
    event = (
        WorkflowEvent.objects.filter(
            entry=entry, entry_revision=entry.revision, action=Action.OVERRIDE_CHECKS
        )
        .select_related("actor")
        .first()
    )
    override = (
        None
        if event is None
        else Override(
            by=event.actor.get_username() if event.actor else "system",
            comment=event.comment,
            at=event.created_at,
        )
    )
    from curation.quality.runner import CHECKED_STATUSES

    return Checklist(
        revision=entry.revision,
        expected=rules is not None and bool(rules.enabled) and entry.status in CHECKED_STATUSES,
        rows=rows,
        override=override,
    )


# --- the queue: one annotation per count, no query per row ----------------------------------


def _count(**conditions: Any) -> Coalesce:
    rows = (
        QualityCheck.objects.filter(
            entry=OuterRef("pk"), entry_revision=OuterRef("revision"), **conditions
        )
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_check_counts(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Annotate the current revision of each entry with ``checks_total``, ``checks_failed``,
    ``checks_unknown``, ``checks_blocking`` (blocking failures) and ``checks_overridden``."""
    overridden = WorkflowEvent.objects.filter(
        entry=OuterRef("pk"), entry_revision=OuterRef("revision"), action=Action.OVERRIDE_CHECKS
    )
    return entries.annotate(
        checks_total=_count(),
        checks_failed=_count(outcome=Outcome.FAIL),
        checks_unknown=_count(outcome=Outcome.UNKNOWN),
        checks_blocking=_count(outcome=Outcome.FAIL, blocking=True),
        checks_overridden=Exists(overridden),
    )
