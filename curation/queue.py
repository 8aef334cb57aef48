"""The review queue: what waits for a user, as querysets the admin filters and counts with."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from catalog.choices import EntryStatus
from catalog.models import Entry
from curation.access import Access
from curation.models import Review, Role, Verdict

S = EntryStatus
OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED)


def awaiting_review(access: Access, entries: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    """Submitted entries (and proposals) in the user's reviewer reach that someone else
    submitted and that the user has not approved in their current revision."""
    entries = Entry.objects.all() if entries is None else entries
    if access.user_id is None:
        return entries.none()
    mine = Review.objects.filter(
        entry=OuterRef("pk"),
        reviewer_id=access.user_id,
        verdict=Verdict.APPROVE,
        entry_revision=OuterRef("revision"),
    )
    return (
        entries.filter(status=S.SUBMITTED)
        .filter(access.scope_q(Role.REVIEWER, section_field="section"))
        .exclude(submitted_by_id=access.user_id)
        .exclude(Exists(mine))
    )


def ready_to_publish(access: Access, entries: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    entries = Entry.objects.all() if entries is None else entries
    if access.user_id is None:
        return entries.none()
    return entries.filter(status=S.APPROVED).filter(
        access.scope_q(Role.CURATOR, section_field="section")
    )


def my_submissions(access: Access, entries: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    """The user's own entries and proposals that are not settled yet."""
    entries = Entry.objects.all() if entries is None else entries
    if access.user_id is None:
        return entries.none()
    return entries.filter(submitted_by_id=access.user_id, status__in=OPEN_STATUSES)


def counts(access: Access) -> dict[str, Any]:
    return {
        "review": awaiting_review(access).count(),
        "publish": ready_to_publish(access).count(),
        "mine": my_submissions(access).count(),
        "is_reviewer": access.is_superuser or bool(access.list_ids(Role.REVIEWER)),
        "is_curator": access.is_superuser or bool(access.list_ids(Role.CURATOR)),
    }
