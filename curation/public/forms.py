"""The suggestion form: bounded fields, http(s) links only, no loopback or private-network
address (the link checker's rules, ``curation.health.network``), duplicates named, a honeypot."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from catalog.models import CuratedList, Entry, Section
from catalog.normalize import normalize_url
from catalog.validation import validate_multiline, validate_one_line, validate_web_link
from curation.health.network import refusal_reason

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

    own_entry_id: int | None = None

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
        problem = private_host_problem(urlsplit(url).hostname or "")
        if problem:
            raise ValidationError(problem, code="private_address")
        existing = (
            Entry.objects.active()
            .filter(curated_list=self.curated_list, normalized_url=normalize_url(url))
            .exclude(pk=self.own_entry_id)
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


class ResubmitForm(SuggestionForm):
    """The visitor's answer to a change request, on their status page: the same fields (the
    email stays as it was), an optional note to the reviewers, and the revision they saw."""

    note = forms.CharField(
        label="Note to the reviewers (optional)",
        required=False,
        max_length=DESCRIPTION_MAX,
        validators=[validate_multiline],
        help_text="What you changed, or why it fits as it is.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, entry: Entry, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "url": entry.url,
                "title": entry.title,
                "description": entry.description,
                "section": entry.section_id,
                "revision": entry.revision,
            },
        )
        super().__init__(*args, curated_list=entry.curated_list, **kwargs)
        self.own_entry_id = entry.pk
        del self.fields["email"]
        del self.fields["homepage"]

    @property
    def is_bot(self) -> bool:
        return False

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data["note"].split())


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host written as one stands for, without asking DNS: ``::1``, ``10.0.0.5``
    and the short or numeric IPv4 forms a browser or HTTP client accepts (``127.1``,
    ``2130706433``, ``0x7f.0.0.1``)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host) and host[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def private_host_problem(host: str) -> str | None:
    """Why a link to ``host`` is refused: the link checker never connects to a loopback,
    private, link-local or otherwise non-public address (unless ``OUTBOUND_ALLOWED_NETWORKS``
    allows it), so such a link could only ever be reached from inside the site's network.
    Names are not looked up here (the checker guards the socket itself); ``localhost`` and its
    subdomains always mean this machine."""
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "Links to this machine (localhost) cannot be suggested: enter a public address."
    address = _literal_address(host)
    if address is None:
        return None
    reason = refusal_reason(address, settings.OUTBOUND_ALLOWED_NETWORKS)
    if reason is None:
        return None
    return f"{host} is not a public address ({reason}): enter a link anyone can reach."


def duplicate_message(existing: Entry) -> str:
    if existing.status == Entry.Status.PUBLISHED:
        return f"This link is already in the list as “{existing.title}”."
    return f"This link was already suggested (“{existing.title}”) and is waiting for review."
