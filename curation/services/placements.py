"""Where else an entry is shown: its placements in further sections (``catalog.EntryPlacement``).

Placing an entry in a section changes where the list shows it, not what it says, so it is not
a proposal: it is a curator's change for a published entry (``can_publish_entry``, which a
section curator has in their subtree) and the editor's for one still in the workflow
(``can_edit_entry``). Access goes by the entry's own section; each section added or removed
must be one the actor may add entries to, and placements outside the actor's scope are kept
as they are whatever the form sent (a section curator cannot see them, so cannot mean them).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from catalog.models import Entry, EntryPlacement, Section
from curation.models import Action
from curation.services._core import (
    Actor,
    access_of,
    list_changed_on_commit,
    lock,
    record,
    user_or_none,
)


def entry_set_placements(*, actor: Actor, entry: Entry, sections: Iterable[Section]) -> Entry:
    """Show ``entry`` in ``sections`` besides its own: adds the missing placements (after the
    section's entries), removes those not asked for. Audited as an edit naming the change."""
    with transaction.atomic():
        locked = lock(entry)
        assert locked is not None
        entry = locked
        access = access_of(actor)
        if entry.is_proposal:
            raise ValidationError(
                "A proposed edit has no placements: set them on the live entry once merged."
            )
        allowed = (
            access.can_publish_entry(entry)
            if entry.status == Entry.Status.PUBLISHED
            else access.can_edit_entry(entry)
        )
        if not allowed:
            raise PermissionDenied(
                "Only a curator of this entry's section can change where a published entry is "
                "shown."
                if entry.status == Entry.Status.PUBLISHED
                else "You cannot edit this entry."
            )
        wanted = {section.pk: section for section in sections}
        wanted.pop(entry.section_id, None)  # its own section is not a placement
        current = {
            placement.section_id: placement
            for placement in entry.placements.select_related("section")
        }
        for section in wanted.values():
            if section.curated_list_id != entry.curated_list_id:
                raise ValidationError(f"“{section}” is a section of another list.")
        added = [section for pk, section in wanted.items() if pk not in current]
        # Placements the actor cannot reach stay: not asking for them is not removing them.
        removed = [
            p
            for pk, p in current.items()
            if pk not in wanted and access.can_add_entry_to(p.section)
        ]
        refused = [section for section in added if not access.can_add_entry_to(section)]
        if refused:
            raise PermissionDenied(
                "You have no role on "
                + ", ".join(f"“{section}”" for section in refused)
                + ": ask a curator of the list to place the entry there."
            )
        if not added and not removed:
            return entry

        user = user_or_none(actor)
        for placement in removed:
            placement._history_user = user  # type: ignore[attr-defined]
            placement.delete()
        for section in added:
            placement = EntryPlacement(
                entry=entry, section=section, position=_next_position(section)
            )
            placement.full_clean()
            placement._history_user = user  # type: ignore[attr-defined]
            placement.save()
        parts = []
        if added:
            parts.append("Also shown in " + ", ".join(f"“{s}”" for s in added))
        if removed:
            parts.append("no longer in " + ", ".join(f"“{p.section}”" for p in removed))
        record(
            entry,
            actor=actor,
            action=Action.EDIT,
            from_status=entry.status,
            comment="; ".join(parts) + ".",
        )
        if entry.status == Entry.Status.PUBLISHED:
            list_changed_on_commit(entry.curated_list_id)
    return entry


def _next_position(section: Section) -> int:
    """After the section's own entries and its other placements (they share one order)."""
    own = Entry.objects.live_versions().filter(section=section).aggregate(top=Max("position"))
    placed = EntryPlacement.objects.filter(section=section).aggregate(top=Max("position"))
    tops = [top for top in (own["top"], placed["top"]) if top is not None]
    return max(tops) + 1 if tops else 0
