"""Who may do what, derived from memberships: one place for the admin, the API and the services.

A user's memberships are read once (one query) into an ``Access``; every question after that
is answered in memory. Superusers may do everything. Roles include each other: a curator may
do what a reviewer may, a reviewer what a contributor may. A membership with a section
covers that section and everything under it, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from catalog.choices import EntryStatus
from curation.models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

    from catalog.models import CuratedList, Entry, Section

# States in which the submitter may still edit their own entry.
EDITABLE_BY_SUBMITTER = (EntryStatus.DRAFT, EntryStatus.CHANGES_REQUESTED)


@dataclass
class Access:
    user_id: int | None
    is_superuser: bool
    memberships: list[Membership] = field(default_factory=list)

    @classmethod
    def for_user(cls, user: AbstractBaseUser | AnonymousUser) -> Access:
        if not user.is_authenticated or not user.is_active:
            return cls(user_id=None, is_superuser=False)
        return cls(
            user_id=user.pk,
            is_superuser=bool(getattr(user, "is_superuser", False)),
            memberships=list(Membership.objects.for_user(user)),
        )

    # --- lists ------------------------------------------------------------------------------
    def list_ids(self, role: Role = Role.CONTRIBUTOR, *, list_wide: bool = False) -> set[int]:
        return {
            m.curated_list_id
            for m in self.memberships
            if Role(m.role).includes(role) and (m.section_id is None or not list_wide)
        }

    def has_list_role(
        self, curated_list: CuratedList, role: Role, *, list_wide: bool = False
    ) -> bool:
        return self.is_superuser or curated_list.pk in self.list_ids(role, list_wide=list_wide)

    # --- sections ---------------------------------------------------------------------------
    def has_section_role(self, section: Section, role: Role) -> bool:
        if self.is_superuser:
            return True
        return any(Role(m.role).includes(role) and m.covers(section) for m in self.memberships)

    def scope_q(self, role: Role, *, section_field: str = "") -> Q:
        """A filter for rows whose section this user reaches with ``role``.

        ``section_field`` names the rows' section (``"section"`` for entries); leave it empty
        to filter sections themselves.
        """
        if self.is_superuser:
            return Q()
        prefix = f"{section_field}__" if section_field else ""
        q = Q(pk__in=[])
        for m in self.memberships:
            if not Role(m.role).includes(role):
                continue
            reach = Q(**{f"{prefix}curated_list_id": m.curated_list_id})
            if m.section is not None:
                reach &= Q(**{f"{prefix}tree_path__startswith": m.section.tree_path})
            q |= reach
        return q

    # --- entries ----------------------------------------------------------------------------
    def can_view_entry(self, entry: Entry) -> bool:
        return self.has_section_role(entry.section, Role.CONTRIBUTOR)

    def can_add_entry_to(self, section: Section) -> bool:
        return self.has_section_role(section, Role.CONTRIBUTOR)

    def can_edit_entry(self, entry: Entry) -> bool:
        """Curators edit anything in reach; others only their own entries still in their hands."""
        if self.has_section_role(entry.section, Role.CURATOR):
            return True
        return (
            self.user_id is not None
            and entry.submitted_by_id == self.user_id
            and entry.status in EDITABLE_BY_SUBMITTER
            and self.has_section_role(entry.section, Role.CONTRIBUTOR)
        )

    def can_delete_entry(self, entry: Entry) -> bool:
        """Published entries are unpublished or archived, never deleted, so history stays whole."""
        return entry.status != EntryStatus.PUBLISHED and self.has_section_role(
            entry.section, Role.CURATOR
        )

    def can_review_entry(self, entry: Entry) -> bool:
        return self.has_section_role(entry.section, Role.REVIEWER)

    # --- the workflow -----------------------------------------------------------------------
    # State is not asked here: these say who may act at all; the services guard the states.

    def is_submitter(self, entry: Entry) -> bool:
        return self.user_id is not None and entry.submitted_by_id == self.user_id

    def can_submit_entry(self, entry: Entry) -> bool:
        """Contributors submit their own entries; curators submit anything in reach."""
        if self.has_section_role(entry.section, Role.CURATOR):
            return True
        return self.is_submitter(entry) and self.has_section_role(entry.section, Role.CONTRIBUTOR)

    def can_decide_on_entry(self, entry: Entry) -> bool:
        """Approve, request changes, reject: reviewers in reach, never on their own submission
        (superusers included: an approval counts only from someone other than the submitter)."""
        return self.can_review_entry(entry) and not self.is_submitter(entry)

    def can_comment_on_entry(self, entry: Entry) -> bool:
        """Reviewers in reach, and the submitter answering them."""
        if self.can_review_entry(entry):
            return True
        return self.is_submitter(entry) and self.has_section_role(entry.section, Role.CONTRIBUTOR)

    def can_publish_entry(self, entry: Entry) -> bool:
        """Publish, schedule, unpublish, archive: curators in reach."""
        return self.has_section_role(entry.section, Role.CURATOR)

    def can_propose_edit(self, entry: Entry) -> bool:
        """Anyone with a role where a published entry lives may propose a change to it."""
        return self.has_section_role(entry.section, Role.CONTRIBUTOR)


def access_for(request: HttpRequest) -> Access:
    """The request user's Access, computed once per request."""
    cached = getattr(request, "_curation_access", None)
    if cached is None:
        cached = Access.for_user(request.user)
        request._curation_access = cached  # type: ignore[attr-defined]
    return cached
