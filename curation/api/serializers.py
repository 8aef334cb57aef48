"""What the write endpoints accept. Shapes only: every rule about who may do what, and from
which state, is the workflow services' (``curation.services``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from rest_framework import serializers

from catalog.models import Section
from catalog.validation import validate_link, validate_multiline, validate_one_line

# The same rules as every other way in (catalog.validation), and a pattern the schema shows:
# no control character in a one-line field, none but tabs and line breaks in a text.
#
# The server trims a string before it validates it (DRF's ``trim_whitespace``: Python's
# ``str.strip``), so the pattern describes the value as sent: any whitespace ``strip`` removes
# at either end (a trailing line break included), then at least one character that is neither
# whitespace nor a control character — "  " is blank once trimmed, and a required field refuses
# it, so its pattern must too (issue 17: a comment of spaces was schema-valid and refused).
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_ONE_LINE_CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
_TEXT_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"


def _trimmed(control: str, *, allow_blank: bool) -> str:
    """The pattern of a string that, trimmed, is not blank and holds no ``control`` character;
    with ``allow_blank``, whitespace alone too — but never "", the schema's other branch (a
    pattern matching it as well breaks the schema's oneOf)."""
    filled = f"[{_SPACE}]*[^{control}{_SPACE}](?:[^{control}]*[^{control}{_SPACE}])?[{_SPACE}]*"
    return f"^(?:[{_SPACE}]+|{filled})$" if allow_blank else f"^{filled}$"


def _one_line(*, allow_blank: bool) -> RegexValidator:
    return RegexValidator(
        _trimmed(_ONE_LINE_CONTROL, allow_blank=allow_blank),
        "No control characters or line breaks.",
    )


def _text(*, allow_blank: bool) -> RegexValidator:
    return RegexValidator(
        _trimmed(_TEXT_CONTROL, allow_blank=allow_blank), "No control characters."
    )


# Strict JSON types: DRF turns a number into a string, "5" and 5.0 into 5 and "yes" into true,
# which the schema (string, integer, boolean) calls invalid: refuse them, as it says (issue 17).


class _Strict:
    kinds: tuple[type, ...] = (str,)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) != (bool in self.kinds) or not isinstance(data, self.kinds):
            raise serializers.ValidationError(
                f"A {' or '.join(kind.__name__ for kind in self.kinds)} is required, "
                f"not {type(data).__name__}.",
                code="invalid",
            )
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictCharField(_Strict, serializers.CharField):
    def run_validation(self, data: Any = serializers.empty) -> Any:
        # The schema's maxLength counts the string as sent; DRF would count it trimmed, and
        # accept 301 characters ending in a space where the schema says 300 (issue 17).
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().run_validation(data)


class StrictSlugField(_Strict, serializers.SlugField):
    def __init__(self, **kwargs: Any) -> None:
        # Untrimmed: the schema's pattern refuses "star " (a space is not a slug's), so must
        # the server.
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)


class StrictIntegerField(_Strict, serializers.IntegerField):
    kinds = (int,)


class StrictBooleanField(_Strict, serializers.BooleanField):
    kinds = (bool,)


class StrictPrimaryKeyField(_Strict, serializers.PrimaryKeyRelatedField):
    kinds = (int,)


def one_line(**kwargs: Any) -> serializers.CharField:
    pattern = _one_line(allow_blank=kwargs.get("allow_blank", False))
    return StrictCharField(validators=[pattern, validate_one_line], **kwargs)


def text(**kwargs: Any) -> serializers.CharField:
    pattern = _text(allow_blank=kwargs.get("allow_blank", False))
    return StrictCharField(validators=[pattern, validate_multiline], **kwargs)


