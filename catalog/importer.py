"""The database edge of the import: bytes a curator brings → a ``ListDoc`` → rows, all or nothing.

Parsing is pure (``catalog.markdown.parse``). Here: refusing what cannot be a README with one
clear message, and writing a document into a list inside one transaction with bulk inserts, so a
failure half way leaves the database as it was and a 3,000-entry list imports in seconds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from taggit.models import Tag

from catalog import section_links
from catalog.columns import attributes_json, columns_json
from catalog.markdown.bounds import count_items, count_links
from catalog.markdown.decode import UnreadableInput, decode_bytes
from catalog.markdown.document import ListDoc, SectionDoc, count_entries, iter_sections
from catalog.markdown.parse import parse_files
from catalog.markdown.placements import entry_key
from catalog.markdown.report import ImportReport
from catalog.models import (
    CuratedList,
    Entry,
    EntryPlacement,
    EntrySource,
    EntryStatus,
    ExtraLink,
    FooterBlock,
    Marker,
    Section,
    TaggedEntry,
)
from catalog.normalize import normalize_url
from catalog.validation import screen

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The largest real README we know (awesome-go) is 0.4 MB; 5 MB leaves room and refuses garbage.
MAX_README_BYTES = 5 * 1024 * 1024
# Reading costs by the item and the link, not by the byte: 5 MB of tiny items is 143,000 of
# them, 28 s of CPU and 806 MB (issue 17). The largest real list has 3,187 items, and 3,744
# links, by these counts (catalog.markdown.bounds, before any parsing); six to eight times that
# leaves room to grow and reads in about 5-8 s of CPU (bench/huge_readme.py). Every way in
# reads through ``read_readme``: the admin's import and sync, import_readme, sync_readme.
# See docs/markdown.md.
MAX_README_ITEMS = 20_000
MAX_README_LINKS = 30_000


class ImportRefused(ValidationError):
    """The input cannot be imported; the message says why in one sentence."""


@dataclass(frozen=True)
class ImportOutcome:
    curated_list: CuratedList
    created_list: bool
    sections: int
    entries: int
    extra_links: int
    replaced_entries: int


# What a list's editorial life holds beyond its published entries, in words ("3 reviews"), for
# the refusal of a replace. Reviews, workflow events and memberships are curation's: it
# registers a probe in ``CurationConfig.ready`` (catalog never imports curation).
HistoryProbe = Callable[[CuratedList], list[str]]
history_probes: list[HistoryProbe] = []


def editorial_history(curated_list: CuratedList) -> list[str]:
    """What a replace would destroy: empty for a list nobody has worked on since its import."""
    found = []
    pending = (
        Entry.objects.filter(curated_list=curated_list)
        .exclude(status=EntryStatus.PUBLISHED, proposal_for__isnull=True)
        .count()
    )
    if pending:
        found.append(
            f"{pending} entries that are not simply published (drafts, submissions, proposals, "
            "archived or rejected entries)"
        )
    for probe in history_probes:
        found.extend(probe(curated_list))
    return found


def refuse_replace(curated_list: CuratedList) -> None:
    """Refuse a replace of a list with editorial history, pointing at the sync that keeps it."""
    history = editorial_history(curated_list)
    if history:
        slug = curated_list.slug
        raise ImportRefused(
            f'The list "{slug}" has editorial history that replacing would destroy: '
            + "; ".join(history)
            + f". Bring the README in as a change set instead: python manage.py sync_readme "
            f'{slug} README.md (or "Sync from README" on the list\'s admin page), which keeps '
            "ids, reviews, pending work and memberships."
        )


def read_readme(
    data: bytes, *, title: str | None = None, licence: bytes | None = None
) -> tuple[ListDoc, ImportReport]:
    """Parse README bytes (and an exported ``license.md``, if given) or refuse them in words."""
    if len(data) > MAX_README_BYTES:
        raise ImportRefused(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; a README may be at most "
            f"{MAX_README_BYTES // 1024 // 1024} MB."
        )
    refuse_oversized(data)
    try:
        files = {"README.md": decode_bytes(data)}
        if licence:
            files["license.md"] = decode_bytes(licence)
    except UnreadableInput as error:
        raise ImportRefused(f"This is not a README that can be imported: {error}.") from error
    # Every import accounts for every link of the source (``report.links``); ``store_document``
    # refuses a report with a link lost without a reason.
    doc, report = parse_files(files, account=True)
    if title:
        doc = _with_title(doc, title)
    doc = _screened(doc, report)
    if count_entries(doc) == 0:
        raise ImportRefused(
            "No list items with links were found: this does not look like an awesome list. "
            "Nothing was imported."
        )
    return doc, report


def refuse_oversized(data: bytes) -> None:
    """Refuse, before parsing it, a README with more items or links than an import reads."""
    for count, limit, what in (
        (count_items(data), MAX_README_ITEMS, "list items or table rows"),
        (count_links(data), MAX_README_LINKS, "links"),
    ):
        if count > limit:
            raise ImportRefused(
                f"The README has {count:,} {what}; an import reads at most {limit:,}, so that "
                "it finishes in seconds. Nothing was imported: split the list, or import it "
                "in parts."
            )


def refuse_lost_links(report: ImportReport) -> None:
    """Refuse, in words, an import that would lose links of the source without a reason."""
    lost = report.lost
    if lost:
        shown = ", ".join(lost[:5]) + (f" and {len(lost) - 5} more" if len(lost) > 5 else "")
        raise ImportRefused(
            f"{len(lost)} link{'s' if len(lost) != 1 else ''} of the README would be lost "
            f"without a reason ({shown}): nothing was imported. Please report this README."
        )


def _screened(doc: ListDoc, report: ImportReport) -> ListDoc:
    """``doc`` without the entries the database cannot hold (each named in the report, the
    rest imported); refused as a whole when the list itself holds such a value (a section
    title, the legend, the footer), since leaving that out would change the list's shape."""
    screened = screen(doc)
    if screened.fatal:
        shown = "; ".join(str(problem) for problem in screened.fatal[:5])
        more = f" (and {len(screened.fatal) - 5} more)" if len(screened.fatal) > 5 else ""
        raise ImportRefused(f"Nothing was imported: {shown}{more}")
    if screened.refused:
        kept = count_entries(screened.doc)
        report.entries -= count_entries(doc) - kept
        for problem in screened.refused:
            report.refuse(str(problem), problem.url)
    return screened.doc


