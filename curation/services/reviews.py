"""Reviewing: approve, request changes, reject, comment. Each writes a ``Review`` (the verdict on
the current revision) and an audit record, and moves the entry when the verdict decides it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.choices import EntryStatus
from catalog.models import Entry
from curation.models import Action, Review, Verdict, WorkflowEvent
from curation.services import _core
from curation.services._core import Actor
from curation.services.claims import end_on_decision
from curation.services.errors import IllegalTransition
from curation.services.quality import approval_block
from curation.services.rules import check_permission, guard_state

S = EntryStatus


def approvals_of(entry: Entry) -> int:
    """Distinct reviewers, other than the submitter, who approved the current revision."""
    return Review.objects.counting_approvals(entry).values("reviewer_id").distinct().count()


def was_live_at_current_revision(entry: Entry) -> bool:
    """True when this very revision was on the list before (it was unpublished since, and not
    edited: every saved edit makes a new revision). Putting it back needs no new review — an
    imported entry, which never had one, included."""
    return WorkflowEvent.objects.filter(
        entry=entry, entry_revision=entry.revision, from_status=S.PUBLISHED
    ).exists()


def shortfall(entry: Entry) -> str:
    """Why the entry may not go live for want of approvals; '' when it may."""
    required = entry.curated_list.approvals_required
    approvals = approvals_of(entry)
    if approvals >= required or was_live_at_current_revision(entry):
        return ""
    return (
        f"“{entry}” has {approvals} of the {required} approvals this list requires for the "
        "current revision."
    )


def _decide(
    *,
    actor: Actor,
    entry: Entry,
    action: Action,
    verdict: Verdict,
    to_status: S | None,
    comment: str,
    revision: int | None,
) -> Entry:
    check_permission(_core.access_of(actor), entry, action)
    comment = comment.strip()
    if verdict in (Verdict.REQUEST_CHANGES, Verdict.REJECT, Verdict.COMMENT) and not comment:
        raise ValidationError(
            {"comment": "Say why, in a comment: the submitter reads it."}
            if verdict != Verdict.COMMENT
            else {"comment": "Write the comment first."},
            code="comment_required",
        )
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        guard_state(locked, action)
        _core.check_revision(locked, revision)
        if verdict == Verdict.APPROVE and (blocked := approval_block(locked)):
            raise IllegalTransition(blocked, code="blocking_checks")
        if verdict == Verdict.APPROVE and locked.status == S.APPROVED and not shortfall(locked):
            raise IllegalTransition(
                f"Cannot approve “{locked}”: it is already approved.", code="illegal_transition"
            )
        if (
            verdict == Verdict.APPROVE
            and Review.objects.on_current_revision(locked)
            .filter(reviewer=actor, verdict=Verdict.APPROVE)
            .exists()
        ):
            raise IllegalTransition(
                f"You have already approved revision {locked.revision} of “{locked}”.",
                code="already_approved",
            )
        Review.objects.create(
            entry=locked,
            reviewer=_core.user_or_none(actor),
            verdict=verdict,
            comment=comment,
            entry_revision=locked.revision,
        )
        from_status = locked.status
        if (
            verdict == Verdict.APPROVE
            and approvals_of(locked) >= locked.curated_list.approvals_required
        ):
            to_status = S.APPROVED
        if to_status is not None and to_status != from_status:
            locked.status = to_status
            _core.save(locked, actor=actor, reason=action)
        if verdict != Verdict.COMMENT:
            end_on_decision(locked)
        _core.record(locked, actor=actor, action=action, from_status=from_status, comment=comment)
    return locked


def entry_approve(
    *, actor: Actor, entry: Entry, comment: str = "", revision: int | None = None
) -> Entry:
    """One approval of the current revision; the entry is approved once the list's number of
    distinct reviewers (never the submitter) have approved it."""
    return _decide(
        actor=actor,
        entry=entry,
        action=Action.APPROVE,
        verdict=Verdict.APPROVE,
        to_status=None,
        comment=comment,
        revision=revision,
    )


def entry_request_changes(
    *, actor: Actor, entry: Entry, comment: str, revision: int | None = None
) -> Entry:
    """Back to the submitter, with what to change (a comment is required)."""
    return _decide(
        actor=actor,
        entry=entry,
        action=Action.REQUEST_CHANGES,
        verdict=Verdict.REQUEST_CHANGES,
        to_status=S.CHANGES_REQUESTED,
        comment=comment,
        revision=revision,
    )


def entry_reject(*, actor: Actor, entry: Entry, comment: str, revision: int | None = None) -> Entry:
    """Turn the submission (or proposal) down, saying why (a comment is required)."""
    return _decide(
        actor=actor,
        entry=entry,
        action=Action.REJECT,
        verdict=Verdict.REJECT,
        to_status=S.REJECTED,
        comment=comment,
        revision=revision,
    )


def entry_comment(*, actor: Actor, entry: Entry, comment: str) -> Entry:
    """A remark without a decision: reviewers, and the submitter answering them."""
    return _decide(
        actor=actor,
        entry=entry,
        action=Action.COMMENT,
        verdict=Verdict.COMMENT,
        to_status=None,
        comment=comment,
        revision=None,
    )