class LinkField(_Strict, serializers.URLField):
    """A URL as every way in takes it; Django's URLValidator first (its message comes first),
    then ``catalog.validation`` (a port out of range, credentials, a bad host)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2048)
        # Untrimmed: " https://x.example/" is no URI by the schema's format, so the server
        # refuses it too ("It contains a space"), rather than quietly storing it trimmed.
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def run_validators(self, value: Any) -> None:
        # One message per problem: the finer check only once Django's URLValidator passed.
        super().run_validators(value)
        try:
            validate_link(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


def link(**kwargs: Any) -> LinkField:
    return LinkField(**kwargs)


class ExtraLinkInputSerializer(serializers.Serializer):
    label = one_line(max_length=100)
    url = link()


class SubmissionSerializer(serializers.Serializer):
    section = StrictPrimaryKeyField(
        queryset=Section.objects.all(), help_text="Id of a section of this list."
    )
    title = one_line(max_length=300)
    url = link(required=False, allow_blank=True, default="", help_text="May be empty.")
    description = text(required=False, allow_blank=True, default="")
    markers = serializers.ListField(
        child=StrictSlugField(max_length=50),
        required=False,
        default=list,
        help_text="Slugs of markers of the list's legend.",
    )
    tags = serializers.ListField(child=one_line(max_length=100), required=False, default=list)
    extra_links = ExtraLinkInputSerializer(many=True, required=False, default=list)
    comment = text(
        required=False, allow_blank=True, default="", help_text="A note for the reviewers."
    )
    draft = StrictBooleanField(
        required=False, default=False, help_text="true: keep it as a draft, do not submit yet."
    )


class RevisionMixin(serializers.Serializer):
    revision = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2_147_483_647,  # the column's bound: a larger one is refused, as the schema says
        allow_null=True,
        default=None,
        help_text="The revision the decision is based on; a stale one is refused (409).",
    )


class NoteSerializer(RevisionMixin):
    """Submit, approve: an optional comment."""

    comment = text(required=False, allow_blank=True, default="")


class ReasonSerializer(RevisionMixin):
    """Request changes, reject: the comment says why, and is required."""

    comment = text(help_text="Why: the submitter reads it.")


class CommentSerializer(serializers.Serializer):
    comment = text()


class PublishSerializer(RevisionMixin):
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="In the future: schedule."
    )
    comment = text(required=False, allow_blank=True, default="")


class RetireSerializer(serializers.Serializer):
    """Unpublish, archive."""

    comment = text(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    """Assign: the reviewer who takes the entry over."""

    assignee = one_line(max_length=150, help_text="Username of a member who may review the entry.")
    comment = text(required=False, allow_blank=True, default="")


class ClaimSerializer(serializers.Serializer):
    """Who reviews an entry ("I'm reviewing this"), since when, and how it ended."""

    entry = serializers.IntegerField(source="entry_id")
    holder = serializers.CharField(source="holder.get_username")
    assigned_by = serializers.CharField(
        source="assigned_by.get_username",
        allow_null=True,
        default=None,
        help_text="The curator who assigned it; null when the holder took it.",
    )
    taken_at = serializers.DateTimeField()
    days = serializers.SerializerMethodField(help_text="Whole days since it was taken.")
    ended_at = serializers.DateTimeField(allow_null=True, help_text="null while it is open.")
    end = serializers.CharField(help_text="released, expired, decided, reassigned; '' if open.")

    def get_days(self, claim: Any) -> int:
        return int(claim.days())


class QualityCheckSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's key: repository, not_archived, activity, …")
    label = serializers.CharField()
    outcome = serializers.ChoiceField(
        choices=["pass", "fail", "unknown", "skipped"],
        help_text="unknown: could not check (the forge or the server did not say); skipped: "
        "does not apply (no repository, a forge without stars).",
    )
    blocking = serializers.BooleanField(help_text="A failure keeps the revision from approval.")
    figure = serializers.CharField(help_text="What it was judged on: “★ 37 < 50”.")
    checked_at = serializers.DateTimeField()


class OverrideSerializer(serializers.Serializer):
    by = serializers.CharField()
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class ChecklistSerializer(serializers.Serializer):
    """The quality checklist of an entry's current revision (docs/quality.md)."""

    revision = serializers.IntegerField()
    pending = serializers.BooleanField(
        help_text="The list has rules and this revision has no verdicts yet (they run in the "
        "background after a submission)."
    )
    blocked = serializers.BooleanField(
        help_text="A blocking check fails and no curator overrode it: approval is refused."
    )
    override = OverrideSerializer(allow_null=True)
    checks = QualityCheckSerializer(many=True)