def _with_title(doc: ListDoc, title: str) -> ListDoc:
    return dataclasses.replace(doc, title=title)


@transaction.atomic
def store_document(
    doc: ListDoc,
    *,
    slug: str,
    replace: bool = False,
    submitted_by: User | None = None,
    report: ImportReport | None = None,
) -> ImportOutcome:
    """Write ``doc`` into the list ``slug`` (created if missing) as published entries.

    A list that already has entries is refused unless ``replace`` is true, in which case its
    sections, entries, legend and footer are replaced. Given the import's ``report``, an import
    that would lose a source link without a reason is refused. Runs in one transaction.
    """
    if report is not None:
        refuse_lost_links(report)
    curated_list = CuratedList.objects.select_for_update().filter(slug=slug).first()
    created = curated_list is None
    if curated_list is None:
        curated_list = CuratedList(slug=slug)
    existing = 0 if created else curated_list.entries.count()
    if existing and not replace:
        raise ImportRefused(
            f'The list "{slug}" already has {existing} entries. Import with --replace to '
            "replace its sections, entries, legend and footer, or choose another list."
        )
    if existing and replace:
        refuse_replace(curated_list)
    curated_list.title = doc.title
    curated_list.tagline = doc.tagline
    curated_list.intro = doc.intro
    curated_list.license = doc.license
    curated_list.ordering = doc.ordering
    if doc.repository_url:
        curated_list.repository_url = doc.repository_url
    curated_list.full_clean()
    curated_list.save()

    if not created:
        Entry.objects.filter(curated_list=curated_list).delete()
        Marker.objects.filter(curated_list=curated_list).delete()
        FooterBlock.objects.filter(curated_list=curated_list).delete()

    markers = Marker.objects.bulk_create(
        Marker(curated_list=curated_list, symbol=m.symbol, slug=m.slug, label=m.label, position=n)
        for n, m in enumerate(doc.markers)
    )
    FooterBlock.objects.bulk_create(
        FooterBlock(curated_list=curated_list, title=b.title, body=b.body, position=n)
        for n, b in enumerate(doc.footer)
    )
    writer = _Writer(curated_list, {m.symbol: m for m in markers}, submitted_by)
    writer.write_sections(doc.sections, parent=None, path=())
    writer.link_sections_by_identity(doc)
    writer.remove_unused_sections()
    Section.objects.renumber(curated_list)
    writer.flush()
    transaction.on_commit(_refresh_statistics, robust=True)
    return ImportOutcome(
        curated_list=curated_list,
        created_list=created,
        sections=writer.section_count,
        entries=len(writer.entries),
        extra_links=len(writer.links),
        replaced_entries=existing,
    )


