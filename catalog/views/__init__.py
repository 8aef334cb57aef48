"""Public pages. Thin: each view asks a QuerySet method (or ``listpage``) for what it shows."""

from catalog.views.entries import search, tag_detail
from catalog.views.lists import (
    home,
    list_contributing,
    list_detail,
    list_licence,
    list_readme,
)

__all__ = [
    "home",
    "list_contributing",
    "list_detail",
    "list_licence",
    "list_readme",
    "search",
    "tag_detail",
]
