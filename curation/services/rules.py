"""Which action starts from which state, and who may take it: asked by the services before they
act and by the admin to decide which buttons to show, so both always agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from catalog.choices import EntryStatus as S
from curation.access import sections_of
from curation.models import Action
from curation.services.errors import IllegalTransition

if TYPE_CHECKING:
    from catalog.models import Entry
    from curation.access import Access

ALL_STATES = tuple(S)

# The states each transition starts from.
SOURCE_STATES: dict[Action, tuple[S, ...]] = {
    Action.SUBMIT: (S.DRAFT, S.CHANGES_REQUESTED),
    # An approved entry short of approvals (the list asked for more since) takes more.
    Action.APPROVE: (S.SUBMITTED, S.APPROVED),
    Action.REQUEST_CHANGES: (S.SUBMITTED, S.APPROVED),
    Action.REJECT: (S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED),
    Action.COMMENT: ALL_STATES,
    Action.PUBLISH: (S.APPROVED, S.SCHEDULED),
    Action.SCHEDULE: (S.APPROVED, S.SCHEDULED),
    Action.UNPUBLISH: (S.PUBLISHED, S.SCHEDULED),
    # Archive is also the way out of the working views for what will not go live: rejected
    # entries and abandoned drafts (kept, with their reviews, never deleted).
    Action.ARCHIVE: (S.PUBLISHED, S.APPROVED, S.SCHEDULED, S.REJECTED, S.DRAFT),
    Action.PROPOSE: (S.PUBLISHED,),
    Action.EDIT: (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED, S.REJECTED),
    # A live entry's link moved for good: the curator follows it without a new review.
    Action.MOVE_LINK: (S.PUBLISHED,),
    # A curator lets a revision with failing blocking checks be approved (docs/quality.md).
    Action.OVERRIDE_CHECKS: (S.SUBMITTED, S.APPROVED),
}

# What to say when the entry is elsewhere, by the state it is in.
ALREADY = {
    S.DRAFT: "it is a draft that has not been submitted",
    S.SUBMITTED: "it is submitted and waiting for review",
    S.CHANGES_REQUESTED: "changes were requested and the submitter has not resubmitted it",
    S.APPROVED: "it is already approved",
    S.SCHEDULED: "it is already scheduled",
    S.PUBLISHED: "it is already published",
    S.REJECTED: "it was rejected",
    S.ARCHIVED: "it is archived",
}

VERB = {
    Action.SUBMIT: "submit",
    Action.APPROVE: "approve",
    Action.REQUEST_CHANGES: "request changes on",
    Action.REJECT: "reject",
    Action.COMMENT: "comment on",
    Action.PUBLISH: "publish",
    Action.SCHEDULE: "schedule",
    Action.UNPUBLISH: "unpublish",
    Action.ARCHIVE: "archive",
    Action.PROPOSE: "propose an edit of",
    Action.EDIT: "edit",
    Action.MOVE_LINK: "move the link of",
    Action.OVERRIDE_CHECKS: "override the blocking checks of",
}


def guard_state(entry: Entry, action: Action) -> None:
    """Raise ``IllegalTransition`` unless ``action`` may start from the entry's state."""
    status = S(entry.status)
    if entry.is_proposal and action in (Action.ARCHIVE, Action.PROPOSE):
        raise IllegalTransition(
            f"“{entry}” is a proposed edit: reject it instead of archiving, and propose "
            "changes on the live entry."
        )
    if entry.is_proposal and action == Action.UNPUBLISH and status == S.PUBLISHED:
        raise IllegalTransition(
            f"This proposal was merged into the live entry; unpublish “{entry}” itself."
        )
    if status in SOURCE_STATES[action]:
        return
    hint = ""
    if action == Action.PUBLISH and status == S.SUBMITTED:
        hint = " It needs its approvals first."
    elif action == Action.MOVE_LINK:
        hint = " Edit its link instead: it is not live, so the change goes through review."
    elif action == Action.EDIT and status == S.PUBLISHED:
        hint = " Edits of a published entry are proposals: the live entry stays as it is."
    elif action == Action.SUBMIT and status == S.REJECTED:
        hint = " Suggest it again as a new entry if something has changed."
    raise IllegalTransition(
        f"Cannot {VERB[action]} “{entry}”: {ALREADY[status]}.{hint}", code="illegal_transition"
    )


def check_permission(access: Access, entry: Entry, action: Action) -> None:
    """Raise ``PermissionDenied`` unless the user may take ``action`` on this entry at all."""
    where = " and ".join(f"“{section}”" for section in sections_of(entry))
    where = f"{where} of {entry.curated_list}"
    if access.user_id is None:
        raise PermissionDenied("Sign in with an account that has a role on this list.")
    if action in (Action.APPROVE, Action.REQUEST_CHANGES, Action.REJECT):
        if access.can_review_entry(entry) and access.is_submitter(entry):
            raise PermissionDenied(
                "You submitted this entry; another reviewer has to decide on it."
            )
        allowed = access.can_decide_on_entry(entry)
        needs = "reviewers"
        if allowed and action == Action.APPROVE and not access.can_approve_entry(entry):
            raise PermissionDenied(
                "You wrote part of this entry (you edited it or proposed this change); "
                "another reviewer has to approve it."
            )
    elif action == Action.COMMENT:
        allowed, needs = access.can_comment_on_entry(entry), "reviewers and its submitter"
    elif action in (
        Action.PUBLISH,
        Action.SCHEDULE,
        Action.UNPUBLISH,
        Action.ARCHIVE,
        Action.MOVE_LINK,
        Action.OVERRIDE_CHECKS,
    ):
        allowed, needs = access.can_publish_entry(entry), "curators"
    elif action == Action.SUBMIT:
        allowed, needs = access.can_submit_entry(entry), "its submitter and curators"
    elif action == Action.PROPOSE:
        allowed, needs = access.can_propose_edit(entry), "members"
    elif action == Action.EDIT:
        allowed, needs = access.can_edit_entry(entry), "curators (and the submitter of a draft)"
        if not allowed and access.is_submitter(entry) and access.can_propose_edit(entry):
            raise PermissionDenied(
                "You can edit your entry while it is a draft or changes are requested; "
                "now only curators can."
            )
    else:  # pragma: no cover - every action is listed above
        raise ValueError(action)
    if not allowed:
        raise PermissionDenied(f"Only {needs} of {where} may {VERB[action]} this entry.")
