"""Publishing: publish (now or at a time), unpublish, archive, and the scheduled run.

Whatever changes what a list shows sends ``catalog.signals.list_changed`` after commit, so the
README, the list document and the cached page follow.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from catalog.choices import EntryStatus
from catalog.models import Entry
from curation.models import Action, WorkflowEvent
from curation.services import _core
from curation.services._core import Actor
from curation.services.content import EntryContent, apply_fields, apply_relations
from curation.services.errors import IllegalTransition
from curation.services.reviews import approvals_of, shortfall
from curation.services.rules import check_permission, guard_state

S = EntryStatus
logger = logging.getLogger(__name__)


def entry_publish(
    *,
    actor: Actor,
    entry: Entry,
    publish_at: dt.datetime | None = None,
    revision: int | None = None,
    comment: str = "",
) -> Entry:
    """Publish an approved entry now, or schedule it when ``publish_at`` is in the future.

    Publishing a proposal merges it into its live entry. Publishing a scheduled entry without
    a time publishes it now.
    """
    action = Action.SCHEDULE if publish_at and publish_at > timezone.now() else Action.PUBLISH
    check_permission(_core.access_of(actor), entry, action)
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        guard_state(locked, action)
        _core.check_revision(locked, revision)
        short = shortfall(locked)
        if short:
            raise IllegalTransition(short, code="not_enough_approvals")
        from_status = locked.status
        if action == Action.SCHEDULE:
            locked.status, locked.publish_at = S.SCHEDULED, publish_at
            _core.save(locked, actor=actor, reason=action)
            _core.record(
                locked, actor=actor, action=action, from_status=from_status, comment=comment
            )
            return locked
        _go_live(locked, actor=actor, comment=comment)
    return locked


def _go_live(entry: Entry, *, actor: Actor, comment: str) -> None:
    """Publish a locked entry (its live entry is locked too when it is a proposal)."""
    from_status = entry.status
    now = timezone.now()
    if entry.is_proposal:
        _merge(entry, actor=actor, now=now)
    entry.status, entry.publish_at, entry.published_at = S.PUBLISHED, None, now
    _core.save(entry, actor=actor, reason=Action.PUBLISH)
    _core.record(
        entry, actor=actor, action=Action.PUBLISH, from_status=from_status, comment=comment
    )
    _core.list_changed_on_commit(entry.curated_list_id)


def _merge(proposal: Entry, *, actor: Actor, now: dt.datetime) -> None:
    live = Entry.objects.select_related("section").get(pk=proposal.proposal_for_id)
    if live.status != S.PUBLISHED:
        raise IllegalTransition(
            f"The live entry “{live}” is {live.get_status_display().lower()} now; reject this "
            "proposal, or publish the live entry again first.",
            code="live_not_published",
        )
    content = EntryContent.of(proposal)
    moved = content.section.pk != live.section_id
    content = EntryContent(**{**content.__dict__, "position": None if moved else live.position})
    apply_fields(live, content)
    _core.check_duplicate(live, ignore=[proposal.pk])
    live.revision += 1
    live.skip_history_when_saving = True
    try:
        apply_relations(live, content)
    finally:
        del live.skip_history_when_saving
    _core.save(live, actor=actor, reason=Action.MERGE)
    _core.record(
        live,
        actor=actor,
        action=Action.MERGE,
        from_status=live.status,
        comment=f"Merged the proposal of {proposal.submitted_by or 'a visitor'} (#{proposal.pk}).",
    )


def entry_unpublish(*, actor: Actor, entry: Entry, comment: str = "") -> Entry:
    """Take a published entry off the list (or cancel a schedule); it stays approved, ready to
    be published again."""
    check_permission(_core.access_of(actor), entry, Action.UNPUBLISH)
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        guard_state(locked, Action.UNPUBLISH)
        from_status = locked.status
        locked.status, locked.publish_at = S.APPROVED, None
        _core.save(locked, actor=actor, reason=Action.UNPUBLISH)
        _core.record(
            locked, actor=actor, action=Action.UNPUBLISH, from_status=from_status, comment=comment
        )
        if from_status == S.PUBLISHED:
            _core.list_changed_on_commit(locked.curated_list_id)
    return locked


def entry_archive(*, actor: Actor, entry: Entry, comment: str = "") -> Entry:
    """Retire an entry for good: off the list, its link free for a new suggestion."""
    check_permission(_core.access_of(actor), entry, Action.ARCHIVE)
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        guard_state(locked, Action.ARCHIVE)
        from_status = locked.status
        locked.status, locked.publish_at = S.ARCHIVED, None
        _core.save(locked, actor=actor, reason=Action.ARCHIVE)
        _core.record(
            locked, actor=actor, action=Action.ARCHIVE, from_status=from_status, comment=comment
        )
        if from_status == S.PUBLISHED:
            _core.list_changed_on_commit(locked.curated_list_id)
    return locked


def _short_of_approvals(entry: Entry) -> str:
    """Why the entry may not go live now for want of approvals ('' when it has enough)."""
    if not shortfall(entry):
        return ""
    required = entry.curated_list.approvals_required
    approvals = approvals_of(entry)
    return (
        f"Not published at its scheduled time: revision {entry.revision} has {approvals} of "
        f"the {required} approvals the list requires now. It stays scheduled and goes live at "
        "the next run after it has them; or unpublish it to cancel the schedule."
    )


def _hold(entry: Entry, reason: str) -> None:
    """Leave a due entry scheduled, saying why: in the log at every run, in its audit trail
    (and so to its submitter) once."""
    logger.warning("Scheduled entry %s (%s) held back: %s", entry.pk, entry.curated_list, reason)
    last = WorkflowEvent.objects.filter(entry=entry).only("action", "comment").first()
    if last is not None and last.action == Action.COMMENT and last.comment == reason:
        return
    _core.record(entry, actor=None, action=Action.COMMENT, from_status=entry.status, comment=reason)


def publish_due(*, now: dt.datetime | None = None, held: list[Entry] | None = None) -> list[Entry]:
    """Publish every scheduled entry whose time has come; what ``publish_scheduled`` runs.

    Each entry in its own transaction, locked with SKIP LOCKED on PostgreSQL: two runs at once
    share the work instead of publishing anything twice, and a second run finds nothing due.

    Approvals are counted again, as a direct publish counts them: an entry scheduled with one
    approval is not published after the list raised its requirement to two. It stays
    scheduled, is logged and noted in its audit trail, and is appended to ``held`` if given.
    """
    now = now or timezone.now()
    due = (
        Entry.objects.filter(status=S.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at", "pk")
        .only("pk", "proposal_for_id")
    )
    published = []
    for candidate in list(due):
        with transaction.atomic():
            locked = _core.lock(candidate, skip_locked=True)
            if locked is None or locked.status != S.SCHEDULED or locked.publish_at is None:
                continue  # another run holds it, or has published it already
            if locked.publish_at > now:
                continue  # rescheduled meanwhile
            reason = _short_of_approvals(locked)
            if reason:
                _hold(locked, reason)
                if held is not None:
                    held.append(locked)
                continue
            _go_live(locked, actor=None, comment="Published at its scheduled time.")
        published.append(locked)
    return published
