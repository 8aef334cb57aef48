"""Choices shared by the models, their QuerySets and the services that move entries."""

from django.db import models


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    ARCHIVED = "archived", "Archived"


class EntrySource(models.TextChoices):
    ADMIN = "admin", "Admin"
    IMPORT = "import", "README import"
    PUBLIC_FORM = "public_form", "Public suggestion form"
    API = "api", "API"
    COMMAND = "command", "Management command"
    SYNC = "sync", "README sync"


# States in which an entry holds its URL: a second entry with the same normalised URL in the same
# list is refused while one of these exists. Drafts, rejected and archived entries hold nothing,
# so a rejected link can be suggested again and a draft does not block anybody.
ACTIVE_STATUSES = (
    EntryStatus.SUBMITTED,
    EntryStatus.CHANGES_REQUESTED,
    EntryStatus.APPROVED,
    EntryStatus.SCHEDULED,
    EntryStatus.PUBLISHED,
)
# States in which a proposal is still open (not yet merged into the live entry or turned down).
OPEN_PROPOSAL_STATUSES = (
    EntryStatus.DRAFT,
    EntryStatus.SUBMITTED,
    EntryStatus.CHANGES_REQUESTED,
    EntryStatus.APPROVED,
    EntryStatus.SCHEDULED,
)
