"""A proposal next to its live entry: what changed, word by word, for reviewers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalog.models import Entry, Marker
from curation.services.content import EntryContent

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffRow:
    field: str
    live: SafeString
    proposed: SafeString


def inline_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML, removed words in <del> on the left, added ones in <ins> on the right."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    # Every piece was escaped above.
    return mark_safe("".join(left)), mark_safe("".join(right))


def _items(values: list[str], others: list[str], tag: str) -> SafeString:
    """A comma-separated list; the items missing from ``others`` wrapped in ``tag``."""
    if not values:
        return mark_safe("—")
    parts = [f"<{tag}>{escape(v)}</{tag}>" if v not in others else str(escape(v)) for v in values]
    return mark_safe(", ".join(parts))


def proposal_diff(proposal: Entry) -> list[DiffRow]:
    """The fields that differ between a proposal and its live entry (empty when none do)."""
    live = Entry.objects.select_related("section").get(pk=proposal.proposal_for_id)
    return content_diff(EntryContent.of(live), EntryContent.of(proposal))


def content_diff(old: EntryContent, new: EntryContent) -> list[DiffRow]:
    """Every field that differs between two contents of an entry, in full, word by word for
    texts: what a reviewer reads for a proposal, and the history for two versions."""
    rows = []
    for label, a, b in (
        ("section", str(old.section), str(new.section)),
        ("title", old.title, new.title),
        ("URL", old.url, new.url),
        ("description", old.description, new.description),
        ("text before it", old.lead_in or "", new.lead_in or ""),
    ):
        if a != b:
            rows.append(DiffRow(label, *inline_diff(a, b)))
    names = dict(
        Marker.objects.filter(pk__in=old.marker_ids | new.marker_ids).values_list("pk", "symbol")
    )
    for label, a_list, b_list in (
        (
            "markers",
            sorted(names[pk] for pk in old.marker_ids),
            sorted(names[pk] for pk in new.marker_ids),
        ),
        ("tags", list(old.tags), list(new.tags)),
        (
            "extra links",
            [f"{x.label}: {x.url}" for x in old.extra_links],
            [f"{x.label}: {x.url}" for x in new.extra_links],
        ),
        (
            "attributes",
            [f"{label}: {value}" for label, value in old.attributes],
            [f"{label}: {value}" for label, value in new.attributes],
        ),
    ):
        if a_list != b_list:
            rows.append(
                DiffRow(label, _items(a_list, b_list, "del"), _items(b_list, a_list, "ins"))
            )
    return rows
