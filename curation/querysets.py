"""Reads of the curation models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from catalog.models import Entry


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> MembershipQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user).select_related("curated_list", "section")


class ReviewQuerySet(models.QuerySet):
    def on_current_revision(self, entry: Entry) -> ReviewQuerySet:
        return self.filter(entry=entry, entry_revision=entry.revision)

    def counting_approvals(self, entry: Entry) -> ReviewQuerySet:
        """Approvals of the entry's current revision by reviewers other than its submitter."""
        approvals = self.on_current_revision(entry).filter(verdict="approve")
        if entry.submitted_by_id is not None:
            approvals = approvals.exclude(reviewer_id=entry.submitted_by_id)
        return approvals