def _refresh_statistics() -> None:
    """After a bulk import, PostgreSQL's planner still believes the tables as they were (empty,
    on a new site) until autovacuum gets round to them, and picks sequential scans where the
    search index would do: a search of awesome-go took 125 ms instead of 49 ms until then."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE catalog_entry, catalog_section, catalog_extralink, catalog_taggedentry"
        )


class _Writer:
    """Collects rows level by level and inserts them in bulk.

    Sections that already exist at the same slug path are kept and updated, not recreated, so
    what points at them (a section editor's scope, a permalink) survives a re-import; the
    others are removed at the end.
    """

    # Old positions are moved out of the way first, so new ones never collide with them.
    POSITION_OFFSET = 1_000_000

    def __init__(
        self, curated_list: CuratedList, markers: dict[str, Marker], submitted_by: User | None
    ) -> None:
        existing = list(Section.objects.filter(curated_list=curated_list))
        by_pk = {section.pk: section for section in existing}
        self.existing = {_slug_path(section, by_pk): section for section in existing}
        self.kept: set[int] = set()
        if existing:
            Section.objects.filter(curated_list=curated_list).update(
                position=F("position") + self.POSITION_OFFSET
            )
        self.curated_list = curated_list
        self.markers = markers
        self.submitted_by = submitted_by
        self.now = timezone.now()
        self.section_count = 0
        self.entries: list[Entry] = []
        self.links: list[ExtraLink] = []
        self.tags: list[tuple[Entry, tuple[str, ...]]] = []
        self.entry_markers: list[tuple[Entry, tuple[str, ...]]] = []
        self.tagged: list[TaggedEntry] = []
        # An entry placed in several sections is written once, where it comes first (its own
        # section), and placed in the others (catalog.markdown.placements).
        self.by_key: dict[str, Entry] = {}
        self.placements: list[EntryPlacement] = []
        self.section_of: dict[int, Section] = {}  # id() of each SectionDoc → its row

    def write_sections(
        self, docs: tuple[SectionDoc, ...], parent: Section | None, path: tuple[str, ...]
    ) -> None:
        rows: list[Section] = []
        new: list[Section] = []
        updated: list[Section] = []
        for n, doc in enumerate(docs):
            section = self.existing.get((*path, doc.slug))
            if section is None:
                section = Section(curated_list=self.curated_list, slug=doc.slug)
                new.append(section)
            else:
                self.kept.add(section.pk)
                updated.append(section)
            section.parent, section.title = parent, doc.title
            section.description, section.position = doc.description, n
            section.outro = doc.outro
            section.columns = columns_json(doc.columns)
            rows.append(section)
        Section.objects.bulk_create(new)
        Section.objects.bulk_update(
            updated, ["parent", "title", "description", "outro", "columns", "position"]
        )
        self.section_count += len(rows)
        for section, doc in zip(rows, docs, strict=True):
            self.section_of[id(doc)] = section
            for n, entry_doc in enumerate(doc.entries):
                key = entry_key(entry_doc)
                if key in self.by_key:
                    self.placements.append(
                        EntryPlacement(
                            entry=self.by_key[key],
                            section=section,
                            position=n,
                            lead_in=entry_doc.lead_in,
                        )
                    )
                    continue
                # Foreign keys by id: setting the related objects costs a descriptor call and
                # a check per row in bulk_create (a tenth of storing 10,000 entries).
                entry = Entry(
                    curated_list_id=self.curated_list.pk,
                    section_id=section.pk,
                    title=entry_doc.title,
                    url=entry_doc.url,
                    normalized_url=normalize_url(entry_doc.url),
                    description=entry_doc.description,
                    attributes=attributes_json(entry_doc.attributes),
                    lead_in=entry_doc.lead_in,
                    position=n,
                    status=EntryStatus.PUBLISHED,
                    published_at=self.now,
                    source=EntrySource.IMPORT,
                    submitted_by_id=self.submitted_by.pk if self.submitted_by else None,
                )
                self.entries.append(entry)
                if key:
                    self.by_key[key] = entry
                self.links.extend(
                    ExtraLink(entry=entry, label=link.label, url=link.url, position=p)
                    for p, link in enumerate(entry_doc.extra_links)
                )
                if entry_doc.tags:
                    self.tags.append((entry, entry_doc.tags))
                if entry_doc.markers:
                    self.entry_markers.append((entry, entry_doc.markers))
            self.write_sections(doc.children, parent=section, path=(*path, doc.slug))

    def link_sections_by_identity(self, doc: ListDoc) -> None:
        """In-page links to a section are stored as ``#section-<pk>`` (``section_links``), so
        that they follow the section when it is renamed. Entries are not written yet; the rows
        written already (sections, the intro, the footer) are updated where a link changed."""
        sections = [self.section_of[id(section)] for _, section in iter_sections(doc.sections)]
        targets = section_links.identity_targets(doc, [section.pk for section in sections])
        for entry in self.entries:
            if "#" in entry.description or "#" in entry.lead_in:
                entry.description = section_links.one_line(entry.description, targets)
                entry.lead_in = section_links.block(entry.lead_in, targets)
            for attribute in entry.attributes:
                attribute["value"] = section_links.one_line(attribute["value"], targets)
        for placement in self.placements:
            placement.lead_in = section_links.block(placement.lead_in, targets)
        changed = []
        for section in sections:
            description = section_links.block(section.description, targets)
            outro = section_links.block(section.outro, targets)
            if (description, outro) != (section.description, section.outro):
                section.description, section.outro = description, outro
                changed.append(section)
        Section.objects.bulk_update(changed, ["description", "outro"])
        intro = section_links.block(self.curated_list.intro, targets)
        if intro != self.curated_list.intro:
            self.curated_list.intro = intro
            self.curated_list.save(update_fields=["intro"])
        for block in FooterBlock.objects.filter(curated_list=self.curated_list):
            body = section_links.block(block.body, targets)
            if body != block.body:
                block.body = body
                block.save(update_fields=["body"])

    def remove_unused_sections(self) -> None:
        unused = [pk for pk in (s.pk for s in self.existing.values()) if pk not in self.kept]
        Section.objects.filter(pk__in=unused).delete()

    def record_history(self) -> None:
        """Bulk inserts bypass the save() that versions rows; version them here, in bulk too.

        The first version of every imported row is copied by the database itself
        (``INSERT … SELECT``): building a historical model instance per row in Python took half
        of a 10,000-entry import. The markers an entry carries go into that first version too
        (simple-history's own bulk path would leave them out), so a revert to it restores them.
        """
        list_id = self.curated_list.pk
        entries = Entry.objects.filter(curated_list_id=list_id).values("pk")
        # One time for all: an entry's first version then includes its links and tags
        # (``as_of`` reads the relations recorded up to the entry's own version time).
        when = timezone.now()
        for model, rows in (
            (Entry, Entry.objects.filter(curated_list_id=list_id)),
            (ExtraLink, ExtraLink.objects.filter(entry__in=entries)),
            (TaggedEntry, TaggedEntry.objects.filter(content_object__in=entries)),
            (EntryPlacement, EntryPlacement.objects.filter(entry__in=entries)),
        ):
            _copy_into_history(
                model, rows, user=self.submitted_by, reason=HISTORY_REASON, when=when
            )
        _copy_markers_into_history(list_id, when=when)

    def flush(self) -> None:
        Entry.objects.bulk_create(self.entries, batch_size=500)
        for link in self.links:
            link.entry_id = link.entry.pk
        ExtraLink.objects.bulk_create(self.links, batch_size=500)
        for placement in self.placements:
            placement.entry_id = placement.entry.pk
        EntryPlacement.objects.bulk_create(self.placements, batch_size=500)
        tags = _tags_by_name({name for _, names in self.tags for name in names})
        self.tagged = TaggedEntry.objects.bulk_create(
            [
                TaggedEntry(content_object=entry, tag=tags[name])
                for entry, names in self.tags
                for name in dict.fromkeys(names)
            ],
            batch_size=500,
        )
        through = Entry.markers.through
        through.objects.bulk_create(
            (
                through(entry_id=entry.pk, marker_id=self.markers[symbol].pk)
                for entry, symbols in self.entry_markers
                for symbol in dict.fromkeys(symbols)
                if symbol in self.markers
            ),
            batch_size=500,
        )
        self.record_history()


HISTORY_REASON = "Imported from a README"


def _copy_into_history(
    model: type[models.Model], rows: QuerySet, *, user: User | None, reason: str, when: Any
) -> None:
    """One ``INSERT INTO history … SELECT … FROM rows``: a "created" version of each row."""
    history = model.history.model  # type: ignore[attr-defined]
    own = ("history_id", "history_date", "history_change_reason", "history_type", "history_user")
    copied = [f for f in history._meta.concrete_fields if f.name not in own]
    source_sql, params = rows.values_list(*(f.attname for f in copied)).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in copied] + [
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    extra: list[Any] = [connection.ops.adapt_datetimefield_value(when), reason, "+"]
    # A bare NULL in a SELECT list is typed text on PostgreSQL; cast it to the column's type.
    user_sql = f"CAST(NULL AS {history._meta.get_field('history_user').db_type(connection)})"
    if user is not None:
        user_sql = "%s"
        extra.append(user.pk)
    # The four history columns are constants put before the selected ones.
    select = source_sql.replace("SELECT ", f"SELECT %s, %s, %s, {user_sql}, ", 1)
    columns = columns[len(copied) :] + columns[: len(copied)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) {select}",
            (*extra, *params),
        )


def _copy_markers_into_history(list_id: int, *, when: Any) -> None:
    """The markers of the entries versioned at ``when``, into those versions (one statement)."""
    history = Entry.history.model
    kept = history._meta.get_field("historicalentry_markers").related_model
    through = Entry.markers.through
    quote = connection.ops.quote_name

    def column(model: Any, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(kept._meta.db_table)} "
            f"({column(kept, 'id')}, {column(kept, 'entry')}, {column(kept, 'marker')}, "
            f"{column(kept, 'history')}) "
            f"SELECT t.{column(through, 'id')}, t.{column(through, 'entry')}, "
            f"t.{column(through, 'marker')}, h.{column(history, 'history_id')} "
            f"FROM {quote(through._meta.db_table)} t "
            f"JOIN {quote(history._meta.db_table)} h ON h.{column(history, 'id')} = "
            f"t.{column(through, 'entry')} "
            f"WHERE h.{column(history, 'curated_list')} = %s "
            f"AND h.{column(history, 'history_date')} = %s",
            (list_id, connection.ops.adapt_datetimefield_value(when)),
        )


def _slug_path(section: Section, by_pk: dict[int, Section]) -> tuple[str, ...]:
    path: list[str] = []
    node: Section | None = section
    while node is not None and len(path) <= len(by_pk):  # the bound stops a corrupt cycle
        path.append(node.slug)
        node = by_pk.get(node.parent_id) if node.parent_id else None
    return tuple(reversed(path))


def _tags_by_name(names: set[str]) -> dict[str, Tag]:
    """Existing tags by exact name, creating the missing ones (taggit makes their unique slugs)."""
    found = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    for name in sorted(names - found.keys()):
        found[name] = Tag.objects.create(name=name)
    return found
