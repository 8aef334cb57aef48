"""Reads, as QuerySet methods: the pages, the API and the admin ask for what they show here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from catalog.choices import ACTIVE_STATUSES, EntryStatus

if TYPE_CHECKING:
    from catalog.models import CuratedList


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    """A repository with no activity since this moment counts as stale."""
    days = settings.REPOSITORY_STALE_AFTER_DAYS
    return (now or timezone.now()) - dt.timedelta(days=days)


class CuratedListQuerySet(models.QuerySet):
    def with_public_stats(self) -> CuratedListQuerySet:
        """Annotate each list with its published entry count and its last publication."""
        published = Q(entries__status=EntryStatus.PUBLISHED, entries__proposal_for__isnull=True)
        return self.annotate(
            published_count=Count("entries", filter=published),
            last_published_at=Max("entries__published_at", filter=published),
        )


class SectionQuerySet(models.QuerySet):
    def for_list(self, curated_list: CuratedList) -> SectionQuerySet:
        return self.filter(curated_list=curated_list)

    def of_entry(self, entry: models.Model) -> SectionQuerySet:
        """Every section an entry is shown in: its own and those it is placed in."""
        return self.filter(Q(entries=entry) | Q(placements__entry=entry)).distinct()

    def in_tree_order(self) -> SectionQuerySet:
        return self.order_by("curated_list_id", "tree_path", "pk")

    def renumber(self, curated_list: CuratedList) -> int:
        """Recompute ``tree_path``, ``depth`` and ``title_path`` of the sections of a list.

        Call after any change of a section's parent or position. Two queries whatever the size
        of the list; returns the number of sections whose path or depth changed.
        """
        width = self.model.PATH_SEGMENT_WIDTH
        separator = self.model.TITLE_SEPARATOR
        sections = list(self.filter(curated_list=curated_list).order_by("position", "pk"))
        children: dict[int | None, list] = {}
        for section in sections:
            children.setdefault(section.parent_id, []).append(section)

        changed = []
        stack = [(child, "", "", 0) for child in reversed(children.get(None, []))]
        seen: set[int] = set()
        while stack:
            section, prefix, title_prefix, depth = stack.pop()
            if section.pk in seen:  # a cycle written around the validation; stop, don't loop
                continue
            seen.add(section.pk)
            path = f"{prefix}{section.position:0{width}d}/"
            title_path = f"{title_prefix}{section.title}"
            derived = (path, depth, title_path)
            if (section.tree_path, section.depth, section.title_path) != derived:
                section.tree_path, section.depth, section.title_path = derived
                changed.append(section)
            stack.extend(
                (child, path, title_path + separator, depth + 1)
                for child in reversed(children.get(section.pk, []))
            )
        if changed:
            self.model.objects.bulk_update(changed, ["tree_path", "depth", "title_path"])
        return len(changed)


class EntryQuerySet(models.QuerySet):
    def live_versions(self) -> EntryQuerySet:
        """Entries proper, without the proposed edits of published entries."""
        return self.filter(proposal_for__isnull=True)

    def published(self) -> EntryQuerySet:
        return self.live_versions().filter(status=EntryStatus.PUBLISHED)

    def active(self) -> EntryQuerySet:
        """Published or on its way there: the entries that hold their URL in the list."""
        return self.live_versions().filter(status__in=ACTIVE_STATUSES)

    def for_list(self, curated_list: CuratedList) -> EntryQuerySet:
        return self.filter(curated_list=curated_list)

    def shown_in(self, section: models.Model, *, subtree: bool = False) -> EntryQuerySet:
        """Entries shown in ``section`` (or its subtree): their own section or a placement
        there. Each entry once, however many of the sections it is placed in."""
        if subtree:
            path = section.tree_path  # type: ignore[attr-defined]
            placed = Q(placements__section__tree_path__startswith=path)
            own = Q(section__tree_path__startswith=path)
            inside = self.model.objects.filter(
                Q(section__curated_list_id=section.curated_list_id)  # type: ignore[attr-defined]
                & (own | placed)
            )
        else:
            inside = self.model.objects.filter(Q(section=section) | Q(placements__section=section))
        return self.filter(pk__in=inside.values("pk"))

    def with_display_relations(self) -> EntryQuerySet:
        """Everything a page shows of an entry, fetched in a fixed number of queries.

        The related rows land in plain lists (``shown_markers``, ``shown_tags``,
        ``shown_links``): prefetching into the managers instead builds one filtered QuerySet per
        entry and relation, which costs more than the queries themselves on a 2,000-entry list.
        """
        return self.select_related("section").prefetch_related(
            Prefetch("markers", to_attr="shown_markers"),
            Prefetch("tags", to_attr="shown_tags"),
            Prefetch("extra_links", to_attr="shown_links"),
        )

    def with_placements(self) -> EntryQuerySet:
        """The further sections each entry is placed in, in tree order, as ``shown_placements``
        (one query for the whole page)."""
        from catalog.models import EntryPlacement  # models import this module

        placements = EntryPlacement.objects.order_by("section__tree_path", "pk")
        return self.prefetch_related(
            Prefetch("placements", queryset=placements, to_attr="shown_placements")
        )

    # --- link health and repository state (written by curation.health) ---------------------
    def with_link_state(self, state: str) -> EntryQuerySet:
        """Entries whose last link check ended in ``state``; "unchecked" for never checked."""
        if state == "unchecked":
            return self.filter(link_health__isnull=True)
        return self.filter(link_health__state=state)

    def archived_repositories(self) -> EntryQuerySet:
        return self.filter(repository__archived=True)

    def stale_repositories(self, now: dt.datetime | None = None) -> EntryQuerySet:
        """Not archived, but no commit or push for REPOSITORY_STALE_AFTER_DAYS."""
        return self.filter(
            repository__archived=False, repository__last_activity_at__lt=stale_before(now)
        )

    def unmaintained(self, now: dt.datetime | None = None) -> EntryQuerySet:
        """Archived or stale repositories: what a list may mark in its README."""
        return self.filter(
            Q(repository__archived=True) | Q(repository__last_activity_at__lt=stale_before(now))
        )

    def in_list_order(self) -> EntryQuerySet:
        return self.order_by("section__tree_path", "position", "pk")
