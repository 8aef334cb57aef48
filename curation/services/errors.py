"""The refusals of the workflow services, beyond Django's own ``PermissionDenied``.

All are ``ValidationError`` subclasses carrying a message a person can act on; the admin
shows it as a message, the API maps ``IllegalTransition`` (and its kin) to 409 Conflict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from catalog.models import Entry


class IllegalTransition(ValidationError):
    """The entry is not in a state this action starts from (e.g. publishing a draft)."""


class StaleRevision(IllegalTransition):
    """The change was based on a revision of the entry that someone has since replaced."""


class DuplicateEntry(ValidationError):
    """The link is already live or pending in the list; ``existing`` is that entry."""

    def __init__(self, message: str, *, existing: Entry) -> None:
        super().__init__(message, code="duplicate")
        self.existing = existing
