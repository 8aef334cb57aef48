"""What changed between two versions of a list: a change set a curator can read and apply.

Pure: two ``ListDoc`` in (the list as it stands, the README as it is now), a ``ChangeSet`` out.
The database edge (``curation.sync``) maps the old side to rows and applies the change set
through the workflow services.

Sections are matched by slug path, then by slug alone (a section moved under another parent),
then by the entries they share (a renamed section). Entries are matched across the whole list
by normalised URL, then by title for entries without a URL, then by title within the same
section (an entry whose URL changed but whose title and section did not is a change, not a
remove plus an add), then by position within the same section for entries without a URL.
An entry is *moved* when its section changed, or when it left the order of the entries it kept
its place among (the longest run of matched entries in the same relative order stays put),
so that one insertion does not make every entry after it "moved".

Entries in several sections (``catalog.markdown.placements``): the first appearance of a URL
in README order is the entry itself and is matched as above; its later appearances are its
placements and are not matched as entries. For each matched entry, the set of sections it is
shown in (its own and its placements, old sections mapped to new) is compared: a section gained
is a ``PlacementChange`` "added" ("now also shown in"), one lost is "removed" — never an entry
added or removed. An entry new to the list brings its later appearances as placements added.
An entry the README still shows in its own section keeps it, even when another of its sections
now comes first (sections reordered): nothing changes but the section order. Only when its own
section no longer lists it does the entry move (a section change) to its first appearance.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc
from catalog.markdown.placements import entry_key
from catalog.normalize import normalize_url

Path = tuple[str, ...]  # slugs from the top-level section down

ENTRY_FIELDS = ("title", "url", "description", "extra_links", "tags", "markers", "lead_in")
LIST_FIELDS = ("title", "tagline", "intro", "markers", "footer")


@dataclass(frozen=True, slots=True)
class EntryRef:
    """Where an entry is in one version: its section's slug path and its index there."""

    section: Path
    index: int


@dataclass(frozen=True, slots=True)
class EntryChange:
    kind: Literal["added", "removed", "changed"]
    old: EntryRef | None
    new: EntryRef | None
    old_entry: EntryDoc | None
    new_entry: EntryDoc | None
    # For "changed": the fields that differ, and "section" / "position" when it moved.
    fields: tuple[str, ...] = ()

    @property
    def content_fields(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name in ENTRY_FIELDS)

    @property
    def moved(self) -> bool:
        return "section" in self.fields or "position" in self.fields

    @property
    def title(self) -> str:
        entry = self.new_entry or self.old_entry
        assert entry is not None
        return entry.title


@dataclass(frozen=True, slots=True)
class PlacementChange:
    """An entry now also shown in a section ("added"), or no longer shown there ("removed").

    ``section`` is a path of the new version for "added", of the old one for "removed";
    ``old`` / ``new`` are where the entry itself (its first appearance) is on each side."""

    kind: Literal["added", "removed"]
    section: Path
    old: EntryRef | None
    new: EntryRef | None
    entry: EntryDoc

    @property
    def title(self) -> str:
        return self.entry.title


@dataclass(frozen=True, slots=True)
class SectionChange:
    kind: Literal["added", "removed", "renamed", "moved"]
    old: Path | None
    new: Path | None
    old_title: str = ""
    new_title: str = ""
    new_index: int = 0  # position among its siblings in the new version


@dataclass(frozen=True)
class ChangeSet:
    entries: tuple[EntryChange, ...] = ()
    sections: tuple[SectionChange, ...] = ()
    list_fields: tuple[str, ...] = ()  # what changed of the list itself: intro, footer …
    # Old section path → new section path for every matched section (renamed or moved too).
    section_map: dict[Path, Path] = field(default_factory=dict)
    # New place → old place of every matched entry, changed or not.
    entry_map: dict[EntryRef, EntryRef] = field(default_factory=dict)
    placements: tuple[PlacementChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.entries or self.sections or self.list_fields or self.placements)

    def of_kind(self, kind: str) -> list[EntryChange]:
        return [change for change in self.entries if change.kind == kind]

    def counts(self) -> dict[str, int]:
        changed = [c for c in self.entries if c.kind == "changed"]
        return {
            "entries added": len(self.of_kind("added")),
            "entries removed": len(self.of_kind("removed")),
            "entries changed": sum(1 for c in changed if c.content_fields),
            "entries moved": sum(1 for c in changed if c.moved),
            "sections added": sum(1 for s in self.sections if s.kind == "added"),
            "sections removed": sum(1 for s in self.sections if s.kind == "removed"),
            "sections renamed": sum(1 for s in self.sections if s.kind == "renamed"),
            "sections moved": sum(1 for s in self.sections if s.kind == "moved"),
            "placements added": sum(1 for p in self.placements if p.kind == "added"),
            "placements removed": sum(1 for p in self.placements if p.kind == "removed"),
        }

    def summary(self) -> str:
        counts = self.counts()
        shown = [f"{n} {name}" for name, n in counts.items() if n]
        if self.list_fields:
            shown.append("list " + ", ".join(self.list_fields) + " changed")
        return ", ".join(shown) if shown else "no changes"


