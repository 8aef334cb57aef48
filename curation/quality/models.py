"""The rules a list sets for its submissions, and the verdicts stored with each entry revision.

Registered with the curation app from ``CurationConfig.ready`` (like ``curation.push.models``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from catalog.models import CuratedList, Entry


class Level(models.TextChoices):
    """How much a rule counts: not at all, as advice for the reviewer, or as a bar to approval."""

    OFF = "off", "Off"
    ADVISORY = "advisory", "Advisory"
    BLOCKING = "blocking", "Blocking"


class Rule(models.TextChoices):
    """The checks, in the order the checklist shows them."""

    REPOSITORY = "repository", "Repository link"
    NOT_ARCHIVED = "not_archived", "Not archived"
    ACTIVITY = "activity", "Recent activity"
    STARS = "stars", "Stars"
    LICENCE = "licence", "Licence"
    LINK = "link", "Link answers"
    STYLE = "style", "Description style"
    DUPLICATE = "duplicate", "No duplicate"
    SECTION_ROOM = "section_room", "Section has room"


RULE_ORDER = {rule: index for index, rule in enumerate(Rule)}

# Rules whose figures come from the network (link checker, forges): re-judged from the stored
# LinkHealth / RepositoryInfo when the periodic refresh finds something new on a live entry.
HEALTH_RULES = (Rule.NOT_ARCHIVED, Rule.ACTIVITY, Rule.STARS, Rule.LICENCE, Rule.LINK)
FORGE_RULES = (Rule.REPOSITORY, Rule.NOT_ARCHIVED, Rule.ACTIVITY, Rule.STARS, Rule.LICENCE)


def _level(help_text: str) -> models.CharField:
    return models.CharField(
        max_length=10, choices=Level.choices, default=Level.OFF, help_text=help_text
    )


class QualityRules(models.Model):
    """What a list asks of every submission. Without a row (or with every rule off) nothing is
    checked. Each rule is off, advisory (shown to the reviewer) or blocking (a failure keeps
    the entry from being approved until a curator overrides it with a comment)."""

    curated_list = models.OneToOneField(
        CuratedList, on_delete=models.CASCADE, related_name="quality_rules"
    )
    repository = _level("The entry (its URL or an extra link) points at a repository on a forge.")
    not_archived = _level("The repository is not archived.")
    activity = _level("The default branch's last commit is recent enough.")
    activity_days = models.PositiveIntegerField(
        default=365,
        validators=[MinValueValidator(1)],
        help_text="Last commit within this many days.",
    )
    stars = _level("The repository has enough stars (skipped where the forge has none).")
    min_stars = models.PositiveIntegerField(default=50, help_text="At least this many stars.")
    licence = _level("The repository has a licence.")
    allowed_licences = models.TextField(
        blank=True,
        help_text="SPDX ids, one per line or separated by commas (e.g. MIT, Apache-2.0). "
        "Empty: any licence.",
    )
    link = _level("The link answers (the link checker's verdict).")
    style = _level(
        "The description starts with a capital, ends with a period, holds no promotional "
        "word and is short enough."
    )
    promotional_words = models.TextField(
        blank=True,
        default="best, ultimate, awesome, amazing, revolutionary, world-class",
        help_text="Words a description may not use, one per line or separated by commas.",
    )
    max_description_length = models.PositiveIntegerField(
        default=200,
        validators=[MaxValueValidator(10_000)],
        help_text="At most this many characters (0: no limit).",
    )
    duplicate = _level("No other live or pending entry of the list has the same link.")
    section_room = _level("The entry's section is below its cap.")
    section_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="At most this many published entries in any one section (for lists that keep "
        "a shortlist). Empty: no cap.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "quality rules"
        verbose_name_plural = "quality rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(activity_days__gte=1), name="quality_rules_activity_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Quality rules of {self.curated_list}"

    def level_of(self, rule: Rule) -> Level:
        return Level(getattr(self, rule.value))

    @property
    def enabled(self) -> list[Rule]:
        return [rule for rule in Rule if self.level_of(rule) != Level.OFF]

    @property
    def allowed_licence_set(self) -> list[str]:
        return _words(self.allowed_licences)

    @property
    def promotional_word_list(self) -> list[str]:
        return [word.lower() for word in _words(self.promotional_words)]


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("\n", ",").split(",") if w.strip()]


class Outcome(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    UNKNOWN = "unknown", "Could not check"
    SKIPPED = "skipped", "Not applicable"


class QualityCheckQuerySet(models.QuerySet["QualityCheck"]):
    def current(self) -> QualityCheckQuerySet:
        """Rows of each entry's current revision (older revisions keep theirs, for history)."""
        return self.filter(entry_revision=models.F("entry__revision"))

    def of(self, entry: Entry) -> QualityCheckQuerySet:
        return self.filter(entry=entry, entry_revision=entry.revision)

    def blocking_failures(self) -> QualityCheckQuerySet:
        return self.filter(outcome=Outcome.FAIL, blocking=True)


class QualityCheck(models.Model):
    """One rule's verdict on one revision of an entry, with the figure it was judged on
    ("★ 37 < 50", "archived since 2024-03-02"). Written by ``curation.quality.runner`` only;
    a periodic refresh that finds a live entry archived or its link dead updates the rows of
    the current revision."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="quality_checks")
    entry_revision = models.PositiveIntegerField()
    rule = models.CharField(max_length=20, choices=Rule.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    blocking = models.BooleanField(default=False, help_text="The rule was blocking when judged.")
    figure = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField()

    objects = QualityCheckQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "-entry_revision", "pk"]
        verbose_name = "quality check"
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "entry_revision", "rule"], name="quality_check_once_per_rule"
            ),
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="quality_check_rule"),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="quality_check_outcome"
            ),
        ]
        indexes = [
            models.Index(fields=["entry", "entry_revision"], name="quality_check_entry_idx"),
            models.Index(fields=["outcome", "blocking"], name="quality_check_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.get_outcome_display()} {self.figure}".strip()
