"""The private status link of a visitor's suggestion.

Only a digest of the token is stored, so the table leaks no working link. Registered with the
curation app from ``CurationConfig.ready`` (the app's ``models`` module belongs to the workflow).
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.urls import reverse

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


def status_url(curated_list_slug: str, token: str) -> str:
    return reverse("suggest:status", kwargs={"slug": curated_list_slug, "token": token})
