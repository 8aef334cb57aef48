"""Writing entries: create, edit, submit, propose an edit of a published entry, revert.

Each function is one action: permission (``curation.access`` through ``rules``) → state guard
→ lock the row → write → audit record → signal, in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from catalog.choices import OPEN_PROPOSAL_STATUSES, EntrySource, EntryStatus
from catalog.models import Entry, Section
from curation.models import Action
from curation.services import _core
from curation.services._core import Actor
from curation.services.content import (
    EntryContent,
    apply_fields,
    apply_relations,
    check_markers,
)
from curation.services.errors import IllegalTransition
from curation.services.rules import check_permission, guard_state

S = EntryStatus


def _write(entry: Entry, content: EntryContent, *, actor: Actor, reason: Action) -> None:
    """Write content and relations, then save the row once more so that its history record
    holds the whole new version (markers and tags included)."""
    check_markers(content)
    apply_fields(entry, content)
    _core.validate(entry)
    entry.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        if entry.pk is None:
            entry.save()
        apply_relations(entry, content)
    finally:
        del entry.skip_history_when_saving  # type: ignore[attr-defined]
    _core.save(entry, actor=actor, reason=reason)


def entry_create(
    *,
    actor: Actor,
    content: EntryContent,
    source: EntrySource = EntrySource.ADMIN,
    submitter_email: str = "",
    submit: bool = False,
    comment: str = "",
) -> Entry:
    """A new entry: a draft, or submitted at once with ``submit=True``.

    Members add entries to sections they reach. A visitor without an account (``actor=None``)
    may only suggest through the public form: ``source=PUBLIC_FORM`` and ``submit=True``; the
    email is optional (without one, the visitor follows the decision on their status link).
    """
    access = _core.access_of(actor)
    section = content.section
    if access.user_id is None:
        if not (source == EntrySource.PUBLIC_FORM and submit):
            raise PermissionDenied("Sign in to add entries, or suggest one on the list's page.")
    elif not access.can_add_entry_to(section):
        raise PermissionDenied(f"You have no role on “{section}” of {section.curated_list}.")
    with transaction.atomic():
        Section.objects.select_for_update().filter(pk=section.pk).first()  # positions are ours
        entry = Entry(
            curated_list_id=section.curated_list_id,
            status=S.DRAFT,
            submitted_by=_core.user_or_none(actor),
            submitter_email=submitter_email,
            source=source,
        )
        if submit:  # refuse a duplicate before writing anything
            apply_fields(entry, content)
            _core.check_duplicate(entry)
        _write(entry, content, actor=actor, reason=Action.CREATE)
        _core.record(entry, actor=actor, action=Action.CREATE, from_status="")
        if submit:
            entry = _submit(entry, actor=actor, comment=comment)
    return entry


def entry_update(
    *,
    actor: Actor,
    entry: Entry,
    content: EntryContent,
    revision: int | None = None,
    action: Action = Action.EDIT,
    comment: str = "",
) -> Entry:
    """Edit an entry that is not live. A saved change bumps ``revision`` (resetting approvals);
    an approved or scheduled entry goes back to review. ``revision`` is the one the edit was
    based on: a stale one is refused instead of overwriting someone else's change."""
    access = _core.access_of(actor)
    check_permission(access, entry, Action.EDIT)
    if content.section.pk != entry.section_id and not access.can_add_entry_to(content.section):
        raise PermissionDenied(f"You have no role on “{content.section}”.")
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        guard_state(locked, Action.EDIT)
        _core.check_revision(locked, revision)
        if not content.changed_fields(EntryContent.of(locked)):
            return locked
        from_status = locked.status
        locked.revision += 1
        if locked.status in (S.APPROVED, S.SCHEDULED):
            locked.status, locked.publish_at = S.SUBMITTED, None
        apply_fields(locked, content)
        if _core.holds_url(locked.status) or locked.is_proposal:
            _core.check_duplicate(locked)
        _write(locked, content, actor=actor, reason=action)
        _core.record(locked, actor=actor, action=action, from_status=from_status, comment=comment)
    return locked


