"""Model fields of the catalog."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from catalog.validation import validate_link


class WebURLField(models.URLField):
    """A URLField whose form completes a scheme-less address with https://, not http://.

    Curators paste "example.com/tool"; the link they mean is the https one (and it is what
    Django 6 will assume by default).
    """

    # Django's URLValidator lets through what Python cannot split (a port of 99999) and
    # credentials; catalog.validation refuses them on every way in.
    default_validators = [*models.URLField.default_validators, validate_link]

    def formfield(  # type: ignore[override]
        self, **kwargs: Any
    ) -> forms.Field | None:
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
