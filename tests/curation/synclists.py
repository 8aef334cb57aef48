"""Generated lists for the sync's size tests and ``bench/sync.py``: a list of any size, and the
same list with ``n`` changes of every kind spread over it."""

from __future__ import annotations

from dataclasses import replace

from catalog.markdown.document import (
    EntryDoc,
    ExtraLinkDoc,
    FooterBlock,
    ListDoc,
    MarkerDef,
    SectionDoc,
)


def generated_list(entries: int, per_section: int = 50) -> ListDoc:
    """``entries`` entries in sections of ``per_section`` (each with a small subsection)."""
    sections = []
    for s in range(max(1, entries // per_section)):
        docs = tuple(
            EntryDoc(
                title=f"Tool {s}-{n}",
                url=f"https://tools.example.org/{s}/{n}",
                description=f"Does thing {n} of group {s}.",
                extra_links=(ExtraLinkDoc("Source Code", f"https://src.example.org/{s}/{n}"),)
                if n % 3 == 0
                else (),
                markers=("⭐",) if n % 10 == 0 else (),
                tags=("Python",) if n % 4 == 0 else (),
            )
            for n in range(min(per_section, entries))
        )
        child = SectionDoc(title=f"Group {s} Extras", slug=f"group-{s}-extras", entries=docs[:5])
        sections.append(
            SectionDoc(title=f"Group {s}", slug=f"group-{s}", entries=docs[5:], children=(child,))
        )
    return ListDoc(
        title="Awesome Generated",
        tagline="A generated list.",
        markers=(MarkerDef("⭐", "star", "Recommended"),),
        sections=tuple(sections),
        footer=(FooterBlock("Contributing", "Send a pull request."),),
    )


KINDS = ("added", "removed", "description", "url", "moved")


def with_changes(doc: ListDoc, n: int) -> ListDoc:
    """``doc`` with ``n`` changes, one of each kind in turn, each in a section of its own (spread
    over the list): an entry added at the top, one removed, a description edited, a URL
    changed, an entry moved to the end of the next section. With at least 2n sections no two
    changes touch the same section, so two lists get the same work whatever their size."""
    sections = [list(section.entries) for section in doc.sections]
    count = len(sections)
    step = max(1, count // max(1, n))
    for i in range(n):
        kind, s = KINDS[i % len(KINDS)], (i * step) % count
        entries = sections[s]
        if kind == "added":
            entries.insert(0, EntryDoc(f"New Tool {i}", f"https://new.example.org/{i}", "New."))
        elif kind == "removed":
            entries.pop(len(entries) // 2)
        elif kind == "description":
            k = len(entries) // 3
            entries[k] = replace(entries[k], description=f"Edited in change {i}.")
        elif kind == "url":
            k = len(entries) // 4
            entries[k] = replace(entries[k], url=entries[k].url + f"/moved-{i}")
        else:
            sections[(s + 1) % count].append(entries.pop(len(entries) - 2))
    return replace(
        doc,
        sections=tuple(
            replace(section, entries=tuple(entries))
            for section, entries in zip(doc.sections, sections, strict=True)
        ),
    )
