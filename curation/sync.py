"""The database edge of a README sync: the list as it stands ⇄ a changed README.

``read_state`` reads the list in a fixed number of queries whatever its size (its live entries
as the README shows them, with their ids, and the pending work beside them); the pure
``catalog.markdown.changes.compute_changes`` compares it with the parsed README; ``plan_sync``
sorts each change into what will be written and what is a conflict; ``apply_sync`` writes it
through the workflow services — submissions and proposals (the default), or published at once
by a curator (``publish=True``) — never around them: removals are archive actions, sections
keep their ids (so their members keep their scope), and nothing pending is overwritten.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from catalog import section_links
from catalog.choices import OPEN_PROPOSAL_STATUSES, EntrySource, EntryStatus
from catalog.maintenance import derived_markers
from catalog.markdown.changes import (
    LIST_FIELDS,
    ChangeSet,
    EntryChange,
    EntryRef,
    Path,
    PlacementChange,
    compute_changes,
    format_changes,
)
from catalog.markdown.document import (
    EntryDoc,
    ExtraLinkDoc,
    ListDoc,
    MarkerDef,
    SectionDoc,
)
from catalog.markdown.document import (
    FooterBlock as FooterDoc,
)
from catalog.markdown.parse import parse_readme
from catalog.markdown.placements import entry_key, sections_by_entry
from catalog.markdown.render import render_readme
from catalog.models import CuratedList, Entry, ExtraLink, FooterBlock, Marker, Section, TaggedEntry
from catalog.normalize import normalize_url
from catalog.published import read_published
from curation.access import Access
from curation.models import Membership, Review, Role, WorkflowEvent
from curation.public.models import Suggestion
from curation.services import (
    EntryContent,
    LinkData,
    entry_archive,
    entry_create,
    entry_propose_edit,
    entry_set_placements,
)
from curation.services.sync import (
    entry_sync_publish_new,
    entry_sync_update,
    section_order_entries,
)

S = EntryStatus
SECTION_POSITION_OFFSET = 1_000_000
REORDER_HINT = "(a proposal carries no position: apply with --apply, or reorder in the admin)"
PLACEMENT_HINT = (
    "(placements are not proposed: apply with --apply, or set “Also shown in” in the admin)"
)
PENDING = (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED)


class SyncRefused(ValidationError):
    """The sync cannot run as asked; the message says why in one sentence."""


@dataclass
class Other:
    """An entry that is not live: pending work, archived or rejected."""

    pk: int
    title: str
    status: str


@dataclass
class ListState:
    """The list as it stands: what its README shows (``doc``) and what is behind it."""

    curated_list: CuratedList
    doc: ListDoc
    entry_ids: dict[EntryRef, int]
    own_refs: frozenset[EntryRef]  # where each entry is in its own section (not a placement)
    section_ids: dict[Path, int]
    sections: dict[int, Section]
    others_by_url: dict[str, list[Other]]
    others_by_title: dict[str, list[Other]]  # entries without a URL, by case-folded title
    open_proposals: dict[int, tuple[int, EntryDoc, int]]  # live pk → (pk, content, section pk)
    derived_symbols: frozenset[str]


def read_state(curated_list: CuratedList) -> ListState:
    """The list in a fixed number of queries (11, 12 with derived markers), whatever its size."""
    content = read_published(curated_list)
    derived = {m.symbol for m in derived_markers(curated_list)} - {
        m.symbol for m in content.markers if m.pk and m.pk > 0
    }
    sections = {section.pk: section for section in content.sections}
    paths = _section_paths(content.sections)
    entry_ids: dict[EntryRef, int] = {}
    own_refs: set[EntryRef] = set()
    docs: dict[int, list[EntryDoc]] = {}
    for section_id, entries in content.entries.items():
        docs[section_id] = []
        for index, entry in enumerate(entries):
            entry_ids[EntryRef(paths[section_id], index)] = entry.pk
            if entry.section_id == section_id:
                own_refs.add(EntryRef(paths[section_id], index))
            docs[section_id].append(
                EntryDoc(
                    title=entry.title,
                    url=entry.url,
                    description=entry.description,
                    extra_links=tuple(ExtraLinkDoc(label, url) for label, url in entry.links),
                    markers=tuple(m.symbol for m in entry.markers if m.symbol not in derived),
                    tags=tuple(name for name, _ in entry.tags),
                    lead_in=content.lead_in(section_id, entry),
                )
            )
    doc = ListDoc(
        title=curated_list.title,
        tagline=curated_list.tagline,
        intro=curated_list.intro,
        markers=tuple(
            MarkerDef(m.symbol, m.slug, m.label) for m in content.markers if m.symbol not in derived
        ),
        sections=_section_docs(content.sections, docs),
        footer=tuple(FooterDoc(block.title, block.body) for block in content.footer),
        repository_url=curated_list.repository_url,
        license=curated_list.license,
        ordering=curated_list.ordering,  # type: ignore[arg-type]
    )
    # Stored "#section-<pk>" links read as the README writes them (catalog.section_links).
    pks = [section.pk for section in content.sections]
    doc = section_links.by_anchor(doc, pks)
    anchors = section_links.anchor_targets(doc, pks)
    others_by_url: dict[str, list[Other]] = defaultdict(list)
    others_by_title: dict[str, list[Other]] = defaultdict(list)
    rows = (
        Entry.objects.filter(curated_list=curated_list, proposal_for__isnull=True)
        .exclude(status=S.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "title", "status", "normalized_url")
    )
    for pk, title, status, key in rows:
        other = Other(pk, title, status)
        if key:
            others_by_url[key].append(other)
        else:
            others_by_title[title.casefold()].append(other)
    return ListState(
        curated_list=curated_list,
        doc=doc,
        entry_ids=entry_ids,
        own_refs=frozenset(own_refs),
        section_ids={path: pk for pk, path in paths.items()},
        sections=sections,
        others_by_url=dict(others_by_url),
        others_by_title=dict(others_by_title),
        open_proposals={
            live: (pk, section_links.entry_by_anchor(proposed, anchors), section_id)
            for live, (pk, proposed, section_id) in _open_proposals(curated_list, derived).items()
        },
        derived_symbols=frozenset(derived),
    )


def _open_proposals(
    curated_list: CuratedList, derived: set[str]
) -> dict[int, tuple[int, EntryDoc, int]]:
    proposals = list(
        Entry.objects.filter(
            curated_list=curated_list,
            proposal_for__isnull=False,
            status__in=OPEN_PROPOSAL_STATUSES,
        ).values_list(
            "pk", "proposal_for_id", "section_id", "title", "url", "description", "lead_in"
        )
    )
    ids = [row[0] for row in proposals]
    links: dict[int, list[ExtraLinkDoc]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    marks: dict[int, list[str]] = defaultdict(list)
    if ids:
        for entry_id, label, url in (
            ExtraLink.objects.filter(entry_id__in=ids)
            .order_by("entry_id", "position", "pk")
            .values_list("entry_id", "label", "url")
        ):
            links[entry_id].append(ExtraLinkDoc(label, url))
        for entry_id, name in (
            TaggedEntry.objects.filter(content_object_id__in=ids)
            .order_by("pk")
            .values_list("content_object_id", "tag__name")
        ):
            tags[entry_id].append(name)
        for entry_id, symbol in (
            Entry.markers.through.objects.filter(entry_id__in=ids)
            .order_by("pk")
            .values_list("entry_id", "marker__symbol")
        ):
            if symbol not in derived:
                marks[entry_id].append(symbol)
    return {
        live: (
            pk,
            EntryDoc(
                title,
                url,
                description,
                tuple(links[pk]),
                tuple(marks[pk]),
                tuple(tags[pk]),
                lead_in=lead_in,
            ),
            section_id,
        )
        for pk, live, section_id, title, url, description, lead_in in proposals
    }


def _section_paths(sections: list[Section]) -> dict[int, Path]:
    paths: dict[int, Path] = {}
    for section in sections:  # tree order: parents first
        parent = paths.get(section.parent_id, ()) if section.parent_id else ()
        paths[section.pk] = (*parent, section.slug)
    return paths


def _section_docs(
    sections: list[Section], entries: dict[int, list[EntryDoc]]
) -> tuple[SectionDoc, ...]:
    children: dict[int | None, list[Section]] = defaultdict(list)
    for section in sections:
        children[section.parent_id].append(section)

    def build(parent_id: int | None) -> tuple[SectionDoc, ...]:
        return tuple(
            SectionDoc(
                title=section.title,
                slug=section.slug,
                description=section.description,
                entries=tuple(entries.get(section.pk, ())),
                children=build(section.pk),
                outro=section.outro,
            )
            for section in children.get(parent_id, ())
        )

    return build(None)


def workflow_history(curated_list: CuratedList) -> list[str]:
    """The curation side of ``catalog.importer.editorial_history`` (registered at start-up)."""
    found = []
    reviews = Review.objects.filter(entry__curated_list=curated_list).count()
    if reviews:
        found.append(f"{reviews} reviews")
    events = WorkflowEvent.objects.filter(entry__curated_list=curated_list).count()
    if events:
        found.append(f"{events} workflow events")
    # A visitor's suggestion is their work, and its private status link would turn 404.
    suggestions = Suggestion.objects.filter(entry__curated_list=curated_list).count()
    if suggestions:
        found.append(f"{suggestions} visitor suggestion{'s' if suggestions != 1 else ''}")
    scoped = Membership.objects.filter(curated_list=curated_list, section__isnull=False).count()
    if scoped:
        found.append(f"{scoped} memberships scoped to sections")
    return found


# --- the plan: what will be written, what is a conflict -------------------------------------


@dataclass
class Planned:
    change: EntryChange
    action: str  # "create", "update", "archive", "reorder", "skip", "conflict"
    entry_id: int | None = None
    note: str = ""
    line: int | None = None


@dataclass
class SyncPlan:
    state: ListState
    new: ListDoc
    changes: ChangeSet
    items: list[Planned]
    source: str
    lines: dict[EntryRef, int] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[Planned]:
        return [item for item in self.items if item.action == "conflict"]

    @property
    def skipped(self) -> list[Planned]:
        return [item for item in self.items if item.action == "skip"]

    @property
    def is_empty(self) -> bool:
        return self.changes.is_empty

    def format(self, *, limit: int | None = None) -> str:
        text = format_changes(
            self.changes, old=self.state.doc, new=self.new, lines=self.lines, limit=limit
        )
        out = [text]
        if self.conflicts:
            out.append(f"Conflicts ({len(self.conflicts)}), reported and not overwritten:")
            out.extend(f"  ! {item.change.title}: {item.note}" for item in self.conflicts)
        if self.skipped:
            out.append(f"Already in the workflow ({len(self.skipped)}), left as they are:")
            out.extend(f"  = {item.change.title}: {item.note}" for item in self.skipped)
        return "\n".join(out)


def plan_sync(curated_list: CuratedList, new: ListDoc, *, source: str, text: str = "") -> SyncPlan:
    """Compare the README ``new`` (whose text is ``text``) with the list as it stands."""
    state = read_state(curated_list)
    new = _without_symbols(new, state.derived_symbols)
    changes = compute_changes(state.doc, new, old_own=state.own_refs)
    changes = dataclasses.replace(changes, list_fields=_list_fields_changed(state.doc, new))
    if curated_list.ordering == CuratedList.Ordering.ALPHABETICAL:
        changes = _without_reorders(changes)
    items = [_plan_one(change, state) for change in changes.entries]
    lines = _lines(text, new, changes) if text else {}
    for item in items:
        if item.change.new is not None:
            item.line = lines.get(item.change.new)
    return SyncPlan(state, new, changes, items, source, lines)


def _canonical_list_text(doc: ListDoc) -> ListDoc:
    """The list's own texts (title, tagline, intro, legend, footer) as its README reads back:
    a title edited in the admin is Title-Cased by the parser, the License block lives in
    license.md, the Contributing block is a generated pointer. Compared in this form, a README
    exported from the list is no change."""
    bare = dataclasses.replace(doc, sections=())
    return parse_readme(render_readme(bare))[0]


def _list_fields_changed(old: ListDoc, new: ListDoc) -> tuple[str, ...]:
    differ = [name for name in LIST_FIELDS if getattr(old, name) != getattr(new, name)]
    if not differ:
        return ()
    canonical = _canonical_list_text(old)
    return tuple(
        name
        for name in differ
        if (
            _footer_adds_or_edits(old, canonical, new)
            if name == "footer"
            else getattr(canonical, name) != getattr(new, name)
        )
    )


def _footer_adds_or_edits(old: ListDoc, canonical: ListDoc, new: ListDoc) -> bool:
    """Footer blocks are synced by title and never deleted (see ``_sync_list_fields``): the
    footer changed when the README has a block of a new title, or a non-empty body that is
    neither the list's block nor that block as its README shows it."""
    bodies = {block.title.casefold(): block.body for block in old.footer}
    shown = {block.title.casefold(): block.body for block in canonical.footer}
    for block in new.footer:
        key = block.title.casefold()
        if key not in bodies:
            return True
        if block.body and block.body not in (bodies[key], shown.get(key)):
            return True
    return False


