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
# no control character in a one-line field, none but tabs and line breaks in a text. ("+":
# an allowed blank is the schema's other branch; a pattern matching it too breaks its oneOf.)
ONE_LINE = RegexValidator(
    r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]+$", "No control characters or line breaks."
)
TEXT = RegexValidator(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+$", "No control characters.")


def one_line(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(validators=[ONE_LINE, validate_one_line], **kwargs)


def text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(validators=[TEXT, validate_multiline], **kwargs)


class LinkField(serializers.URLField):
    """A URL as every way in takes it; Django's URLValidator first (its message comes first),
    then ``catalog.validation`` (a port out of range, credentials, a bad host)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2048)
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
    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.all(), help_text="Id of a section of this list."
    )
    title = one_line(max_length=300)
    url = link(required=False, allow_blank=True, default="", help_text="May be empty.")
    description = text(required=False, allow_blank=True, default="")
    markers = serializers.ListField(
        child=serializers.SlugField(max_length=50),
        required=False,
        default=list,
        help_text="Slugs of markers of the list's legend.",
    )
    tags = serializers.ListField(child=one_line(max_length=100), required=False, default=list)
    extra_links = ExtraLinkInputSerializer(many=True, required=False, default=list)
    comment = text(
        required=False, allow_blank=True, default="", help_text="A note for the reviewers."
    )
    draft = serializers.BooleanField(
        required=False, default=False, help_text="true: keep it as a draft, do not submit yet."
    )


class RevisionMixin(serializers.Serializer):
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
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
