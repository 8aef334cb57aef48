"""Which entries the API shows to whom: the published ones to everybody, more to members.

``catalog`` never imports ``curation``, yet the members of a list see its pending entries,
and who is a member is a curation question (``curation.access``). Rather than moving the
read API into curation (it would then own catalog's endpoints, and the catalog serializers
would be split across apps), catalog offers one seam, like its ``list_changed`` signal: a
function curation registers in ``CurationConfig.ready`` that answers "which rows beyond the
published ones may this request see". Without it — curation not installed, or in a test that
unregisters it — the API is strictly the public one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from catalog.models import Entry
from catalog.querysets import EntryQuerySet

# request → a Q over Entry of the rows the request's user reaches as a member: Q(pk__in=[])
# for none, an empty Q() for all of them (a superuser). Called only for signed-in users.
MemberEntries = Callable[[Any], Q]

_member_entries: MemberEntries | None = None


def register_member_entries(hook: MemberEntries | None) -> None:
    global _member_entries
    _member_entries = hook


def visible_entries(request: Any, queryset: EntryQuerySet | None = None) -> EntryQuerySet:
    """Entries (proposals included) this request may read: published live entries, plus,
    for a member, every entry in the sections their roles reach, whatever its state."""
    if queryset is None:
        queryset = Entry.objects.all()
    public = Q(status=Entry.Status.PUBLISHED, proposal_for__isnull=True)
    user = getattr(request, "user", None)
    if _member_entries is None or user is None or not user.is_authenticated:
        return queryset.filter(public)
    member = _member_entries(request)
    if not member:  # Q(): no restriction (``public | Q()`` would be ``public`` alone)
        return queryset
    return queryset.filter(public | member)