def _plan_one(change: EntryChange, state: ListState) -> Planned:
    if change.kind == "removed":
        assert change.old is not None
        return Planned(change, "archive", state.entry_ids[change.old])
    if change.kind == "added":
        assert change.new_entry is not None
        entry = change.new_entry
        key = normalize_url(entry.url)
        others = (
            state.others_by_url.get(key, [])
            if key
            else state.others_by_title.get(entry.title.casefold(), [])
        )
        pending = [o for o in others if o.status in PENDING]
        if pending:
            o = pending[0]
            return Planned(
                change, "skip", o.pk, f"already in the list as #{o.pk} ({_status(o.status)})"
            )
        if any(o.status == S.ARCHIVED for o in others):
            o = next(o for o in others if o.status == S.ARCHIVED)
            return Planned(
                change,
                "conflict",
                o.pk,
                f"archived here as #{o.pk}, still listed in the README (not brought back)",
            )
        if any(o.status == S.REJECTED for o in others):
            o = next(o for o in others if o.status == S.REJECTED)
            return Planned(
                change, "conflict", o.pk, f"rejected here as #{o.pk}, listed in the README"
            )
        return Planned(change, "create")
    assert change.old is not None
    assert change.new_entry is not None
    entry_id = state.entry_ids[change.old]
    proposal = state.open_proposals.get(entry_id)
    if proposal is not None:
        proposal_id, proposed, section_id = proposal
        same_place = state.sections.get(section_id) is not None and (
            _path_of(state, section_id) == change.new.section if change.new else False
        )
        if proposed == change.new_entry and (same_place or not change.moved):
            return Planned(change, "skip", entry_id, f"already proposed as #{proposal_id}")
        return Planned(
            change,
            "conflict",
            entry_id,
            f"has an open proposal #{proposal_id}; the README's change was not applied",
        )
    if not change.content_fields and "section" not in change.fields:
        return Planned(change, "reorder", entry_id)
    return Planned(change, "update", entry_id)


