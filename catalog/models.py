"""What is published: curated lists, their nested sections and their entries.

Invariants live in the database (named constraints), so no code path — admin, API, import,
a shell session — can break them. Reads go through the QuerySet methods in
``catalog/querysets.py``; writes that change workflow state go through ``curation`` services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from catalog.choices import ACTIVE_STATUSES, OPEN_PROPOSAL_STATUSES, EntrySource, EntryStatus
from catalog.columns import validate_attributes, validate_columns
from catalog.fields import WebURLField
from catalog.normalize import normalize_url
from catalog.querysets import CuratedListQuerySet, EntryQuerySet, SectionQuerySet
from catalog.validation import clean_fields_and_text

URL_MAX_LENGTH = 2048


class CuratedList(models.Model):
    class Ordering(models.TextChoices):
        MANUAL = "manual", "Manual (curators set the position)"
        ALPHABETICAL = "alphabetical", "Alphabetical by title"

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    # Real taglines run to 400 characters of Markdown (awesome-sysadmin's does).
    tagline = models.CharField(
        max_length=1000, blank=True, help_text="One sentence under the title of the README."
    )
    intro = models.TextField(blank=True, help_text="Markdown shown before the contents.")
    repository_url = WebURLField(
        max_length=URL_MAX_LENGTH, blank=True, help_text="The list's own repository, if any."
    )
    license = models.CharField(
        max_length=100, blank=True, help_text="Licence of the list's text, e.g. CC0-1.0."
    )
    ordering = models.CharField(max_length=20, choices=Ordering.choices, default=Ordering.MANUAL)
    approvals_required = models.PositiveSmallIntegerField(
        default=1, help_text="Approvals from reviewers other than the submitter before publishing."
    )
    mark_unmaintained = models.BooleanField(
        default=False,
        help_text=(
            "Mark entries whose repository is archived or has had no commit for a long time "
            "(REPOSITORY_STALE_AFTER_DAYS) in the README, the pages and the list document."
        ),
    )
    show_repository_figures = models.BooleanField(
        default=False,
        help_text=(
            "Show each entry's repository figures (stars, last activity, archived) on the list "
            "page and in search, from the stored repository metadata."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CuratedListQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "curated list"
        constraints = [
            models.CheckConstraint(
                condition=Q(approvals_required__gte=1), name="list_needs_at_least_one_approval"
            ),
            models.CheckConstraint(
                condition=Q(ordering__in=["manual", "alphabetical"]), name="list_ordering_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:list-detail", kwargs={"slug": self.slug})

    def clean_fields(self, exclude: Any = None) -> None:
        clean_fields_and_text(self, exclude, super().clean_fields)


class Marker(models.Model):
    """One symbol of a list's legend, e.g. ⭐ = "must read" or ⚠ = "proprietary dependency"."""

    curated_list = models.ForeignKey(CuratedList, on_delete=models.CASCADE, related_name="markers")
    symbol = models.CharField(max_length=40, help_text="As written in the README: ⭐, ⚠, :star:")
    slug = models.SlugField(max_length=50, help_text="Used in URLs and filters, e.g. must-read.")
    label = models.CharField(max_length=200, help_text="What the marker means.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["curated_list", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["curated_list", "symbol"], name="marker_symbol_unique_per_list"
            ),
            models.UniqueConstraint(
                fields=["curated_list", "slug"], name="marker_slug_unique_per_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.label}"

    def clean_fields(self, exclude: Any = None) -> None:
        clean_fields_and_text(self, exclude, super().clean_fields)


class FooterBlock(models.Model):
    """Trailing README blocks kept as Markdown: Contributing, License, Code of Conduct …"""

    curated_list = models.ForeignKey(
        CuratedList, on_delete=models.CASCADE, related_name="footer_blocks"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["curated_list", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["curated_list", "position"], name="footer_position_unique_per_list"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean_fields(self, exclude: Any = None) -> None:
        clean_fields_and_text(self, exclude, super().clean_fields)


class Section(models.Model):
    """A heading of the list; sections nest as deep as real lists do.

    ``tree_path``, ``depth`` and ``title_path`` are derived from the ancestors by
    ``Section.objects.renumber(list)``, so that ordering by ``tree_path`` gives the README
    order, "is inside section S" is a prefix test, and a section names its ancestors
    ("Web › Frameworks") without recursive queries.
    """

    TITLE_SEPARATOR = " › "

    PATH_SEGMENT_WIDTH = 6

    curated_list = models.ForeignKey(CuratedList, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=True, help_text="Anchor in the page.")
    description = models.TextField(blank=True, help_text="Markdown under the heading.")
    outro = models.TextField(
        blank=True,
        help_text="Markdown after the section's entries (a closing note under the list).",
    )
    columns = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_columns],
        help_text="Set when the section's entries are written as a table: its columns in order, "
        'as [{"label": "API", "role": "title"}, …] (roles: title, description, tags, attribute).',
    )
    position = models.PositiveIntegerField(default=0)
    tree_path = models.CharField(max_length=255, default="", editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    title_path = models.CharField(max_length=1000, default="", editable=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["curated_list", "tree_path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["curated_list", "slug"],
                condition=Q(parent__isnull=True),
                name="section_slug_unique_at_top_level",
            ),
            models.UniqueConstraint(
                fields=["parent", "slug"],
                condition=Q(parent__isnull=False),
                name="section_slug_unique_within_parent",
            ),
            models.UniqueConstraint(
                fields=["curated_list", "position"],
                condition=Q(parent__isnull=True),
                name="section_position_unique_at_top_level",
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="section_position_unique_within_parent",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="section_not_its_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["curated_list", "tree_path"], name="section_tree_idx")]

    def __str__(self) -> str:
        return self.title_path or self.title

    def get_absolute_url(self) -> str:
        return f"{self.curated_list.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"section-{self.pk}"

    def is_within(self, other: Section) -> bool:
        """True when this section is ``other`` or one of its descendants (tree paths renumbered)."""
        return self.curated_list_id == other.curated_list_id and self.tree_path.startswith(
            other.tree_path
        )

    def clean_fields(self, exclude: Any = None) -> None:
        clean_fields_and_text(self, exclude, super().clean_fields)
        parent = self.parent
        if parent is None:
            return
        if parent.curated_list_id != self.curated_list_id:
            raise ValidationError({"parent": "The parent section belongs to another list."})
        if self.pk is not None:
            ancestor: Section | None = parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": "A section cannot be moved inside itself or its own subsection."}
                    )
                ancestor = ancestor.parent


class Entry(models.Model):  # type: ignore[django-manager-missing]  # taggit ships no stubs
    """A link of a list (or, with ``proposal_for`` set, a proposed edit of a published one)."""

    Status = EntryStatus
    Source = EntrySource

    curated_list = models.ForeignKey(CuratedList, on_delete=models.CASCADE, related_name="entries")
    section = models.ForeignKey(Section, on_delete=models.RESTRICT, related_name="entries")
    proposal_for = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        help_text="Set on a proposed edit of a published entry; the live entry stays as it is.",
    )
    title = models.CharField(max_length=300)
    url = WebURLField(
        "URL", max_length=URL_MAX_LENGTH, blank=True, help_text="May be empty, e.g. for a book."
    )
    normalized_url = models.CharField(max_length=URL_MAX_LENGTH, blank=True, editable=False)
    description = models.TextField(blank=True, help_text="Markdown, usually one sentence.")
    attributes = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_attributes],
        help_text="Labelled values from a table's columns (Auth: apiKey, HTTPS: Yes), in order.",
    )
    lead_in = models.TextField(
        blank=True,
        help_text=(
            "Markdown the section shows right before this entry, between two of its lists "
            "(“The paid ones:”). It moves with the entry, and shows while the entry does."
        ),
    )
    markers = models.ManyToManyField(Marker, blank=True, related_name="entries")
    tags = TaggableManager(through="TaggedEntry", blank=True)
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every saved edit; stale forms are refused."
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When a scheduled entry goes live."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_entries",
    )
    submitter_email = models.EmailField(
        blank=True, help_text="For suggestions from visitors without an account."
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ADMIN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()
    # Every save of every path (services, admin, commands, imports, the demo) is versioned, with
    # the markers as they were; tags and extra links keep histories of their own
    # (TaggedEntry.history, ExtraLink.history), so a revert restores all of them.
    history = HistoricalRecords(m2m_fields=[markers], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["curated_list", "section__tree_path", "position", "pk"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["curated_list", "normalized_url"],
                condition=(
                    Q(status__in=[s.value for s in ACTIVE_STATUSES])
                    & Q(proposal_for__isnull=True)
                    & ~Q(normalized_url="")
                ),
                name="entry_one_active_url_per_list",
                violation_error_message=(
                    "This list already has a live or pending entry with the same link."
                ),
            ),
            models.UniqueConstraint(
                fields=["section", "position"],
                condition=Q(proposal_for__isnull=True),
                name="entry_position_unique_in_section",
                violation_error_message="Another entry of this section has that position.",
            ),
            models.UniqueConstraint(
                fields=["proposal_for"],
                condition=Q(proposal_for__isnull=False)
                & Q(status__in=[s.value for s in OPEN_PROPOSAL_STATUSES]),
                name="entry_one_open_proposal",
                violation_error_message="This entry already has an open proposal.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=EntrySource.values), name="entry_source_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="entry_scheduled_has_publish_at",
            ),
            models.CheckConstraint(
                condition=~Q(proposal_for=models.F("pk")), name="entry_not_its_own_proposal"
            ),
        ]
        indexes = [
            models.Index(fields=["curated_list", "status"], name="entry_list_status_idx"),
            models.Index(fields=["section", "status", "position"], name="entry_section_idx"),
            models.Index(fields=["curated_list", "normalized_url"], name="entry_url_idx"),
            models.Index(fields=["curated_list", "-published_at"], name="entry_recent_idx"),
            models.Index(fields=["status", "publish_at"], name="entry_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived from this row only: the duplicate key and the list of the section.
        self.normalized_url = normalize_url(self.url)
        if self.section_id is not None and self.curated_list_id is None:
            self.curated_list_id = self.section.curated_list_id
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "url" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalized_url"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.curated_list.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    @property
    def is_proposal(self) -> bool:
        return self.proposal_for_id is not None

    def sections_shown_in(self) -> list[Section]:
        """Its own section first, then the further sections it is placed in, in tree order."""
        further = (
            Section.objects.filter(placements__entry=self)
            .exclude(pk=self.section_id)  # moved into a section it was placed in
            .in_tree_order()
        )
        return [self.section, *further]

    def clean_fields(self, exclude: Any = None) -> None:
        clean_fields_and_text(self, exclude, super().clean_fields)

    def clean(self) -> None:
        super().clean()
        # Derived before the constraints are validated, so a form reports a duplicate in words.
        self.normalized_url = normalize_url(self.url)
        if (
            self.section_id is not None
            and self.curated_list_id is not None
            and self.section.curated_list_id != self.curated_list_id
        ):
            raise ValidationError({"section": "The section belongs to another list."})


class EntryPlacement(models.Model):
    """A further section an entry is shown in, beside its own ``Entry.section``.

    Real lists cross-list a project under several categories (awesome-selfhosted lists each one
    under all its tags). That is one entry — one URL, one description, edited and reviewed
    once — placed in several sections: ``Entry.section`` is its primary section (the one access
    scopes and the admin go by), each placement another section of the same list, with a
    ``position`` in the same order as that section's own entries (``Entry.position``). The
    README, the list page and the list document show the entry in every section it is placed
    in; counts, search and feeds count it once. Read them with ``Entry.sections_shown_in()``,
    ``Section.objects.of_entry(entry)`` or ``Entry.objects.shown_in(section)``.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="placements")
    # Removing a section removes the placements in it; the entry lives on in its own section.
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="placements")
    position = models.PositiveIntegerField(
        default=0, help_text="Among the section's entries, as Entry.position."
    )
    lead_in = models.TextField(
        blank=True, help_text="Markdown this section shows right before the entry (Entry.lead_in)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["section__tree_path", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "section"],
                name="placement_once_per_section",
                violation_error_message="The entry is already placed in that section.",
            ),
            models.UniqueConstraint(
                fields=["section", "position"],
                name="placement_position_unique_in_section",
                violation_error_message="Another placement in this section has that position.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} (also in {self.section})"

    def clean(self) -> None:
        super().clean()
        if self.entry_id is None or self.section_id is None:
            return
        if self.section.curated_list_id != self.entry.curated_list_id:
            raise ValidationError({"section": "The section belongs to another list."})
        if self.section_id == self.entry.section_id:
            raise ValidationError({"section": "This is the entry's own section already."})


class TaggedEntry(TaggedItemBase):
    """Tags of entries, through a table of their own (no generic foreign key)."""

    content_object: models.ForeignKey[Entry, Entry] = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="tagged_items"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "entry tag"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="entry_tag_once"),
        ]


class ExtraLink(models.Model):
    """A secondary link of an entry, such as "Demo" or "Source Code"."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="extra_links")
    label = models.CharField(max_length=100)
    url = WebURLField("URL", max_length=URL_MAX_LENGTH)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "position"], name="extra_link_position_unique_per_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.url}"

    def clean_fields(self, exclude: Any = None) -> None:
        clean_fields_and_text(self, exclude, super().clean_fields)


class LinkHealth(models.Model):
    """The link checker's latest verdict on an entry's URL (written by ``curation.health``).

    A failure is only *dead* once it has failed in at least two runs some time apart
    (``LINK_CHECK["DEAD_AFTER_HOURS"]``): one bad night of a server is not link rot.
    """

    class State(models.TextChoices):
        OK = "ok", "OK"
        REDIRECTED = "redirected", "Moved (permanent redirect)"
        FAILING = "failing", "Failing (not confirmed yet)"
        DEAD = "dead", "Dead"

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, primary_key=True, related_name="link_health"
    )
    state = models.CharField(max_length=20, choices=State.choices, db_index=True)
    checked_url = models.CharField(
        max_length=URL_MAX_LENGTH, help_text="The URL as it was when checked."
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.CharField(max_length=URL_MAX_LENGTH, blank=True)
    redirect_to = models.CharField(
        max_length=URL_MAX_LENGTH,
        blank=True,
        help_text="Where a permanent redirect leads: proposed as the entry's new URL.",
    )
    error = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField()
    last_ok_at = models.DateTimeField(null=True, blank=True)
    first_failed_at = models.DateTimeField(
        null=True, blank=True, help_text="First failure of the current run of failures."
    )
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "link health"
        verbose_name_plural = "link health"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["ok", "redirected", "failing", "dead"]),
                name="link_health_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checked_url}: {self.get_state_display()}"


class RepositoryInfo(models.Model):
    """What a code forge says of the repository behind an entry (``curation.health.forges``)."""

    class Forge(models.TextChoices):
        GITHUB = "github", "GitHub"
        GITLAB = "gitlab", "GitLab"
        GITEA = "gitea", "Gitea / Forgejo (Codeberg)"

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, primary_key=True, related_name="repository"
    )
    forge = models.CharField(max_length=20, choices=Forge.choices)
    host = models.CharField(max_length=255)
    full_name = models.CharField(max_length=500, help_text="owner/name (GitLab: group/…/name).")
    url = models.CharField(max_length=URL_MAX_LENGTH, help_text="Where the repository was found.")
    stars = models.PositiveIntegerField(null=True, blank=True)
    last_activity_at = models.DateTimeField(
        null=True, blank=True, help_text="Last push or commit the forge reports."
    )
    archived = models.BooleanField(default=False)
    license = models.CharField(max_length=100, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "repository information"
        verbose_name_plural = "repository information"
        indexes = [
            models.Index(fields=["archived", "last_activity_at"], name="repository_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(forge__in=["github", "gitlab", "gitea"]), name="repository_forge_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host}/{self.full_name}"
