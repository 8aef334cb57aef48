"""The entries changelist's columns: what a reviewer needs, narrow enough for a 1366 px screen.

The full values stay one hover away (``title`` attributes) and one click away (the entry's
page); revision and source are filters, not columns.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalog.models import Entry

# Sections deeper than this show their last levels, the rest behind "…".
SECTION_LEVELS = 2


@admin.display(description="title", ordering="title")
def title_column(entry: Entry) -> SafeString | str:
    """The title; a proposed edit of a published entry says so, unlike a new submission."""
    if entry.proposal_for_id:
        return format_html(
            '{} <span class="kind kind-proposal" title="A proposed edit of the published '
            'entry; the live entry stays as it is until this is published">edit</span>',
            entry.title,
        )
    return entry.title


@admin.display(description="section", ordering="section__tree_path")
def section_column(entry: Entry) -> SafeString:
    path = entry.section.title_path or entry.section.title
    parts = path.split(" › ")
    shown = " › ".join(parts[-SECTION_LEVELS:])
    if len(parts) > SECTION_LEVELS:
        shown = "… › " + shown
    return format_html('<span title="{}">{}</span>', path, shown)


@admin.display(description="from", ordering="submitted_by__username")
def from_column(entry: Entry) -> SafeString:
    """Who submitted it, or how it came when nobody signed in (import, public form, API)."""
    who = entry.submitted_by.get_username() if entry.submitted_by is not None else ""
    how = entry.get_source_display()
    return format_html('<span title="{}">{}</span>', how, who or how.lower())


@admin.display(description="updated", ordering="updated_at")
def updated_column(entry: Entry) -> SafeString:
    when = timezone.localtime(entry.updated_at)
    short = f"{when:%-d %b}" if when.year == timezone.localtime().year else f"{when:%-d %b %Y}"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        when.isoformat(),
        f"{when:%Y-%m-%d %H:%M %Z}",
        short,
    )


def local_time(value: Any) -> str:
    """A moment as the admin shows it everywhere: local time with its zone (2026-12-07 20:30
    CET), so nobody has to guess which clock a scheduled publication follows."""
    if value is None:
        return "-"
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M %Z}"