def _path_of(state: ListState, section_id: int) -> Path | None:
    for path, pk in state.section_ids.items():
        if pk == section_id:
            return path
    return None


def _status(status: str) -> str:
    return str(S(status).label).lower()


def _without_symbols(doc: ListDoc, symbols: frozenset[str]) -> ListDoc:
    """The README with the markers the site derives (🗄, 💤) taken out: they are not content."""
    if not symbols:
        return doc

    def strip(sections: tuple[SectionDoc, ...]) -> tuple[SectionDoc, ...]:
        return tuple(
            dataclasses.replace(
                section,
                entries=tuple(
                    dataclasses.replace(e, markers=tuple(m for m in e.markers if m not in symbols))
                    for e in section.entries
                ),
                children=strip(section.children),
            )
            for section in sections
        )

    return dataclasses.replace(
        doc,
        markers=tuple(m for m in doc.markers if m.symbol not in symbols),
        sections=strip(doc.sections),
    )


def _without_reorders(changes: ChangeSet) -> ChangeSet:
    """An alphabetical list has no order of its own to sync."""
    kept = []
    for change in changes.entries:
        if change.kind == "changed" and "position" in change.fields:
            fields = tuple(name for name in change.fields if name != "position")
            if not fields:
                continue
            change = dataclasses.replace(change, fields=fields)
        kept.append(change)
    return dataclasses.replace(changes, entries=tuple(kept))


