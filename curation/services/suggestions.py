"""A visitor answers a change request on their suggestion, through its private status link.

The visitor has no account: possession of the status link's token is their permission, for
their one suggestion, and only while its changes are requested. The edit and the resubmission
are written like every other (lock, write, history, audit record, signal, one transaction);
the audit records have no actor and say in their comment that the visitor acted, and so do the
versions in the entry's history (their reason, where a member's name would be).
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from catalog.choices import EntrySource, EntryStatus
from catalog.models import Entry, Section
from curation.models import Action
from curation.public.models import Suggestion
from curation.services import _core
from curation.services.content import EntryContent, apply_fields
from curation.services.entries import _submit, _write
from curation.services.errors import IllegalTransition

S = EntryStatus
VISITOR = "the visitor who suggested it, through their status link"


def suggestion_for_token(token: str) -> Suggestion:
    suggestion = Suggestion.objects.for_token(token).select_related("entry").first()
    if suggestion is None:
        raise PermissionDenied("No suggestion has this link.")
    return suggestion


def suggestion_resubmit(
    *,
    token: str,
    section: Section,
    title: str,
    url: str,
    description: str,
    note: str = "",
    revision: int | None = None,
) -> Entry:
    """Apply the visitor's changes to their suggestion (if any) and send it back to review.

    What the reviewers added (tags, markers, extra links) is kept; the visitor edits the
    fields of the form they filled in. ``revision`` is the one the visitor saw: a suggestion
    changed since is refused (a reviewer may have acted in between)."""
    entry = suggestion_for_token(token).entry
    if entry.source != EntrySource.PUBLIC_FORM or entry.submitted_by_id is not None:
        raise PermissionDenied("Only a suggestion from the public form is answered here.")
    if section.curated_list_id != entry.curated_list_id:
        raise ValidationError({"section": "Choose a section of this list."})
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        if locked.status != S.CHANGES_REQUESTED:
            raise IllegalTransition(
                "The reviewers are not waiting for changes to this suggestion any more "
                f"(it is now {locked.get_status_display().lower()}); reload the page.",
                code="illegal_transition",
            )
        _core.check_revision(locked, revision)
        current = EntryContent.of(locked)
        content = dataclasses.replace(
            current,
            section=section,
            title=title,
            url=url,
            description=description,
            position=None,  # keep its place, or the next free one in a new section
        )
        changed = content.changed_fields(current)
        if changed:
            from_status = locked.status
            locked.revision += 1
            apply_fields(locked, content)
            _core.check_duplicate(locked)
            _write(locked, content, actor=None, reason=Action.EDIT)
            _by_the_visitor(locked, Action.EDIT)
            _core.record(
                locked,
                actor=None,
                action=Action.EDIT,
                from_status=from_status,
                comment=f"Edited by {VISITOR} ({', '.join(changed)}).",
            )
        comment = f"Resubmitted by {VISITOR}" + (f": {note}" if note else ".")
        submitted = _submit(locked, actor=None, comment=comment)
        _by_the_visitor(submitted, Action.SUBMIT)
        return submitted


def _by_the_visitor(entry: Entry, action: Action) -> None:
    """Name the visitor in the reason of the version just saved (it has no user)."""
    latest = entry.history.order_by("-history_id").values_list("history_id", flat=True).first()
    entry.history.filter(history_id=latest).update(
        history_change_reason=f"{action.label} by the visitor (status link)"
    )