def compute_changes(
    old: ListDoc, new: ListDoc, *, old_own: frozenset[EntryRef] = frozenset()
) -> ChangeSet:
    """The change set that turns ``old`` into ``new``.

    ``old_own``: where, on the old side, an entry shown in several sections is the entry
    itself when that is not its first appearance (the database knows its own section); by
    default the first appearance is."""
    old_sections = _flatten(old.sections)
    new_sections = _flatten(new.sections)
    section_map = _match_sections(old_sections, new_sections)
    sections = _section_changes(old_sections, new_sections, section_map)
    entries, entry_map, placements = _entry_changes(
        old_sections, new_sections, section_map, old_own
    )
    list_fields = tuple(name for name in LIST_FIELDS if getattr(old, name) != getattr(new, name))
    return ChangeSet(
        entries=tuple(entries),
        placements=tuple(placements),
        sections=tuple(sections),
        list_fields=list_fields,
        section_map=section_map,
        entry_map=entry_map,
    )


# --- sections -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    path: Path
    doc: SectionDoc
    index: int  # among its siblings


def _flatten(sections: tuple[SectionDoc, ...]) -> dict[Path, _Node]:
    found: dict[Path, _Node] = {}

    def walk(nodes: tuple[SectionDoc, ...], parent: Path) -> None:
        for index, section in enumerate(nodes):
            path = (*parent, section.slug)
            found[path] = _Node(path, section, index)
            walk(section.children, path)

    walk(sections, ())
    return found


def _entry_keys(section: SectionDoc) -> set[str]:
    return {normalize_url(e.url) or f"title:{e.title.casefold()}" for e in section.entries}


def _match_sections(old: dict[Path, _Node], new: dict[Path, _Node]) -> dict[Path, Path]:
    matched = {path: path for path in old if path in new}
    taken = set(matched.values())
    # A section whose slug is unique on both sides but whose parent changed: moved.
    old_by_slug: dict[str, list[Path]] = defaultdict(list)
    new_by_slug: dict[str, list[Path]] = defaultdict(list)
    for path in old:
        if path not in matched:
            old_by_slug[path[-1]].append(path)
    for path in new:
        if path not in taken:
            new_by_slug[path[-1]].append(path)
    for slug, paths in old_by_slug.items():
        if len(paths) == 1 and len(new_by_slug.get(slug, ())) == 1:
            matched[paths[0]] = new_by_slug[slug][0]
            taken.add(new_by_slug[slug][0])
    # Renamed: most of the entries of the new section were in the old one.
    for old_path, node in old.items():
        if old_path in matched:
            continue
        keys = _entry_keys(node.doc)
        best, best_share = None, 0.5
        for new_path, candidate in new.items():
            if new_path in taken:
                continue
            theirs = _entry_keys(candidate.doc)
            if not keys or not theirs:
                continue
            share = len(keys & theirs) / max(len(keys), len(theirs))
            if share > best_share:
                best, best_share = new_path, share
        if best is not None:
            matched[old_path] = best
            taken.add(best)
    # An empty section renamed in place: same parent (matched), same index, nothing else there.
    for old_path, node in old.items():
        if old_path in matched or node.doc.entries:
            continue
        parent = matched.get(old_path[:-1], ()) if len(old_path) > 1 else ()
        for new_path, candidate in new.items():
            if (
                new_path not in taken
                and new_path[:-1] == parent
                and candidate.index == node.index
                and not candidate.doc.entries
            ):
                matched[old_path] = new_path
                taken.add(new_path)
                break
    return matched