def _lines(text: str, new: ListDoc, changes: ChangeSet) -> dict[EntryRef, int]:
    """The README line of each added or changed entry (searched only for those)."""
    found: dict[EntryRef, int] = {}
    for change in changes.entries:
        if change.new is None or change.new_entry is None:
            continue
        needle = change.new_entry.url or change.new_entry.title
        at = text.find(needle)
        if at >= 0:
            found[change.new] = text.count("\n", 0, at) + 1
    return found


# --- applying -------------------------------------------------------------------------------


@dataclass
class SyncOutcome:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    archived: list[int] = field(default_factory=list)
    placed: list[int] = field(default_factory=list)  # entries whose placements changed
    reordered: int = 0
    sections_created: int = 0
    sections_changed: int = 0
    sections_kept: list[str] = field(default_factory=list)
    sections_deleted: int = 0
    list_fields: tuple[str, ...] = ()
    not_applied: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def wrote_anything(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.archived
            or self.placed
            or self.reordered
            or self.sections_created
            or self.sections_changed
            or self.sections_deleted
            or self.list_fields
        )

    def format(self, *, publish: bool) -> str:
        verb = "published" if publish else "submitted for review"
        parts = [
            f"{len(self.created)} new entries {verb}",
            f"{len(self.updated)} changes {'published' if publish else 'proposed'}",
            f"{len(self.archived)} entries archived",
        ]
        if self.placed:
            parts.append(f"{len(self.placed)} entries shown in other sections")
        if self.reordered:
            parts.append(f"{self.reordered} entries reordered")
        if self.sections_created or self.sections_changed or self.sections_deleted:
            parts.append(
                f"sections: {self.sections_created} added, {self.sections_changed} renamed or "
                f"moved, {self.sections_deleted} removed"
            )
        if self.list_fields:
            parts.append("list " + ", ".join(self.list_fields) + " updated")
        lines = ["Applied: " + "; ".join(parts) + "."]
        for name in self.sections_kept:
            lines.append(f"  kept section {name}: it still holds entries or members")
        lines.extend(f"  not applied: {note}" for note in self.not_applied)
        lines.extend(f"  refused: {note}" for note in self.refused)
        return "\n".join(lines)


