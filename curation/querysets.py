"""Reads of the curation models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import OuterRef, Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from catalog.models import Entry


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> MembershipQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user).select_related("curated_list", "section")


# What a workflow event may do without writing any of the entry's content: whoever did only
# these is not an author of it. Every other action (create, edit, propose, revert, a followed
# redirect, and any action added later) counts as writing. Merging copies what the proposal's
# authors wrote: they, not the curator who published it, are authors of the merged revision.
NOT_AUTHORING = (
    "submit",
    "approve",
    "request_changes",
    "reject",
    "comment",
    "publish",
    "schedule",
    "unpublish",
    "archive",
    "merge",
    # Owning the queue writes nothing of the entry.
    "take",
    "assign",
    "release",
)


class WorkflowEventQuerySet(models.QuerySet):
    def authoring(self, entry: Entry | OuterRef) -> WorkflowEventQuerySet:
        """The events that wrote some of the entry's content, by a known user: its own, and
        those of the proposals merged into it (``entry`` may be an ``OuterRef`` to the entry of
        a subquery)."""
        merged = Q(entry__proposal_for=entry, entry__status="published")
        return (
            self.filter(Q(entry=entry) | merged, actor__isnull=False)
            .exclude(action__in=NOT_AUTHORING)
            .order_by()
        )


class ReviewQuerySet(models.QuerySet):
    def on_current_revision(self, entry: Entry) -> ReviewQuerySet:
        return self.filter(entry=entry, entry_revision=entry.revision)

    def counting_approvals(self, entry: Entry) -> ReviewQuerySet:
        """Approvals of the entry's current revision by reviewers who are not its authors: its
        submitter, and whoever wrote any of its changes (``WorkflowEventQuerySet.authoring``)."""
        from curation.models import WorkflowEvent

        approvals = self.on_current_revision(entry).filter(verdict="approve")
        if entry.submitted_by_id is not None:
            approvals = approvals.exclude(reviewer_id=entry.submitted_by_id)
        authors = WorkflowEvent.objects.authoring(entry).values("actor_id")
        return approvals.exclude(reviewer_id__in=authors)


class ClaimQuerySet(models.QuerySet):
    def open(self) -> ClaimQuerySet:
        return self.filter(ended_at__isnull=True)

    def of_entry(self, entry: Entry | OuterRef) -> ClaimQuerySet:
        return self.open().filter(entry=entry)
