"""The review queue: what waits for a user, as querysets the admin filters and counts with."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from catalog.choices import EntryStatus
from catalog.models import Entry
from curation.access import Access
from curation.models import Claim, Review, Role, Verdict, WorkflowEvent

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
    wrote = WorkflowEvent.objects.authoring(OuterRef("pk")).filter(actor_id=access.user_id)
    return (
        entries.filter(status=S.SUBMITTED)
        .filter(_reach(access, Role.REVIEWER))
        .exclude(submitted_by_id=access.user_id)
        .exclude(Exists(wrote))  # an author's approval would not count
        .exclude(Exists(mine))
    )


def _reach(access: Access, role: Role) -> Q:
    """Entries whose section the user reaches with ``role`` (and, for a proposal, its live
    entry's section too: ``Access.reaches_entry`` as a filter)."""
    live = Q(proposal_for__isnull=True) | access.scope_q(
        role, section_field="proposal_for__section"
    )
    return access.scope_q(role, section_field="section") & live


def ready_to_publish(access: Access, entries: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    entries = Entry.objects.all() if entries is None else entries
    if access.user_id is None:
        return entries.none()
    return entries.filter(status=S.APPROVED).filter(_reach(access, Role.CURATOR))


def my_submissions(access: Access, entries: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    """The user's own entries and proposals that are not settled yet."""
    entries = Entry.objects.all() if entries is None else entries
    if access.user_id is None:
        return entries.none()
    return entries.filter(submitted_by_id=access.user_id, status__in=OPEN_STATUSES)


def taken_by_me(access: Access, entries: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    """The entries the user is reviewing: taken by them or assigned to them, not decided yet."""
    entries = Entry.objects.all() if entries is None else entries
    if access.user_id is None:
        return entries.none()
    return entries.filter(
        Exists(Claim.objects.open().filter(entry=OuterRef("pk"), holder_id=access.user_id))
    )


def counts(access: Access) -> dict[str, Any]:
    return {
        "review": awaiting_review(access).count(),
        "publish": ready_to_publish(access).count(),
        "mine": my_submissions(access).count(),
        "taken": taken_by_me(access).count(),
        "is_reviewer": access.is_superuser or bool(access.list_ids(Role.REVIEWER)),
        "is_curator": access.is_superuser or bool(access.list_ids(Role.CURATOR)),
    }
