"""How things get published: who may act on which list, and the reviews of entries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.models import CuratedList, Entry, Section
from curation.querysets import (
    ClaimQuerySet,
    MembershipQuerySet,
    ReviewQuerySet,
    WorkflowEventQuerySet,
)


class Role(models.TextChoices):
    """Roles are per list; each includes what the one before may do."""

    CONTRIBUTOR = "contributor", "Contributor"
    REVIEWER = "reviewer", "Reviewer"
    CURATOR = "curator", "Curator"

    @property
    def rank(self) -> int:
        return ROLE_RANK[self]

    def includes(self, other: Role) -> bool:
        return self.rank >= other.rank


ROLE_RANK = {Role.CONTRIBUTOR: 1, Role.REVIEWER: 2, Role.CURATOR: 3}


class Membership(models.Model):
    """A user's role on one list, optionally narrowed to one section and everything under it.

    The section scope is the Open Directory Project's "category editor": a reviewer of
    "Databases" reviews nothing outside "Databases".
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    curated_list = models.ForeignKey(
        CuratedList, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Leave empty for the whole list; otherwise the role covers this subtree only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["curated_list", "user__username", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "curated_list"],
                condition=Q(section__isnull=True),
                name="membership_once_per_list",
                violation_error_message="This user already has a list-wide role on this list.",
            ),
            models.UniqueConstraint(
                fields=["user", "curated_list", "section"],
                condition=Q(section__isnull=False),
                name="membership_once_per_section",
                violation_error_message="This user already has a role on this section.",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        indexes = [models.Index(fields=["user", "curated_list"], name="membership_user_idx")]

    def __str__(self) -> str:
        scope = f" › {self.section}" if self.section_id else ""
        return f"{self.user} — {self.get_role_display()} of {self.curated_list}{scope}"

    def get_absolute_url(self) -> str:
        return self.curated_list.get_absolute_url()

    def clean(self) -> None:
        super().clean()
        section = self.section
        if (
            section is not None
            and self.curated_list_id is not None
            and section.curated_list_id != self.curated_list_id
        ):
            raise ValidationError({"section": "The section belongs to another list."})

    def covers(self, section: Section) -> bool:
        """True when this membership reaches ``section`` (its list, and its subtree if scoped)."""
        if section.curated_list_id != self.curated_list_id:
            return False
        return self.section is None or section.is_within(self.section)


class Verdict(models.TextChoices):
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"
    REJECT = "reject", "Reject"
    COMMENT = "comment", "Comment"


VERDICTS_NEEDING_COMMENT = (Verdict.REQUEST_CHANGES, Verdict.REJECT)


class Review(models.Model):
    """A reviewer's verdict on one revision of an entry (or of a proposed edit).

    Reviews are append-only: together they are the trail of who decided what, when and why.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    entry_revision = models.PositiveIntegerField(
        help_text="The entry's revision the verdict was given on; a new revision resets approvals."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="review_verdict_valid"
            ),
            models.CheckConstraint(
                condition=~Q(verdict__in=[v.value for v in VERDICTS_NEEDING_COMMENT])
                | ~Q(comment=""),
                name="review_decision_has_comment",
                violation_error_message="Requesting changes or rejecting needs a comment.",
            ),
        ]
        indexes = [models.Index(fields=["entry", "created_at"], name="review_entry_idx")]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} by {self.reviewer} on {self.entry}"

    def get_absolute_url(self) -> str:
        return self.entry.get_absolute_url()


class Action(models.TextChoices):
    """What a workflow service did to an entry; one audit record per call that changed something."""

    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    SUBMIT = "submit", "Submitted"
    APPROVE = "approve", "Approved"
    REQUEST_CHANGES = "request_changes", "Requested changes"
    REJECT = "reject", "Rejected"
    COMMENT = "comment", "Commented"
    PUBLISH = "publish", "Published"
    SCHEDULE = "schedule", "Scheduled"
    UNPUBLISH = "unpublish", "Unpublished"
    ARCHIVE = "archive", "Archived"
    PROPOSE = "propose", "Proposed an edit"
    MERGE = "merge", "Merged a proposal"
    REVERT = "revert", "Reverted"
    MOVE_LINK = "move_link", "Followed a permanent redirect"
    TAKE = "take", "Took it for review"
    ASSIGN = "assign", "Assigned it for review"
    RELEASE = "release", "Released it from review"
    OVERRIDE_CHECKS = "override_checks", "Overrode blocking quality checks"


class WorkflowEvent(models.Model):
    """The audit trail: who did what to an entry, when, from which state to which, and why.

    Written by the workflow services only, in the transaction of the change itself; never
    edited. ``actor`` is empty when the system acted (``publish_scheduled``) or a visitor did.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workflow_events",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Entry.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Entry.Status.choices)
    comment = models.TextField(blank=True)
    entry_revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkflowEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "workflow event"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="workflow_event_action_valid"
            ),
        ]
        indexes = [models.Index(fields=["entry", "created_at"], name="workflow_event_entry_idx")]

    def __str__(self) -> str:
        who = self.actor or "system"
        return f"{self.get_action_display()} by {who}: {self.from_status or '—'} → {self.to_status}"

    @property
    def is_transition(self) -> bool:
        return self.from_status != self.to_status


