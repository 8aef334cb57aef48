"""What the write endpoints accept. Shapes only: every rule about who may do what, and from
which state, is the workflow services' (``curation.services``)."""

from __future__ import annotations

from rest_framework import serializers

from catalog.models import Section


class ExtraLinkInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100)
    url = serializers.URLField(max_length=2048)


class SubmissionSerializer(serializers.Serializer):
    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.all(), help_text="Id of a section of this list."
    )
    title = serializers.CharField(max_length=300)
    url = serializers.URLField(
        max_length=2048, required=False, allow_blank=True, default="", help_text="May be empty."
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    markers = serializers.ListField(
        child=serializers.SlugField(max_length=50),
        required=False,
        default=list,
        help_text="Slugs of markers of the list's legend.",
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    extra_links = ExtraLinkInputSerializer(many=True, required=False, default=list)
    comment = serializers.CharField(
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

    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(RevisionMixin):
    """Request changes, reject: the comment says why, and is required."""

    comment = serializers.CharField(help_text="Why: the submitter reads it.")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


class PublishSerializer(RevisionMixin):
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="In the future: schedule."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RetireSerializer(serializers.Serializer):
    """Unpublish, archive."""

    comment = serializers.CharField(required=False, allow_blank=True, default="")