def entry_submit(
    *, actor: Actor, entry: Entry, comment: str = "", revision: int | None = None
) -> Entry:
    """Send a draft (or an entry whose changes were requested) to review."""
    check_permission(_core.access_of(actor), entry, Action.SUBMIT)
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        _core.check_revision(locked, revision)
        return _submit(locked, actor=actor, comment=comment)


def _submit(entry: Entry, *, actor: Actor, comment: str) -> Entry:
    guard_state(entry, Action.SUBMIT)
    _core.check_duplicate(entry)  # a proposal may keep its live entry's link
    from_status = entry.status
    entry.status = S.SUBMITTED
    _core.save(entry, actor=actor, reason=Action.SUBMIT)
    _core.record(entry, actor=actor, action=Action.SUBMIT, from_status=from_status, comment=comment)
    return entry


def entry_propose_edit(
    *,
    actor: Actor,
    entry: Entry,
    content: EntryContent,
    revision: int | None = None,
    comment: str = "",
    source: EntrySource = EntrySource.ADMIN,
    action: Action = Action.PROPOSE,
) -> Entry:
    """An edit of a published entry, as a proposal: a row of its own with ``proposal_for`` set,
    submitted for review. The live entry is untouched until the proposal is published. A
    second edit by whoever may edit the open proposal updates that proposal."""
    access = _core.access_of(actor)
    check_permission(access, entry, Action.PROPOSE)
    if content.section.pk != entry.section_id and not access.can_add_entry_to(content.section):
        raise PermissionDenied(f"You have no role on “{content.section}”.")
    with transaction.atomic():
        live = _core.lock(entry)
        assert live is not None
        guard_state(live, Action.PROPOSE)
        _core.check_revision(live, revision)
        if not content.changed_fields(EntryContent.of(live)):
            raise ValidationError(
                "Nothing to propose: this is what the live entry already says.", code="unchanged"
            )
        open_proposal = (
            live.proposals.select_for_update(of=("self",))
            .filter(status__in=OPEN_PROPOSAL_STATUSES)
            .select_related("section", "curated_list")
            .first()
        )
        if open_proposal is not None:
            if not access.can_edit_entry(open_proposal):
                who = open_proposal.submitted_by or open_proposal.submitter_email or "someone"
                raise IllegalTransition(
                    f"“{live}” already has an open proposal by {who} "
                    f"({open_proposal.get_status_display()}): {_core.admin_link(open_proposal)} "
                    "— comment on it, or wait until it is decided.",
                    code="open_proposal",
                )
            return entry_update(
                actor=actor, entry=open_proposal, content=content, action=action, comment=comment
            )
        proposal = Entry(
            proposal_for=live,
            curated_list_id=live.curated_list_id,
            position=live.position,
            status=S.SUBMITTED,
            submitted_by=_core.user_or_none(actor),
            source=source,
        )
        apply_fields(proposal, content)
        _core.check_duplicate(proposal)
        _write(proposal, content, actor=actor, reason=action)
        _core.record(proposal, actor=actor, action=action, from_status="", comment=comment)
    return proposal


def entry_revert(
    *, actor: Actor, entry: Entry, history_id: int, revision: int | None = None
) -> Entry:
    """Bring back the content of an earlier version (markers, tags and extra links too).

    A published entry gets a proposal with that content, reviewed like any other edit; an
    entry not yet live is edited in place. Returns the entry or the proposal.
    """
    record = entry.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError("That version does not belong to this entry.", code="no_version")
    content = EntryContent.from_history(record)
    when = f"{record.history_date:%Y-%m-%d %H:%M}"
    comment = f"Reverted to the version of {when} (revision {record.revision})."
    if entry.status == S.PUBLISHED and not entry.is_proposal:
        return entry_propose_edit(
            actor=actor,
            entry=entry,
            content=content,
            revision=revision,
            comment=comment,
            action=Action.REVERT,
        )
    return entry_update(
        actor=actor,
        entry=entry,
        content=content,
        revision=revision,
        action=Action.REVERT,
        comment=comment,
    )
