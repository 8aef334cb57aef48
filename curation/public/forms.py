"""The suggestion form: bounded fields, http(s) links only, duplicates named, a honeypot."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from catalog.models import CuratedList, Entry, Section
from catalog.normalize import normalize_url
from catalog.validation import validate_multiline, validate_one_line, validate_web_link

TITLE_MAX = 120
DESCRIPTION_MAX = 500
URL_MAX = 2048


class SectionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Section) -> str:
        return obj.title_path or obj.title


class SuggestionForm(forms.Form):
    url = forms.URLField(
        label="Link",
        max_length=URL_MAX,
        assume_scheme="https",
        validators=[validate_web_link],
        help_text="The page of the project, tool or article (http or https).",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    title = forms.CharField(
        label="Title", min_length=2, max_length=TITLE_MAX, validators=[validate_one_line]
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=DESCRIPTION_MAX,
        validators=[validate_multiline],
        help_text="One sentence: what it is and why it belongs here. Markdown links allowed.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    section = SectionChoice(label="Section", queryset=Section.objects.none(), empty_label=None)
    email = forms.EmailField(
        label="Your email (optional)",
        required=False,
        max_length=254,
        help_text="Only to tell you what the reviewers decided; never shown.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Off-screen for people; form-filling bots fill it and are thanked without effect.
    homepage = forms.CharField(label="Leave this field empty", required=False, max_length=200)

    def __init__(self, *args: Any, curated_list: CuratedList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.curated_list = curated_list
        self.duplicate: Entry | None = None
        field = self.fields["section"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Section.objects.for_list(curated_list).in_tree_order()
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("homepage"))

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if urlsplit(url).scheme.lower() not in {"http", "https"}:
            raise ValidationError("Only http:// and https:// links can be suggested.")
        existing = (
            Entry.objects.active()
            .filter(curated_list=self.curated_list, normalized_url=normalize_url(url))
            .select_related("section")
            .first()
        )
        if existing is not None:
            self.duplicate = existing
            raise ValidationError(duplicate_message(existing), code="duplicate")
        return url

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_description(self) -> str:
        return " ".join(self.cleaned_data["description"].split())


def duplicate_message(existing: Entry) -> str:
    if existing.status == Entry.Status.PUBLISHED:
        return f"This link is already in the list as “{existing.title}”."
    return f"This link was already suggested (“{existing.title}”) and is waiting for review."
