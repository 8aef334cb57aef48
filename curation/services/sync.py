"""A curator publishing what a README sync brought, at once (``sync_readme --apply``).

The README on the list's repository already went through its own review there (a merged pull
request); the curator who applies the sync vouches for it, so an added entry is published and a
change of a live entry written in place without another review. Each is still one action:
permission (curators of the entry's section) → lock → state guard → write → one audit record
whose comment names the sync → signal, in one transaction. Submitting instead of publishing
(``--as-submissions``) uses the ordinary ``entry_create`` and ``entry_propose_edit``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.choices import OPEN_PROPOSAL_STATUSES, EntrySource, EntryStatus
from catalog.models import Entry, Section
from curation.models import Action, Role
from curation.services import _core
from curation.services._core import Actor
from curation.services.content import EntryContent, apply_fields
from curation.services.entries import _write
from curation.services.errors import IllegalTransition
from curation.services.rules import check_permission

S = EntryStatus
POSITION_OFFSET = 1_000_000


def entry_sync_publish_new(*, actor: Actor, content: EntryContent, comment: str) -> Entry:
    """A README entry the list did not have, published at once (one PUBLISH event)."""
    access = _core.access_of(actor)
    section = content.section
    if access.user_id is None or not access.has_section_role(section, Role.CURATOR):
        raise PermissionDenied(f"Only curators of “{section}” may publish what a sync brings.")
    with transaction.atomic():
        Section.objects.select_for_update().filter(pk=section.pk).first()  # positions are ours
        entry = Entry(
            curated_list_id=section.curated_list_id,
            status=S.PUBLISHED,
            published_at=timezone.now(),
            submitted_by=_core.user_or_none(actor),
            source=EntrySource.SYNC,
        )
        apply_fields(entry, content)
        _core.check_duplicate(entry)
        _write(entry, content, actor=actor, reason=Action.PUBLISH)
        _core.record(entry, actor=actor, action=Action.PUBLISH, from_status="", comment=comment)
        _core.list_changed_on_commit(entry.curated_list_id)
    return entry


def entry_sync_update(*, actor: Actor, entry: Entry, content: EntryContent, comment: str) -> Entry:
    """Write the README's version of a live entry in place (one PUBLISH event, revision + 1).

    Refused while the entry has an open proposal: publishing over it would leave a reviewer
    judging a proposal against content that changed under them."""
    check_permission(_core.access_of(actor), entry, Action.PUBLISH)
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        if locked.status != S.PUBLISHED or locked.is_proposal:
            raise IllegalTransition(
                f"“{locked}” is {locked.get_status_display().lower()}, not live: the sync "
                "changes live entries only.",
                code="not_live",
            )
        if locked.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).exists():
            raise IllegalTransition(
                f"“{locked}” has an open proposal; decide on it first.", code="open_proposal"
            )
        if not content.changed_fields(EntryContent.of(locked)):
            return locked
        locked.revision += 1
        apply_fields(locked, content)
        _core.check_duplicate(locked)
        _write(locked, content, actor=actor, reason=Action.PUBLISH)
        _core.record(
            locked, actor=actor, action=Action.PUBLISH, from_status=S.PUBLISHED, comment=comment
        )
        _core.list_changed_on_commit(locked.curated_list_id)
    return locked


def section_order_entries(*, actor: Actor, section: Section, entry_ids: list[int]) -> int:
    """Put the given live entries of ``section`` in this order, among the positions they hold
    already (drafts, archived entries and the others keep theirs). Returns how many moved."""
    access = _core.access_of(actor)
    if access.user_id is None or not access.has_section_role(section, Role.CURATOR):
        raise PermissionDenied(f"Only curators of “{section}” may reorder its entries.")
    with transaction.atomic():
        Section.objects.select_for_update().filter(pk=section.pk).first()
        rows = dict(
            Entry.objects.filter(section=section, pk__in=entry_ids, proposal_for__isnull=True)
            .select_for_update()
            .values_list("pk", "position")
        )
        wanted = [pk for pk in entry_ids if pk in rows]
        slots = sorted(rows[pk] for pk in wanted)
        target = dict(zip(wanted, slots, strict=True))
        moving = [pk for pk in wanted if rows[pk] != target[pk]]
        if not moving:
            return 0
        # Out of the way first, so that no two rows ever share a position.
        Entry.objects.filter(pk__in=moving).update(position=F("position") + POSITION_OFFSET)
        moved = [Entry(pk=pk, position=target[pk]) for pk in moving]
        Entry.objects.bulk_update(moved, ["position"], batch_size=500)
        _core.list_changed_on_commit(section.curated_list_id)
    return len(moving)
