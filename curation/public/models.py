"""The private status link of a visitor's suggestion.

Only a digest of the token is stored, so the table leaks no working link. A new suggestion's
token is derived from its entry and the site's ``SECRET_KEY`` (:func:`token_for`), so the
emails sent later about it (decisions, the acknowledgement) can carry the link again; a leaked
table without the key still opens nothing. Registered with the
curation app from ``CurationConfig.ready`` (the app's ``models`` module belongs to the workflow).
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac

from catalog.models import Entry

TOKEN_BYTES = 24  # 192 bits: 32 URL-safe characters


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SuggestionQuerySet(models.QuerySet):
    def for_token(self, token: str) -> SuggestionQuerySet:
        return self.filter(token_digest=token_digest(token))


class Suggestion(models.Model):
    """A suggestion from the public form: the entry it became, and its status link's digest."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="suggestion")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        app_label = "curation"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Suggestion of {self.entry}"

    @classmethod
    def new_token(cls) -> str:
        return secrets.token_urlsafe(TOKEN_BYTES)

    def status_token(self) -> str | None:
        """The token of this suggestion's status link when it can be derived again (every
        suggestion made since tokens are derived, while ``SECRET_KEY`` is unchanged)."""
        token = token_for(self.entry)
        return token if token_digest(token) == self.token_digest else None


def token_for(entry: Entry) -> str:
    """The status token of a suggestion that became ``entry``: 192 bits of an HMAC under the
    site's secret key, of the entry's id and creation time (both fixed once it is saved)."""
    value = f"{entry.pk}:{entry.created_at.isoformat()}"
    digest = salted_hmac("curation.public.suggestion-status", value, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode()


def absolute_status_url(entry: Entry) -> str | None:
    """The private status link of a visitor's suggestion, for an email; None when the entry is
    not a suggestion or its token cannot be derived again."""
    suggestion = Suggestion.objects.filter(entry_id=entry.pk).select_related("entry").first()
    token = suggestion.status_token() if suggestion is not None else None
    if token is None:
        return None
    return settings.SITE_URL.rstrip("/") + status_url(entry.curated_list.slug, token)


def status_url(curated_list_slug: str, token: str) -> str:
    return reverse("suggest:status", kwargs={"slug": curated_list_slug, "token": token})
