"""Blocking quality checks and their override (docs/quality.md).

A revision whose blocking checks fail may not be approved (``reviews.entry_approve`` asks
``approval_block``) until a curator overrides them with a comment: one audited action
(``Action.OVERRIDE_CHECKS``), valid for that revision only — a new revision is checked again
and needs a new override if it still fails.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.models import Entry
from curation.models import Action, WorkflowEvent
from curation.quality.models import RULE_ORDER, QualityCheck, Rule
from curation.services import _core
from curation.services._core import Actor
from curation.services.errors import IllegalTransition
from curation.services.rules import check_permission, guard_state


def blocking_failures(entry: Entry) -> list[QualityCheck]:
    rows = list(QualityCheck.objects.of(entry).blocking_failures())
    return sorted(rows, key=lambda row: RULE_ORDER[Rule(row.rule)])


def override_of(entry: Entry) -> WorkflowEvent | None:
    """The curator's override of the current revision's blocking checks, if any."""
    return (
        WorkflowEvent.objects.filter(
            entry=entry, entry_revision=entry.revision, action=Action.OVERRIDE_CHECKS
        )
        .select_related("actor")
        .first()
    )


def describe(failures: list[QualityCheck]) -> str:
    return "; ".join(f"{row.get_rule_display()}: {row.figure}" for row in failures)


def approval_block(entry: Entry) -> str:
    """Why the current revision may not be approved for its checks; '' when it may."""
    failures = blocking_failures(entry)
    if not failures or override_of(entry) is not None:
        return ""
    return (
        f"Cannot approve “{entry}”: blocking quality checks fail — {describe(failures)}. "
        "A curator may override them with a comment."
    )


def entry_override_checks(
    *, actor: Actor, entry: Entry, comment: str, revision: int | None = None
) -> Entry:
    """A curator lets this revision be approved despite its failing blocking checks, saying why
    (the comment is required and kept in the audit trail)."""
    check_permission(_core.access_of(actor), entry, Action.OVERRIDE_CHECKS)
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": "Say why the checks may be overridden: it stays in the audit trail."},
            code="comment_required",
        )
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        guard_state(locked, Action.OVERRIDE_CHECKS)
        _core.check_revision(locked, revision)
        failures = blocking_failures(locked)
        if not failures:
            raise IllegalTransition(
                f"“{locked}” has no failing blocking check to override.", code="nothing_to_override"
            )
        if override_of(locked) is not None:
            raise IllegalTransition(
                f"The checks of revision {locked.revision} of “{locked}” are already overridden.",
                code="already_overridden",
            )
        _core.record(
            locked,
            actor=actor,
            action=Action.OVERRIDE_CHECKS,
            from_status=locked.status,
            comment=f"{comment}\n\nOverridden: {describe(failures)}",
        )
    return locked
