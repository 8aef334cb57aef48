"""What an edit carries: an entry's editable content as plain data.

The admin, the API and the public form build an ``EntryContent``; the services compare it with
the stored entry, apply it, and copy it from a proposal into the live entry or from a
historical version back into the entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max

from catalog.models import Entry, ExtraLink, Marker, Section
from catalog.normalize import normalize_url


@dataclass(frozen=True)
class LinkData:
    label: str
    url: str


@dataclass(frozen=True)
class EntryContent:
    section: Section
    title: str
    url: str = ""
    description: str = ""
    marker_ids: frozenset[int] = field(default_factory=frozenset)
    tags: tuple[str, ...] = ()
    extra_links: tuple[LinkData, ...] = ()
    # (label, value) pairs from a table's columns, in column order (catalog.columns).
    attributes: tuple[tuple[str, str], ...] = ()
    # None: keep the entry's place (or take the next free one in a new section).
    position: int | None = None
    # Text the section shows right before the entry (Entry.lead_in); None: keep the entry's.
    lead_in: str | None = None

    @classmethod
    def of(cls, entry: Entry) -> EntryContent:
        return cls(
            section=entry.section,
            title=entry.title,
            url=entry.url,
            description=entry.description,
            marker_ids=frozenset(entry.markers.values_list("pk", flat=True)),
            tags=tuple(sorted(entry.tags.names())),
            extra_links=tuple(
                LinkData(link.label, link.url) for link in entry.extra_links.order_by("position")
            ),
            attributes=_pairs(entry.attributes),
            position=entry.position,
            lead_in=entry.lead_in,
        )

    @classmethod
    def from_history(cls, record: Any) -> EntryContent:
        """The content of one historical version of an entry (see ``Entry.history``)."""
        entry_id = record.id
        when = record.history_date
        section = Section.objects.filter(pk=record.section_id).first()
        if section is None:
            raise ValidationError(
                "The section this version was in no longer exists; move the entry by hand."
            )
        markers = {row.marker_id for row in record.markers.all()}
        tagged = Entry.tags.through.history.as_of(when).filter(content_object_id=entry_id)
        links = ExtraLink.history.as_of(when).filter(entry_id=entry_id)
        return cls(
            section=section,
            title=record.title,
            url=record.url,
            description=record.description,
            marker_ids=frozenset(
                Marker.objects.filter(pk__in=markers).values_list("pk", flat=True)
            ),
            tags=tuple(sorted(t.tag.name for t in tagged.select_related("tag"))),
            extra_links=tuple(
                LinkData(link.label, link.url) for link in sorted(links, key=lambda x: x.position)
            ),
            attributes=_pairs(record.attributes),
            position=None,
            lead_in=record.lead_in,
        )

    def changed_fields(self, other: EntryContent) -> list[str]:
        """Names of what differs from ``other`` (a position of None differs from nothing)."""
        names = ["title", "url", "description", "marker_ids", "tags", "extra_links", "attributes"]
        changed = [name for name in names if getattr(self, name) != getattr(other, name)]
        if self.section.pk != other.section.pk:
            changed.insert(0, "section")
        if self.position is not None and self.position != other.position:
            changed.append("position")
        if self.lead_in is not None and self.lead_in != other.lead_in:
            changed.append("lead_in")
        return changed


def _pairs(attributes: list[dict[str, str]] | None) -> tuple[tuple[str, str], ...]:
    return tuple((item["label"], item["value"]) for item in attributes or ())


def next_position(section: Section) -> int:
    highest = (
        Entry.objects.live_versions()
        .filter(section=section)
        .aggregate(highest=Max("position"))["highest"]
    )
    return 0 if highest is None else highest + 1


def apply_fields(entry: Entry, content: EntryContent) -> None:
    """Set the entry's own columns from ``content`` (not saved)."""
    moved = entry.section_id != content.section.pk
    entry.section = content.section
    entry.curated_list_id = content.section.curated_list_id
    entry.title = content.title
    entry.url = content.url
    entry.normalized_url = normalize_url(content.url)
    entry.description = content.description
    entry.attributes = [{"label": label, "value": value} for label, value in content.attributes]
    if content.lead_in is not None:
        entry.lead_in = content.lead_in
    if content.position is not None:
        entry.position = content.position
    elif entry.proposal_for_id is not None:
        pass  # a proposal sits where its live entry does until it is merged
    elif moved or entry.pk is None:
        entry.position = next_position(content.section)


def check_markers(content: EntryContent) -> None:
    foreign = Marker.objects.filter(pk__in=content.marker_ids).exclude(
        curated_list_id=content.section.curated_list_id
    )
    if foreign:
        raise ValidationError(
            {
                "markers": "Markers come from the list's own legend: "
                + ", ".join(str(m) for m in foreign)
                + " belong to another list."
            }
        )


def apply_relations(entry: Entry, content: EntryContent) -> None:
    """Write markers, tags and extra links of a saved entry, touching only what differs."""
    if set(entry.markers.values_list("pk", flat=True)) != set(content.marker_ids):
        entry.markers.set(list(content.marker_ids))
    if sorted(entry.tags.names()) != sorted(content.tags):
        entry.tags.set(list(content.tags))
    current = [(link.label, link.url) for link in entry.extra_links.order_by("position")]
    wanted = [(link.label, link.url) for link in content.extra_links]
    if current != wanted:
        for link in entry.extra_links.all():
            link.delete()  # one by one, so each deletion is in ExtraLink.history
        for position, (label, url) in enumerate(wanted):
            link = ExtraLink(entry=entry, label=label, url=url, position=position)
            link.full_clean(exclude=["entry"])
            link.save()