def _section_changes(
    old: dict[Path, _Node], new: dict[Path, _Node], matched: dict[Path, Path]
) -> list[SectionChange]:
    changes: list[SectionChange] = []
    taken = set(matched.values())
    reverse = {new_path: old_path for old_path, new_path in matched.items()}
    out_of_place = _reordered_sections(old, new, matched)
    for path, node in new.items():  # README order
        if path not in taken:
            changes.append(
                SectionChange("added", None, path, new_title=node.doc.title, new_index=node.index)
            )
            continue
        old_path = reverse[path]
        old_node = old[old_path]
        if old_node.doc.title != node.doc.title or old_path[-1] != path[-1]:
            changes.append(
                SectionChange(
                    "renamed", old_path, path, old_node.doc.title, node.doc.title, node.index
                )
            )
        old_parent = matched.get(old_path[:-1]) if len(old_path) > 1 else ()
        if old_parent != path[:-1] or path in out_of_place:
            changes.append(
                SectionChange(
                    "moved", old_path, path, old_node.doc.title, node.doc.title, node.index
                )
            )
    for path, node in old.items():
        if path not in matched:
            changes.append(SectionChange("removed", path, None, old_title=node.doc.title))
    return changes


def _reordered_sections(
    old: dict[Path, _Node], new: dict[Path, _Node], matched: dict[Path, Path]
) -> set[Path]:
    """New paths of sections that left the order of their siblings (same parent both sides)."""
    siblings: dict[Path, list[tuple[int, Path]]] = defaultdict(list)
    for old_path, new_path in matched.items():
        old_parent = matched.get(old_path[:-1]) if len(old_path) > 1 else ()
        if old_parent == new_path[:-1]:
            siblings[new_path[:-1]].append((new[new_path].index, new_path))
    reverse = {new_path: old_path for old_path, new_path in matched.items()}
    moved: set[Path] = set()
    for group in siblings.values():
        group.sort()
        old_indexes = [old[reverse[new_path]].index for _, new_path in group]
        keep = _longest_increasing(old_indexes)
        moved.update(path for n, (_, path) in enumerate(group) if n not in keep)
    return moved


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes (into ``values``) of one longest strictly increasing subsequence."""
    if not values:
        return set()
    tails: list[int] = []  # value at the end of the best run of each length
    tail_at: list[int] = []  # its index
    before: list[int] = [-1] * len(values)
    for n, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(n)
        else:
            tails[k] = value
            tail_at[k] = n
        before[n] = tail_at[k - 1] if k else -1
    keep: set[int] = set()
    n = tail_at[-1]
    while n != -1:
        keep.add(n)
        n = before[n]
    return keep


# --- entries --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    ref: EntryRef
    doc: EntryDoc
    key: str  # normalised URL, "" without one


def _items(
    sections: dict[Path, _Node], own: frozenset[EntryRef] = frozenset()
) -> tuple[list[_Item], dict[str, list[EntryRef]]]:
    """The entries (first appearances, README order: ``_flatten`` walks it, or the appearance
    in ``own``) and, by ``entry_key``, every place (one per section) each entry with a URL is
    shown in."""
    items: list[_Item] = []
    item_at: dict[str, int] = {}
    shown_in: dict[str, list[EntryRef]] = {}
    for path, node in sections.items():
        for index, entry in enumerate(node.doc.entries):
            key = entry_key(entry)
            ref = EntryRef(path, index)
            if key:
                if key in shown_in:
                    if all(seen.section != path for seen in shown_in[key]):
                        shown_in[key].append(ref)
                        if ref in own:
                            items[item_at[key]] = _Item(ref, entry, normalize_url(entry.url))
                    continue
                shown_in[key] = [ref]
                item_at[key] = len(items)
            items.append(_Item(ref, entry, normalize_url(entry.url)))
    return items, shown_in


def _shown(item: _Item, shown_in: dict[str, list[EntryRef]]) -> list[EntryRef]:
    key = entry_key(item.doc)
    return shown_in.get(key, [item.ref]) if key else [item.ref]


def _keep_own_sections(
    old_items: list[_Item],
    new_items: list[_Item],
    pairs: dict[int, int],
    new_shown: dict[str, list[EntryRef]],
    section_map: dict[Path, Path],
) -> None:
    """An entry the README still shows in its own section keeps it there, even when another
    of its sections comes first: that appearance is the entry, the others its placements."""
    for n, old_n in pairs.items():
        own = section_map.get(old_items[old_n].ref.section)
        item = new_items[n]
        if own is None or item.ref.section == own:
            continue
        there = next((ref for ref in _shown(item, new_shown) if ref.section == own), None)
        if there is not None:
            new_items[n] = _Item(there, item.doc, item.key)


def _placement_changes(
    old_items: list[_Item],
    new_items: list[_Item],
    pairs: dict[int, int],
    old_shown: dict[str, list[EntryRef]],
    new_shown: dict[str, list[EntryRef]],
    section_map: dict[Path, Path],
) -> list[PlacementChange]:
    """Sections an entry is newly placed in, or no longer shown in. Its own section on either
    side is not a placement: moving there, or away from there, is the entry's own change."""
    changes: list[PlacementChange] = []
    for n, item in enumerate(new_items):
        now = [ref.section for ref in _shown(item, new_shown)]
        old_n = pairs.get(n)
        if old_n is None:
            changes.extend(
                PlacementChange("added", path, None, item.ref, item.doc)
                for path in now
                if path != item.ref.section
            )
            continue
        before = old_items[old_n]
        was = [ref.section for ref in _shown(before, old_shown)]
        was_mapped = {section_map.get(path) for path in was}
        changes.extend(
            PlacementChange("added", path, before.ref, item.ref, item.doc)
            for path in now
            if path not in was_mapped and path != item.ref.section
        )
        changes.extend(
            PlacementChange("removed", path, before.ref, item.ref, item.doc)
            for path in was
            if section_map.get(path) not in now and path != before.ref.section
        )
    return changes


