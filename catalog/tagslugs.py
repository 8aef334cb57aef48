"""Tag slugs that keep a version readable: "GPL-3.0" → ``gpl-3.0``, not taggit's ``gpl-30``.

taggit derives a new tag's slug from its name and drops the dots. A slug here is taggit's slug
of each dot-separated part, joined by dots, so licences and versions stay legible in tag URLs
(``/lists/…/tags/gpl-3.0/``). Only a slug taggit made itself is replaced, before the row is
written; when that slug is taken, taggit's own numbered fallback (``gpl-30_1``) stands.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_save
from taggit.models import Tag


def readable_slug(name: str) -> str:
    tag = Tag()
    parts = [tag.slugify(part) for part in name.split(".")]
    return ".".join(part for part in parts if part) or tag.slugify(name)


def _keep_dots(sender: Any, instance: Tag, **kwargs: Any) -> None:
    if not instance._state.adding or "." not in instance.name:
        return
    if instance.slug == instance.slugify(instance.name):  # taggit's own, first choice
        readable = readable_slug(instance.name)
        if not Tag.objects.filter(slug=readable).exists():
            instance.slug = readable


def connect() -> None:
    pre_save.connect(_keep_dots, sender=Tag, dispatch_uid="catalog-readable-tag-slugs")
