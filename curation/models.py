"""How things get published: who may act on which list, and the reviews of entries."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.models import CuratedList, Entry, Section
from curation.querysets import MembershipQuerySet, ReviewQuerySet, WorkflowEventQuerySet


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
