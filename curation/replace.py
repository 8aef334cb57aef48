"""What a replace import (admin "Import README") would destroy or change, counted before it runs.

The preview shows this in full and asks for the list's slug typed out before anything is
replaced; a list with editorial history is refused outright (``catalog.importer.refuse_replace``)
and pointed at "Sync from README". Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from catalog.export import list_document
from catalog.markdown.document import ListDoc, SectionDoc
from catalog.models import CuratedList, Entry, EntryStatus, Marker, Section
from curation.models import Review, WorkflowEvent
from curation.public.models import Suggestion


@dataclass(frozen=True)
class ListChange:
    """One property of the list the README brings a different value for."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ReplaceImpact:
    entries: int = 0
    # (state label, count), in the workflow's order, states with no entry left out.
    entries_by_state: list[tuple[str, int]] = field(default_factory=list)
    proposals: int = 0
    suggestions: int = 0
    reviews: int = 0
    events: int = 0
    # Title paths of the list's sections the README has no heading for (deleted with it).
    removed_sections: list[str] = field(default_factory=list)
    changes: list[ListChange] = field(default_factory=list)

    @property
    def destroys(self) -> bool:
        return bool(
            self.entries or self.suggestions or self.reviews or self.events or self.removed_sections
        )

    @property
    def needs_confirmation(self) -> bool:
        """The slug is typed out before anything made is deleted. Into a list with no entries
        yet (made to import into), the preview's table of changes and the button suffice."""
        return self.destroys

    @property
    def anything(self) -> bool:
        return self.destroys or bool(self.changes)


def _legend(symbols_and_labels: list[tuple[str, str]]) -> str:
    return "; ".join(f"{symbol} {label}" for symbol, label in symbols_and_labels) or "(none)"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def list_changes(curated_list: CuratedList, doc: ListDoc) -> list[ListChange]:
    """The list's own properties an import of ``doc`` would overwrite with something else."""
    changes = []

    def compare(label: str, before: str, after: str) -> None:
        if before.strip() != after.strip():
            changes.append(ListChange(label, _short(before) or "(none)", _short(after) or "(none)"))

    compare("Title", curated_list.title, doc.title)
    compare("Tagline", curated_list.tagline, doc.tagline)
    # As the README reads them: links stored by section identity become anchors again.
    current = list_document(curated_list)
    compare("Introduction", current.intro, doc.intro)
    compare("Licence", curated_list.license, doc.license)
    compare("Ordering", curated_list.ordering, doc.ordering)
    if doc.repository_url:  # an import without one keeps the list's repository
        compare("Repository", curated_list.repository_url, doc.repository_url)
    legend_before = list(
        Marker.objects.filter(curated_list=curated_list).values_list("symbol", "label")
    )
    legend_after = [(m.symbol, m.label) for m in doc.markers]
    if legend_before != legend_after:
        changes.append(ListChange("Legend", _legend(legend_before), _legend(legend_after)))
    footer_before = [(block.title, block.body) for block in current.footer]
    footer_after = [(b.title, b.body) for b in doc.footer]
    if footer_before != footer_after:
        changes.append(
            ListChange(
                "Footer",
                ", ".join(title for title, _ in footer_before) or "(none)",
                ", ".join(title for title, _ in footer_after) or "(none)",
            )
        )
    return changes


def _doc_paths(
    sections: tuple[SectionDoc, ...], prefix: tuple[str, ...] = ()
) -> set[tuple[str, ...]]:
    paths: set[tuple[str, ...]] = set()
    for doc in sections:
        paths.add((*prefix, doc.slug))
        paths |= _doc_paths(doc.children, (*prefix, doc.slug))
    return paths


def removed_sections(curated_list: CuratedList, doc: ListDoc) -> list[str]:
    """The sections the import deletes: matched by their slug path, as the importer does."""
    sections = list(Section.objects.filter(curated_list=curated_list).order_by("tree_path", "pk"))
    by_pk = {section.pk: section for section in sections}
    kept = _doc_paths(doc.sections)
    removed = []
    for section in sections:
        path: list[str] = []
        node: Section | None = section
        while node is not None and len(path) <= len(by_pk):  # the bound stops a corrupt cycle
            path.append(node.slug)
            node = by_pk.get(node.parent_id) if node.parent_id else None
        if tuple(reversed(path)) not in kept:
            removed.append(str(section))
    return removed


def replace_impact(curated_list: CuratedList, doc: ListDoc) -> ReplaceImpact:
    """Everything importing ``doc`` over ``curated_list`` would delete or overwrite."""
    entries = Entry.objects.filter(curated_list=curated_list)
    by_state = dict(
        entries.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return ReplaceImpact(
        entries=sum(by_state.values()),
        entries_by_state=[
            (label, by_state[value]) for value, label in EntryStatus.choices if by_state.get(value)
        ],
        proposals=entries.filter(proposal_for__isnull=False).count(),
        suggestions=Suggestion.objects.filter(entry__curated_list=curated_list).count(),
        reviews=Review.objects.filter(entry__curated_list=curated_list).count(),
        events=WorkflowEvent.objects.filter(entry__curated_list=curated_list).count(),
        removed_sections=removed_sections(curated_list, doc),
        changes=list_changes(curated_list, doc),
    )
