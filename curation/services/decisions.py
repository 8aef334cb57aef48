"""The decisions a user may take on an entry right now: what the admin shows as buttons.

Asked of the same rules the services enforce, so a button is shown exactly when the service
would accept the action (bar a race, which the service then refuses with a message).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from catalog.choices import EntryStatus
from catalog.models import Entry
from curation.access import Access
from curation.models import Action, Review, Verdict
from curation.services.quality import approval_block
from curation.services.reviews import shortfall
from curation.services.rules import check_permission, guard_state


@dataclass(frozen=True)
class Decision:
    action: Action
    label: str
    needs_comment: bool = False
    takes_time: bool = False  # schedule: a date and time to publish at
    style: str = ""  # "default" for the one most likely wanted, "danger" for the final ones


DECISIONS = (
    Decision(Action.SUBMIT, "Submit for review", style="default"),
    Decision(Action.APPROVE, "Approve", style="default"),
    Decision(Action.OVERRIDE_CHECKS, "Override blocking checks", needs_comment=True),
    Decision(Action.REQUEST_CHANGES, "Request changes", needs_comment=True),
    Decision(Action.REJECT, "Reject", needs_comment=True, style="danger"),
    Decision(Action.PUBLISH, "Publish now", style="default"),
    Decision(Action.SCHEDULE, "Schedule", takes_time=True),
    Decision(Action.UNPUBLISH, "Unpublish"),
    Decision(Action.ARCHIVE, "Archive", style="danger"),
    Decision(Action.COMMENT, "Comment", needs_comment=True),
)


def available_decisions(*, access: Access, entry: Entry) -> list[Decision]:
    available = []
    for decision in DECISIONS:
        try:
            check_permission(access, entry, decision.action)
            guard_state(entry, decision.action)
        except (PermissionDenied, ValidationError):
            continue
        if decision.action == Action.APPROVE and (
            Review.objects.on_current_revision(entry)
            .filter(reviewer_id=access.user_id, verdict=Verdict.APPROVE)
            .exists()
        ):
            continue
        if decision.action == Action.OVERRIDE_CHECKS and not approval_block(entry):
            continue  # nothing blocks the approval
        if decision.action in (Action.PUBLISH, Action.SCHEDULE) and shortfall(entry):
            continue
        if (
            decision.action == Action.APPROVE
            and entry.status == EntryStatus.APPROVED
            and not shortfall(entry)
        ):
            continue  # approved and cleared: nothing left to approve
        available.append(decision)
    return available
