"""The workflow: every change of an entry's state or content is one of these functions.

The admin, the API, the public form and the management commands call them and nothing else;
each checks the actor's role (``curation.access``) and the entry's state, locks the row,
writes the change and an audit record (``WorkflowEvent``) in one transaction and sends
``curation.signals.entry_changed``. Refusals raise ``PermissionDenied`` or a
``ValidationError`` (``IllegalTransition``, ``StaleRevision``, ``DuplicateEntry``) whose
message says what to do.
"""

from curation.services.claims import (
    entry_assign,
    entry_release,
    entry_take,
    open_claim,
    possible_assignees,
    release_stale_claims,
)
from curation.services.content import EntryContent, LinkData
from curation.services.decisions import Decision, available_decisions
from curation.services.entries import (
    entry_create,
    entry_propose_edit,
    entry_revert,
    entry_submit,
    entry_update,
)
from curation.services.errors import DuplicateEntry, IllegalTransition, StaleRevision
from curation.services.health import entry_apply_redirect
from curation.services.placements import entry_set_placements
from curation.services.publishing import (
    entry_archive,
    entry_publish,
    entry_unpublish,
    publish_due,
)
from curation.services.quality import approval_block, entry_override_checks
from curation.services.reviews import (
    approvals_of,
    entry_approve,
    entry_comment,
    entry_reject,
    entry_request_changes,
    shortfall,
    was_live_at_current_revision,
)
from curation.services.suggestions import suggestion_resubmit

__all__ = [
    "Decision",
    "DuplicateEntry",
    "EntryContent",
    "IllegalTransition",
    "LinkData",
    "StaleRevision",
    "approval_block",
    "approvals_of",
    "available_decisions",
    "entry_apply_redirect",
    "entry_approve",
    "entry_archive",
    "entry_assign",
    "entry_comment",
    "entry_create",
    "entry_override_checks",
    "entry_propose_edit",
    "entry_publish",
    "entry_reject",
    "entry_release",
    "entry_request_changes",
    "entry_revert",
    "entry_set_placements",
    "entry_submit",
    "entry_take",
    "entry_unpublish",
    "entry_update",
    "open_claim",
    "possible_assignees",
    "publish_due",
    "release_stale_claims",
    "shortfall",
    "suggestion_resubmit",
    "was_live_at_current_revision",
]