class NotificationPreference(models.Model):
    """A user's opt-outs; without a row, a user gets every email the workflow sends them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    new_submissions = models.BooleanField(
        default=True, help_text="Email me when an entry I may review is submitted."
    )
    decisions = models.BooleanField(
        default=True,
        help_text="Email me when a reviewer or curator decides on an entry I submitted.",
    )

    class Meta:
        verbose_name = "my email notifications"
        verbose_name_plural = "my email notifications"

    def __str__(self) -> str:
        return f"Email notifications of {self.user}"


DEFAULT_CLAIM_DAYS = 7


class QueueSettings(models.Model):
    """How a list's review queue runs; a list without a row uses the defaults."""

    curated_list = models.OneToOneField(
        CuratedList, on_delete=models.CASCADE, related_name="queue_settings"
    )
    claim_days = models.PositiveSmallIntegerField(
        "release a taken submission after (days)",
        default=DEFAULT_CLAIM_DAYS,
        help_text="A submission taken for review and not decided within this many days goes "
        "back to the queue, and its reviewer gets an email. 0: never.",
    )

    class Meta:
        verbose_name = "review queue"
        verbose_name_plural = "review queue"

    def __str__(self) -> str:
        return f"Review queue of {self.curated_list}"


def claim_days_of(curated_list: CuratedList) -> int:
    settings_row = QueueSettings.objects.filter(curated_list=curated_list).first()
    return DEFAULT_CLAIM_DAYS if settings_row is None else settings_row.claim_days


class ClaimEnd(models.TextChoices):
    RELEASED = "released", "Released"
    EXPIRED = "expired", "Released after the list's days without a decision"
    DECIDED = "decided", "Decided"
    REASSIGNED = "reassigned", "Assigned to someone else"


class Claim(models.Model):
    """Who reviews a submission: taken by a reviewer ("I'm reviewing this") or assigned to one
    by a curator. At most one is open per entry (a constraint); a claim ends with a decision,
    a release, a new assignment or the list's days without a decision, and stays as a record.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="claims")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_claims"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The curator who assigned it; empty when the holder took it.",
    )
    taken_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end = models.CharField(max_length=20, choices=ClaimEnd.choices, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(ended_at__isnull=True),
                name="claim_one_open_per_entry",
                violation_error_message="Someone is reviewing this entry already.",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end="")
                | Q(ended_at__isnull=False, end__in=ClaimEnd.values),
                name="claim_end_matches",
            ),
        ]
        indexes = [models.Index(fields=["holder", "ended_at"], name="claim_holder_idx")]

    def __str__(self) -> str:
        return f"{self.entry} reviewed by {self.holder}"

    def get_absolute_url(self) -> str:
        return self.entry.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def days(self, now: Any = None) -> int:
        """Whole days since it was taken (0 on the first day)."""
        return ((now or timezone.now()) - self.taken_at).days
