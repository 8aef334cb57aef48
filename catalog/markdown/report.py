"""What an import did: counts, duplicates, repairs, links set aside, and what it did not understand.

The import command prints it, the admin shows it as a preview before the curator confirms, and
the tests read it to check that no link was dropped silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Reasons for setting a link aside. Only these may drop a link from the export: everything else
# ends up in an entry, an extra link or kept Markdown.
BADGE = "badge"
TOC_ANCHOR = "table-of-contents anchor"
BACK_TO_TOP = "back-to-top link"
DROPPED_REASONS = frozenset({BADGE, TOC_ANCHOR, BACK_TO_TOP})


@dataclass(frozen=True, slots=True)
class Location:
    line: int | None
    path: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = " › ".join(self.path) or "(top of the list)"
        return f"line {self.line}: {where}" if self.line is not None else where


@dataclass(frozen=True, slots=True)
class Duplicate:
    url: str
    first: Location
    second: Location
    what: str = "entry"  # what happened to the second one: "entry" merged, "prose link" unlinked


@dataclass(frozen=True, slots=True)
class Placement:
    """The same URL again in another section: one entry, shown in both (``further``)."""

    url: str
    first: Location
    further: Location


@dataclass(frozen=True, slots=True)
class Repair:
    kind: str
    detail: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class SetAside:
    url: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class NotUnderstood:
    line: int | None
    text: str
    reason: str
    urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkTally:
    """Where each distinct http(s) URL of the source went (``links.record``): every one is in
    exactly one bucket, the first that applies in this order, and ``lost`` must be empty for an
    import to be written."""

    source: int = 0
    entries: int = 0
    extra_links: int = 0
    prose: int = 0
    decoration: int = 0
    duplicates: int = 0
    not_understood: int = 0
    lost: tuple[str, ...] = ()

    def format(self) -> str:
        return (
            f"Links: {self.source} in the source: {self.entries} entries, "
            f"{self.extra_links} extra links, {self.prose} kept in prose, "
            f"{self.decoration} decoration, {self.duplicates} duplicates, "
            f"{self.not_understood} not understood, {len(self.lost)} lost"
        )


@dataclass(slots=True)
class ImportReport:
    sections: int = 0
    entries: int = 0
    extra_links: int = 0
    prose_links: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    not_understood: list[NotUnderstood] = field(default_factory=list)
    # Filled by ``links.record`` once the document is built (None until then).
    links: LinkTally | None = None

    @property
    def lost(self) -> tuple[str, ...]:
        """Source links in neither the document nor the report: an import refuses to write."""
        return self.links.lost if self.links is not None else ()

    # Entries the database cannot hold (catalog.validation): left out, the rest imported.
    refused: list[SetAside] = field(default_factory=list)

    def repair(self, kind: str, detail: str = "", line: int | None = None) -> None:
        self.repairs.append(Repair(kind, detail, line))

    def aside(self, url: str, reason: str, line: int | None = None) -> None:
        self.set_aside.append(SetAside(url, reason, line))

    def refuse(self, reason: str, url: str = "") -> None:
        self.refused.append(SetAside(url, reason))

    def puzzled(self, line: int | None, text: str, reason: str, urls: tuple[str, ...] = ()) -> None:
        self.not_understood.append(NotUnderstood(line, text, reason, urls))

    def repair_counts(self) -> Counter[str]:
        return Counter(repair.kind for repair in self.repairs)

    def format(self, *, limit: int = 50) -> str:
        """The report as a person reads it; ``limit`` caps each detailed list."""
        lines = [
            f"Sections: {self.sections}",
            f"Entries: {self.entries}",
            f"Extra links: {self.extra_links}",
            f"Prose links kept: {self.prose_links}",
        ]
        if self.duplicates:
            lines.append(f"Duplicates ({len(self.duplicates)}):")
            for dup in self.duplicates[:limit]:
                lines.append(
                    f"  {dup.url}\n    first  {dup.first}\n    again  {dup.second} ({dup.what})"
                )
            _more(lines, len(self.duplicates), limit)
        if self.placements:
            count = len(self.placements)
            plural = "" if count == 1 else "s"
            lines.append(f"Entries placed in several sections ({count} placement{plural}):")
            for placed in self.placements[:limit]:
                lines.append(
                    f"  {placed.url}\n    entry  {placed.first}\n    also   {placed.further}"
                )
            _more(lines, len(self.placements), limit)
        if self.repairs:
            lines.append(f"Repairs ({len(self.repairs)}):")
            for kind, count in sorted(self.repair_counts().items()):
                lines.append(f"  {kind}: {count}")
            for repair in self.repairs[:limit]:
                where = f"line {repair.line}: " if repair.line is not None else ""
                if repair.detail:
                    lines.append(f"    {where}{repair.kind}: {repair.detail}")
            _more(lines, len(self.repairs), limit)
        if self.links is not None:
            lines.append(self.links.format())
            for url in self.links.lost[:limit]:
                lines.append(f"  LOST (no reason, the import refuses to write): {url}")
            _more(lines, len(self.links.lost), limit)
        if self.set_aside:
            reasons = Counter(item.reason for item in self.set_aside)
            summary = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
            lines.append(f"Links set aside ({len(self.set_aside)}): {summary}")
            for aside in self.set_aside[:limit]:
                where = f"line {aside.line}" if aside.line is not None else "(no line)"
                lines.append(f"  {where}: {aside.reason}: {aside.url}")
            _more(lines, len(self.set_aside), limit)
        if self.refused:
            lines.append(
                f"Entries not imported ({len(self.refused)} problems; every other entry was"
                " imported):"
            )
            for refused in self.refused[:limit]:
                lines.append(f"  {refused.reason}")
            _more(lines, len(self.refused), limit)
        if self.not_understood:
            lines.append(f"Not understood ({len(self.not_understood)}):")
            for item in self.not_understood[:limit]:
                lines.append(f"  line {item.line}: {item.reason}: {item.text[:120]}")
            _more(lines, len(self.not_understood), limit)
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.format()


def _more(lines: list[str], total: int, limit: int) -> None:
    if total > limit:
        lines.append(f"  … and {total - limit} more")
