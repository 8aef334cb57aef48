"""Every published change of a list, from its audit trail: what readers of ``changes.atom``,
``changes.json`` and the "What changed" page see.

A change is one workflow event that altered what the list shows:

- added: an entry published (not a proposal; not one that was already live);
- edited / moved: a proposed edit merged into its live entry, or a live link that followed
  a permanent redirect — field by field, from the entry's history (``Entry.history``): the
  version the change wrote against the one before it; "moved" when its section changed;
- archived / removed: a live entry archived or unpublished.

Each carries the curator's comment (for a merged proposal: the comment given when publishing
it; for one published at its scheduled time: the comment given when scheduling it). Reading
is a fixed number of queries whatever the number of changes: the events, the history rows of
the edited entries, their sections, and the schedules of what went live on its own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from catalog.models import CuratedList, Entry, Section
from curation.models import Action, WorkflowEvent

S = Entry.Status
CHANGES_SIZE = 50

# The entry's own columns a reader cares about, in the order they are listed.
FIELDS = (
    ("section_id", "section"),
    ("title", "title"),
    ("url", "link"),
    ("description", "description"),
    ("attributes", "details"),
)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    event_id: int
    kind: str  # added, edited, moved, archived, removed
    when: dt.datetime
    entry_id: int
    title: str
    url: str
    section: str
    actor: str  # "" when the system acted
    comment: str
    fields: list[FieldChange] = field(default_factory=list)
    entry_created: dt.datetime | None = None

    @property
    def verb(self) -> str:
        return {
            "added": "Added",
            "edited": "Edited",
            "moved": "Moved",
            "archived": "Archived",
            "removed": "Removed",
        }[self.kind]

    @property
    def anchor(self) -> str:
        return f"change-{self.event_id}"

    @property
    def summary(self) -> str:
        """One line: what happened, where, and the curator's comment."""
        text = f"{self.verb} “{self.title}” in {self.section}."
        if self.fields:
            text += " " + "; ".join(field_line(f) for f in self.fields) + "."
        if self.comment:
            text += f" {self.actor or 'The curators'}: {self.comment}"
        return text


def field_line(change: FieldChange) -> str:
    if change.label == "other details":
        return "tags, markers or extra links changed"
    return f"{change.label}: “{change.old}” → “{change.new}”"


def _published_changes() -> Q:
    live = Q(from_status=S.PUBLISHED)
    return (
        Q(action=Action.PUBLISH, entry__proposal_for__isnull=True) & ~live
        | Q(action=Action.PUBLISH, entry__proposal_for__isnull=False)
        | Q(action=Action.MOVE_LINK)
        | Q(action__in=[Action.ARCHIVE, Action.UNPUBLISH]) & live
    )


def list_changes(curated_list: CuratedList, *, limit: int = CHANGES_SIZE) -> list[Change]:
    """The list's latest published changes, newest first."""
    events = list(
        WorkflowEvent.objects.filter(entry__curated_list=curated_list)
        .filter(_published_changes())
        .select_related("actor", "entry__section", "entry__proposal_for__section")
        .order_by("-created_at", "-pk")[:limit]
    )
    # A merged proposal and a followed redirect changed the live entry: read its history.
    edited = {_live(event).pk for event in events if _is_edit(event)}
    history: dict[int, list[Any]] = defaultdict(list)
    if edited:
        rows = (
            Entry.history.filter(id__in=edited)
            .only(
                "id",
                "history_id",
                "history_date",
                "history_change_reason",
                *(name for name, _label in FIELDS),
            )
            .order_by("id", "history_date", "history_id")
        )
        for row in rows:
            history[row.id].append(row)
    # Published at its scheduled time: the curator who scheduled it, and their comment.
    scheduled = {}
    system = [e.entry_id for e in events if e.action == Action.PUBLISH and e.actor_id is None]
    if system:
        for schedule in (
            WorkflowEvent.objects.filter(entry_id__in=system, action=Action.SCHEDULE)
            .select_related("actor")
            .order_by("created_at", "pk")
        ):
            scheduled[schedule.entry_id] = schedule  # the latest one wins
    section_ids = {row.section_id for rows in history.values() for row in rows}
    sections = {s.pk: s.title_path or s.title for s in Section.objects.filter(pk__in=section_ids)}
    return [_change(event, history, sections, scheduled.get(event.entry_id)) for event in events]


def _is_edit(event: WorkflowEvent) -> bool:
    return event.action == Action.MOVE_LINK or (
        event.action == Action.PUBLISH and event.entry.proposal_for_id is not None
    )


def _live(event: WorkflowEvent) -> Entry:
    entry = event.entry
    return entry.proposal_for if entry.proposal_for is not None else entry


def _change(
    event: WorkflowEvent,
    history: dict[int, list[Any]],
    sections: dict[int, str],
    schedule: WorkflowEvent | None = None,
) -> Change:
    entry = _live(event)
    said = event if schedule is None or event.actor_id is not None else schedule
    kind = {Action.ARCHIVE: "archived", Action.UNPUBLISH: "removed"}.get(
        Action(event.action), "edited" if _is_edit(event) else "added"
    )
    fields: list[FieldChange] = []
    if _is_edit(event):
        reason = (
            Action.MERGE.label if event.action == Action.PUBLISH else event.get_action_display()
        )
        fields = _field_changes(history.get(entry.pk, []), event.created_at, reason, sections)
        if any(f.label == "section" for f in fields):
            kind = "moved"
    return Change(
        event_id=event.pk,
        kind=kind,
        when=event.created_at,
        entry_id=entry.pk,
        title=entry.title,
        url=entry.url,
        section=entry.section.title_path or entry.section.title,
        actor=said.actor.get_username() if said.actor is not None else "",
        comment=said.comment,
        fields=fields,
        entry_created=entry.created_at,
    )


def _field_changes(
    rows: list[Any], when: dt.datetime, reason: str, sections: dict[int, str]
) -> list[FieldChange]:
    """What the version written by the change (the last one saved for ``reason`` by ``when``)
    changed from the version before it."""
    at = None
    for index, row in enumerate(rows):
        if row.history_date <= when and row.history_change_reason == reason:
            at = index
    if at is None or at == 0:
        return []
    before, after = rows[at - 1], rows[at]
    changes = []
    for name, label in FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if name == "section_id":
            old, new = sections.get(old, "?"), sections.get(new, "?")
        elif name == "attributes":
            old, new = _pairs_text(old), _pairs_text(new)
        changes.append(FieldChange(label, str(old or ""), str(new or "")))
    if not changes:  # its tags, markers or extra links: kept outside the entry's own row
        changes.append(FieldChange("other details", "", ""))
    return changes


def _pairs_text(attributes: Any) -> str:
    return ", ".join(f"{a.get('label')}: {a.get('value')}" for a in attributes or [])


def by_week(changes: list[Change]) -> list[tuple[dt.date, list[Change]]]:
    """The changes grouped by the week (starting on Monday, in the site's time zone) they
    were made in, newest week first; the order inside each week is kept."""
    weeks: dict[dt.date, list[Change]] = {}
    for change in changes:
        day = timezone.localtime(change.when).date()
        weeks.setdefault(day - dt.timedelta(days=day.weekday()), []).append(change)
    return list(weeks.items())
