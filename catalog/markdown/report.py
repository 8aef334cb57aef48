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


@dataclass(slots=True)
class ImportReport:
    sections: int = 0
    entries: int = 0
    extra_links: int = 0
    prose_links: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    not_understood: list[NotUnderstood] = field(default_factory=list)
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
        if self.repairs:
            lines.append(f"Repairs ({len(self.repairs)}):")
            for kind, count in sorted(self.repair_counts().items()):
                lines.append(f"  {kind}: {count}")
            for repair in self.repairs[:limit]:
                where = f"line {repair.line}: " if repair.line is not None else ""
                if repair.detail:
                    lines.append(f"    {where}{repair.kind}: {repair.detail}")
            _more(lines, len(self.repairs), limit)
        if self.set_aside:
            reasons = Counter(item.reason for item in self.set_aside)
            summary = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
            lines.append(f"Links set aside ({len(self.set_aside)}): {summary}")
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