def _entry_changes(
    old_sections: dict[Path, _Node],
    new_sections: dict[Path, _Node],
    section_map: dict[Path, Path],
    old_own: frozenset[EntryRef] = frozenset(),
) -> tuple[list[EntryChange], dict[EntryRef, EntryRef], list[PlacementChange]]:
    (old_items, old_shown), (new_items, new_shown) = (
        _items(old_sections, old_own),
        _items(new_sections),
    )
    pairs: dict[int, int] = {}  # new item index → old item index
    used_old: set[int] = set()

    def pair(new_n: int, old_n: int) -> None:
        pairs[new_n] = old_n
        used_old.add(old_n)

    # 1. normalised URL, anywhere in the list.
    old_by_url: dict[str, int] = {}
    for n, item in enumerate(old_items):
        if item.key:
            old_by_url.setdefault(item.key, n)
    for n, item in enumerate(new_items):
        old_n = old_by_url.get(item.key) if item.key else None
        if old_n is not None and old_n not in used_old:
            pair(n, old_n)
    # 2. title, for entries without a URL on both sides, anywhere in the list (if unique).
    old_by_title: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(old_items):
        if not item.key and n not in used_old:
            old_by_title[item.doc.title.casefold()].append(n)
    for n, item in enumerate(new_items):
        candidates = old_by_title.get(item.doc.title.casefold(), [])
        if (
            n not in pairs
            and not item.key
            and len(candidates) == 1
            and candidates[0] not in used_old
        ):
            pair(n, candidates[0])
    # 3. same title in the same section: the URL changed.
    # 4. same index among the unmatched of the same section, neither with a URL: retitled.
    reverse_map = {new: old for old, new in section_map.items()}
    unmatched_old: dict[Path, list[int]] = defaultdict(list)
    for n, item in enumerate(old_items):
        if n not in used_old:
            unmatched_old[item.ref.section].append(n)
    unmatched_new: dict[Path, list[int]] = defaultdict(list)
    for n, item in enumerate(new_items):
        if n not in pairs:
            unmatched_new[item.ref.section].append(n)
    for new_path, new_ns in unmatched_new.items():
        old_path = reverse_map.get(new_path)
        if old_path is None:
            continue
        candidates = unmatched_old.get(old_path, [])
        for n in new_ns:
            title = new_items[n].doc.title.casefold()
            same = [o for o in candidates if old_items[o].doc.title.casefold() == title]
            if len(same) == 1 and same[0] not in used_old:
                pair(n, same[0])
        rest_old = [o for o in candidates if o not in used_old and not old_items[o].key]
        rest_new = [n for n in new_ns if n not in pairs and not new_items[n].key]
        for n, o in zip(rest_new, rest_old, strict=False):
            pair(n, o)

    _keep_own_sections(old_items, new_items, pairs, new_shown, section_map)
    out_of_order = _reordered_entries(old_items, new_items, pairs, section_map)
    changes: list[EntryChange] = []
    for n, item in enumerate(new_items):
        old_n = pairs.get(n)
        if old_n is None:
            changes.append(EntryChange("added", None, item.ref, None, item.doc))
            continue
        before = old_items[old_n]
        fields = [
            name for name in ENTRY_FIELDS if getattr(before.doc, name) != getattr(item.doc, name)
        ]
        if section_map.get(before.ref.section) != item.ref.section:
            fields.append("section")
        elif n in out_of_order:
            fields.append("position")
        if fields:
            changes.append(
                EntryChange("changed", before.ref, item.ref, before.doc, item.doc, tuple(fields))
            )
    for o, item in enumerate(old_items):
        if o not in used_old:
            changes.append(EntryChange("removed", item.ref, None, item.doc, None))
    entry_map = {new_items[n].ref: old_items[o].ref for n, o in pairs.items()}
    placements = _placement_changes(old_items, new_items, pairs, old_shown, new_shown, section_map)
    return changes, entry_map, placements