def check_may_sync(actor: Any, curated_list: CuratedList) -> None:
    """Syncing touches the whole list: curators of the whole list (or superusers) only."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Name the curator the sync acts as.")
    if not Access.for_user(actor).has_list_role(curated_list, Role.CURATOR, list_wide=True):
        raise PermissionDenied(
            f"{actor} is not a curator of the whole list “{curated_list}”: only they may sync it."
        )


def apply_sync(plan: SyncPlan, *, actor: Any, publish: bool) -> SyncOutcome:
    """Write the plan through the workflow services, in one transaction.

    A change a service refuses (a duplicate link, a state that moved since the plan was made)
    is reported in ``outcome.refused`` and the rest goes on: the refusal rolls back its own
    savepoint only.
    """
    curated_list = plan.state.curated_list
    check_may_sync(actor, curated_list)
    outcome = SyncOutcome()
    with transaction.atomic():
        CuratedList.objects.select_for_update().filter(pk=curated_list.pk).first()
        markers = _sync_legend(plan, publish=publish)
        sections = _SectionWriter(plan, outcome).write()
        if publish and plan.changes.list_fields:
            _sync_list_fields(plan, outcome)
        elif plan.changes.list_fields:
            outcome.not_applied.append(
                "list " + ", ".join(plan.changes.list_fields) + " changed (apply with --apply, "
                "or edit the list's settings)"
            )
        new_ids: dict[EntryRef, int] = {}
        targets = _link_targets(plan.new, sections)
        for item in plan.items:
            _apply_one(
                item, plan, actor, publish, sections, markers, outcome, new_ids, targets=targets
            )
        _apply_placements(plan, actor, publish, sections, outcome, new_ids)
        if publish:
            outcome.reordered = _reorder(plan, actor, sections, new_ids)
    return outcome


def _comment(plan: SyncPlan, item: Planned, what: str) -> str:
    line = f", line {item.line}" if item.line else ""
    return f"README sync from {plan.source}{line}: {what}."


def _apply_one(
    item: Planned,
    plan: SyncPlan,
    actor: Any,
    publish: bool,
    sections: dict[Path, Section],
    markers: dict[str, Marker],
    outcome: SyncOutcome,
    new_ids: dict[EntryRef, int],
    *,
    targets: dict[str, str],
) -> None:
    change = item.change
    try:
        with transaction.atomic():
            if item.action == "archive":
                assert item.entry_id is not None
                entry = Entry.objects.get(pk=item.entry_id)
                entry_archive(
                    actor=actor, entry=entry, comment=_comment(plan, item, "no longer listed")
                )
                outcome.archived.append(entry.pk)
            elif item.action == "create":
                assert change.new is not None
                assert change.new_entry is not None
                content = _content(change.new_entry, sections[change.new.section], markers, targets)
                if publish:
                    entry = entry_sync_publish_new(
                        actor=actor, content=content, comment=_comment(plan, item, "added")
                    )
                else:
                    entry = entry_create(
                        actor=actor,
                        content=content,
                        source=EntrySource.SYNC,
                        submit=True,
                        comment=_comment(plan, item, "added"),
                    )
                outcome.created.append(entry.pk)
                new_ids[change.new] = entry.pk
            elif item.action == "update":
                assert change.new is not None
                assert change.new_entry is not None
                assert item.entry_id is not None
                entry = Entry.objects.select_related("section").get(pk=item.entry_id)
                content = _content(change.new_entry, sections[change.new.section], markers, targets)
                what = "changed " + ", ".join(change.fields)
                if publish:
                    entry_sync_update(
                        actor=actor,
                        entry=entry,
                        content=content,
                        comment=_comment(plan, item, what),
                    )
                else:
                    if "position" in change.fields:
                        outcome.not_applied.append(
                            f"“{change.title}” moved within its section {REORDER_HINT}"
                        )
                    entry_propose_edit(
                        actor=actor,
                        entry=entry,
                        content=content,
                        source=EntrySource.SYNC,
                        comment=_comment(plan, item, what),
                    )
                outcome.updated.append(entry.pk)
            elif item.action == "reorder" and not publish:
                outcome.not_applied.append(
                    f"“{change.title}” moved within its section {REORDER_HINT}"
                )
    except (ValidationError, PermissionDenied) as error:
        messages = getattr(error, "messages", None) or [str(error)]
        outcome.refused.append(f"“{change.title}”: {' '.join(messages)}")


def _apply_placements(
    plan: SyncPlan,
    actor: Any,
    publish: bool,
    sections: dict[Path, Section],
    outcome: SyncOutcome,
    new_ids: dict[EntryRef, int],
) -> None:
    """Sections an entry is now also shown in, or no longer: a curator's audited placement
    change (``entry_set_placements``) with ``publish``; listed as not applied otherwise, since
    a proposal carries no placements. With ``publish`` an entry moved to another section gets
    its placements set too (the README's sections for it, its own one aside)."""
    by_entry: dict[int, list[PlacementChange]] = defaultdict(list)
    docs: dict[int, EntryDoc] = {}
    for placement in plan.changes.placements:
        if not publish:
            outcome.not_applied.append(f"{_placement_text(plan, placement)} {PLACEMENT_HINT}")
            continue
        entry_id = (
            plan.state.entry_ids.get(placement.old)
            if placement.old is not None
            else new_ids.get(placement.new)
            if placement.new is not None
            else None
        )
        if entry_id is None:  # an added entry not created here (already in the workflow)
            outcome.not_applied.append(f"{_placement_text(plan, placement)}: no entry to place")
            continue
        by_entry[entry_id].append(placement)
        docs[entry_id] = placement.entry
    if not publish:
        return
    for item in plan.items:
        if (
            item.action == "update"
            and "section" in item.change.fields
            and item.entry_id in outcome.updated
            and item.change.new_entry is not None
        ):
            docs.setdefault(item.entry_id, item.change.new_entry)
    shown_in = sections_by_entry(plan.new)
    for entry_id, doc in docs.items():
        key = entry_key(doc)
        wanted = [sections[path] for path in shown_in.get(key, []) if path in sections]
        try:
            with transaction.atomic():
                entry = Entry.objects.get(pk=entry_id)
                before = set(entry.placements.values_list("section_id", flat=True))
                entry = entry_set_placements(actor=actor, entry=entry, sections=wanted)
                if set(entry.placements.values_list("section_id", flat=True)) != before:
                    outcome.placed.append(entry.pk)
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            outcome.refused.append(f"“{doc.title}” (placements): {' '.join(messages)}")


def _placement_text(plan: SyncPlan, placement: PlacementChange) -> str:
    if placement.kind == "added":
        where = _section_title(plan.new.sections, placement.section)
        return f"“{placement.title}” now also shown in “{where}”"
    where = _section_title(plan.state.doc.sections, placement.section)
    return f"“{placement.title}” no longer shown in “{where}”"


def _section_title(sections: tuple[SectionDoc, ...], path: Path) -> str:
    node = _find(sections, path)
    return node.title if node is not None else " › ".join(path)


def _link_targets(doc: ListDoc, sections: dict[Path, Section]) -> dict[str, str]:
    """README anchor → ``section-<pk>``: what the sync writes stores in-page links to sections
    by identity, as the importer does (``catalog.section_links``)."""
    paths: list[Path] = []

    def walk(nodes: tuple[SectionDoc, ...], path: Path) -> None:
        for node in nodes:
            paths.append((*path, node.slug))
            walk(node.children, paths[-1])

    walk(doc.sections, ())
    if any(path not in sections for path in paths):
        return {}  # a section the README names was not written: keep the anchors as written
    return section_links.identity_targets(doc, [sections[path].pk for path in paths])


def _content(
    entry: EntryDoc,
    section: Section,
    markers: dict[str, Marker],
    targets: dict[str, str] | None = None,
) -> EntryContent:
    targets = targets or {}
    return EntryContent(
        section=section,
        title=entry.title,
        url=entry.url,
        description=section_links.one_line(entry.description, targets),
        marker_ids=frozenset(markers[s].pk for s in entry.markers if s in markers),
        tags=tuple(sorted(dict.fromkeys(entry.tags))),
        extra_links=tuple(LinkData(link.label, link.url) for link in entry.extra_links),
        lead_in=section_links.block(entry.lead_in, targets),
    )


def _sync_legend(plan: SyncPlan, *, publish: bool) -> dict[str, Marker]:
    """Markers the README uses that the legend lacks are added (entries need them); labels
    follow the README only when publishing. No marker is deleted: entries may carry it."""
    curated_list = plan.state.curated_list
    existing = {m.symbol: m for m in Marker.objects.filter(curated_list=curated_list)}
    missing = [m for m in plan.new.markers if m.symbol not in existing]
    if missing:
        start = max((m.position for m in existing.values()), default=-1) + 1
        slugs = {m.slug for m in existing.values()}
        for n, marker in enumerate(missing):
            slug = marker.slug if marker.slug not in slugs else f"{marker.slug}-{start + n}"
            slugs.add(slug)
            existing[marker.symbol] = Marker.objects.create(
                curated_list=curated_list,
                symbol=marker.symbol,
                slug=slug,
                label=marker.label or marker.symbol,
                position=start + n,
            )
    if publish:
        for marker in plan.new.markers:
            row = existing[marker.symbol]
            if marker.label and row.label != marker.label:
                row.label = marker.label
                row.save(update_fields=["label"])
    return existing


def _sync_list_fields(plan: SyncPlan, outcome: SyncOutcome) -> None:
    curated_list = plan.state.curated_list
    new = plan.new
    changed = plan.changes.list_fields
    for name in ("title", "tagline", "intro"):
        if name in changed:
            setattr(curated_list, name, getattr(new, name))
    curated_list.full_clean()
    curated_list.save()
    if "footer" in changed:
        # By title: a block the README has updates the list's block of that title (unless the
        # README's is empty: a generated pointer), a new title is added, and a block the README
        # lacks is kept (the License lives in license.md, beside an exported README).
        blocks = {
            b.title.casefold(): b for b in FooterBlock.objects.filter(curated_list=curated_list)
        }
        end = max((b.position for b in blocks.values()), default=-1) + 1
        for block in new.footer:
            row = blocks.get(block.title.casefold())
            if row is None:
                FooterBlock.objects.create(
                    curated_list=curated_list, title=block.title, body=block.body, position=end
                )
                end += 1
            elif block.body and row.body != block.body:
                row.body = block.body
                row.save(update_fields=["body"])
    outcome.list_fields = changed


class _SectionWriter:
    """Sections added, renamed, moved and removed, keeping the ids of the ones that stay.

    This is the one place that decides which section an entry of the README lands in
    (``sections[path]``); ``_apply_placements`` places entries in further sections with it.
    """

    def __init__(self, plan: SyncPlan, outcome: SyncOutcome) -> None:
        self.plan = plan
        self.outcome = outcome
        self.state = plan.state

    def write(self) -> dict[Path, Section]:
        changes = self.plan.changes
        by_new: dict[Path, Section] = {}
        for old_path, new_path in changes.section_map.items():
            by_new[new_path] = self.state.sections[self.state.section_ids[old_path]]
        if not changes.sections:
            return by_new
        curated_list = self.state.curated_list
        # Positions out of the way, then every section of the README at its place.
        Section.objects.filter(curated_list=curated_list).update(
            position=F("position") + SECTION_POSITION_OFFSET
        )
        touched: list[Section] = []

        def walk(nodes: tuple[SectionDoc, ...], parent: Section | None, path: Path) -> None:
            for index, doc in enumerate(nodes):
                here = (*path, doc.slug)
                section = by_new.get(here)
                if section is None:
                    section = Section(curated_list=curated_list, slug=doc.slug)
                    section.parent, section.title = parent, doc.title
                    section.description, section.position = doc.description, index
                    section.outro = doc.outro
                    section.save()
                    by_new[here] = section
                    self.outcome.sections_created += 1
                else:
                    was = (section.parent_id, section.title, section.slug)
                    section.parent, section.title, section.slug = parent, doc.title, doc.slug
                    section.description, section.position = doc.description, index
                    section.outro = doc.outro
                    if was != (section.parent_id, section.title, section.slug):
                        self.outcome.sections_changed += 1
                    touched.append(section)
                walk(doc.children, section, here)

        walk(self.plan.new.sections, None, ())
        self._place_removed(by_new, touched)
        Section.objects.bulk_update(
            touched,
            ["parent", "title", "slug", "description", "outro", "position"],
            batch_size=500,
        )
        self._delete_empty_removed(by_new)
        Section.objects.renumber(curated_list)
        return by_new

    def _removed(self, by_new: dict[Path, Section]) -> list[Section]:
        kept = {section.pk for section in by_new.values()}
        return [s for s in self.state.sections.values() if s.pk not in kept]

    def _place_removed(self, by_new: dict[Path, Section], touched: list[Section]) -> None:
        """Removed sections go after their siblings (until deleted, or for good if kept)."""
        last: dict[int | None, int] = defaultdict(lambda: -1)
        for section in touched + [s for s in by_new.values() if s not in touched]:
            last[section.parent_id] = max(last[section.parent_id], section.position)
        for section in self._removed(by_new):
            last[section.parent_id] += 1
            section.position = last[section.parent_id]
            touched.append(section)

    def _delete_empty_removed(self, by_new: dict[Path, Section]) -> None:
        removed = self._removed(by_new)
        if not removed:
            return
        ids = [s.pk for s in removed]
        busy = set(
            Entry.objects.filter(section_id__in=ids).values_list("section_id", flat=True)
        ) | set(Section.objects.filter(parent_id__in=ids).values_list("parent_id", flat=True))
        busy |= set(
            Membership.objects.filter(section_id__in=ids).values_list("section_id", flat=True)
        )
        for section in sorted(removed, key=lambda s: -len(s.tree_path)):
            if section.pk in busy:
                self.outcome.sections_kept.append(f"“{section.title_path or section.title}”")
                continue
            section.delete()
            self.outcome.sections_deleted += 1


def _reorder(
    plan: SyncPlan, actor: Any, sections: dict[Path, Section], new_ids: dict[EntryRef, int]
) -> int:
    """Live entries of each section the README reordered or added to, in the README's order."""
    if plan.state.curated_list.ordering == CuratedList.Ordering.ALPHABETICAL:
        return 0
    targets = {
        item.change.new.section
        for item in plan.items
        if item.change.new is not None
        and (
            item.action == "reorder" or (item.action in ("create", "update") and item.change.moved)
        )
    } | {ref.section for ref in new_ids}
    if not targets:
        return 0
    moved = 0
    for path in sorted(targets):
        node = _find(plan.new.sections, path)
        if node is None:
            continue
        ids: list[int] = []
        for index, _ in enumerate(node.entries):
            ref = EntryRef(path, index)
            pk = new_ids.get(ref) or _live_id(plan, ref)
            if pk is not None:
                ids.append(pk)
        moved += section_order_entries(actor=actor, section=sections[path], entry_ids=ids)
    return moved


def _live_id(plan: SyncPlan, ref: EntryRef) -> int | None:
    old = plan.changes.entry_map.get(ref)
    return plan.state.entry_ids.get(old) if old is not None else None


def _find(sections: tuple[SectionDoc, ...], path: Path) -> SectionDoc | None:
    nodes, node = sections, None
    for slug in path:
        node = next((s for s in nodes if s.slug == slug), None)
        if node is None:
            return None
        nodes = node.children
    return node


def sync_summary(plan: SyncPlan) -> dict[str, int]:
    counts = dict(plan.changes.counts())
    counts["conflicts"] = len(plan.conflicts)
    counts["already in the workflow"] = len(plan.skipped)
    return counts