def _reordered_entries(
    old_items: list[_Item],
    new_items: list[_Item],
    pairs: dict[int, int],
    section_map: dict[Path, Path],
) -> set[int]:
    """New item indexes of entries that stayed in their section but left its order."""
    by_section: dict[Path, list[int]] = defaultdict(list)
    for n, item in enumerate(new_items):
        old_n = pairs.get(n)
        if old_n is not None and section_map.get(old_items[old_n].ref.section) == item.ref.section:
            by_section[item.ref.section].append(n)
    moved: set[int] = set()
    for ns in by_section.values():
        old_indexes = [old_items[pairs[n]].ref.index for n in ns]
        keep = _longest_increasing(old_indexes)
        moved.update(n for k, n in enumerate(ns) if k not in keep)
    return moved


# --- the readable diff ----------------------------------------------------------------------


def _where(path: Path | None, titles: dict[Path, str]) -> str:
    if not path:
        return "?"
    return " › ".join(titles.get(path[: n + 1], path[n]) for n in range(len(path)))


def format_changes(
    changes: ChangeSet,
    *,
    old: ListDoc,
    new: ListDoc,
    lines: dict[EntryRef, int] | None = None,
    limit: int | None = None,
) -> str:
    """The change set as text: counts first, then one line per change (``lines``: the README
    line of each new entry, when known)."""
    old_titles = {path: node.doc.title for path, node in _flatten(old.sections).items()}
    new_titles = {path: node.doc.title for path, node in _flatten(new.sections).items()}
    lines = lines or {}
    out = [f"Change set: {changes.summary()}."]
    for section in changes.sections:
        if section.kind == "added":
            out.append(f"  + section {_where(section.new, new_titles)}")
        elif section.kind == "removed":
            out.append(f"  - section {_where(section.old, old_titles)}")
        elif section.kind == "renamed":
            out.append(f"  ~ section “{section.old_title}” renamed “{section.new_title}”")
        else:
            out.append(
                f"  ↕ section “{section.new_title}” moved: {_where(section.old, old_titles)} "
                f"→ {_where(section.new, new_titles)}"
            )
    for shown, change in enumerate(changes.entries):
        if limit is not None and shown >= limit:
            out.append(f"  … and {len(changes.entries) - shown} more entry changes")
            break
        line = f" (line {lines[change.new]})" if change.new in lines else ""
        if change.kind == "added":
            assert change.new_entry is not None
            out.append(
                f"  + {change.new_entry.title} <{change.new_entry.url or 'no link'}> "
                f"in {_where(change.new.section if change.new else None, new_titles)}{line}"
            )
        elif change.kind == "removed":
            assert change.old_entry is not None
            out.append(
                f"  - {change.old_entry.title} <{change.old_entry.url or 'no link'}> "
                f"from {_where(change.old.section if change.old else None, old_titles)}"
            )
        else:
            assert change.old_entry is not None
            assert change.new_entry is not None
            out.append(f"  ~ {change.title}{line}")
            for name in change.content_fields:
                before = getattr(change.old_entry, name)
                after = getattr(change.new_entry, name)
                out.append(f"      {name}: {_show(before)} → {_show(after)}")
            if "section" in change.fields:
                before_path = change.old.section if change.old else None
                after_path = change.new.section if change.new else None
                out.append(
                    f"      section: {_where(before_path, old_titles)}"
                    f" → {_where(after_path, new_titles)}"
                )
            elif "position" in change.fields and change.new is not None:
                out.append(f"      position: moved to {change.new.index + 1}")
    for placement in changes.placements:
        if placement.kind == "added":
            out.append(
                f"  + {placement.title} now also shown in {_where(placement.section, new_titles)}"
            )
        else:
            out.append(
                f"  - {placement.title} no longer shown in {_where(placement.section, old_titles)}"
            )
    for name in changes.list_fields:
        out.append(f"  ~ list {name} changed")
    return "\n".join(out)


def _show(value: object) -> str:
    if isinstance(value, tuple):
        parts = [
            f"{item.label}: {item.url}" if hasattr(item, "label") else str(item) for item in value
        ]
        return "(" + ", ".join(parts) + ")" if parts else "(none)"
    text = str(value)
    return f"“{text[:117]}…”" if len(text) > 120 else f"“{text}”"
