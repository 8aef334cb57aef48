"""Who may do what, derived from memberships: one place for the admin, the API and the services.

A user's memberships are read once (one query) into an ``Access``; every question after that
is answered in memory. Superusers may do everything. Roles include each other: a curator may
do what a reviewer may, a reviewer what a contributor may. A membership with a section
covers that section and everything under it, and nothing else.

A proposed edit of a live entry is reached only by those who reach both sections it touches:
the live entry's and the one the proposal puts it in. Otherwise a member of one section could
move and rewrite an entry of another (and the other section's reviewers would never see it).

The authors of an entry (its submitter, and everyone whose edit is in it: ``authors_of``) never
approve it; that is the one question here that reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from catalog.choices import EntryStatus
from curation.models import Membership, Role, WorkflowEvent

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
    def reaches_entry(self, entry: Entry, role: Role) -> bool:
        """``role`` on the entry's section and, for a proposal, on its live entry's too."""
        if self.is_superuser:
            return True
        return all(self.has_section_role(section, role) for section in sections_of(entry))

    def can_view_entry(self, entry: Entry) -> bool:
        return self.reaches_entry(entry, Role.CONTRIBUTOR)

    def can_add_entry_to(self, section: Section) -> bool:
        return self.has_section_role(section, Role.CONTRIBUTOR)

    def can_edit_entry(self, entry: Entry) -> bool:
        """Curators edit anything in reach; others only their own entries still in their hands."""
        if self.reaches_entry(entry, Role.CURATOR):
            return True
        return (
            self.user_id is not None
            and entry.submitted_by_id == self.user_id
            and entry.status in EDITABLE_BY_SUBMITTER
            and self.reaches_entry(entry, Role.CONTRIBUTOR)
        )

    def can_review_entry(self, entry: Entry) -> bool:
        return self.reaches_entry(entry, Role.REVIEWER)

    # --- the workflow -----------------------------------------------------------------------
    # State is not asked here: these say who may act at all; the services guard the states.

    def is_submitter(self, entry: Entry) -> bool:
        return self.user_id is not None and entry.submitted_by_id == self.user_id

    def can_submit_entry(self, entry: Entry) -> bool:
        """Contributors submit their own entries; curators submit anything in reach."""
        if self.reaches_entry(entry, Role.CURATOR):
            return True
        return self.is_submitter(entry) and self.reaches_entry(entry, Role.CONTRIBUTOR)

    def is_author(self, entry: Entry) -> bool:
        """Whether this user wrote any of the entry's current content (one query)."""
        if self.user_id is None:
            return False
        return self.is_submitter(entry) or self.user_id in authors_of(entry)

    def can_approve_entry(self, entry: Entry) -> bool:
        """Reviewers in reach who wrote none of it: an author's approval never counts."""
        return self.can_decide_on_entry(entry) and not self.is_author(entry)

    def can_decide_on_entry(self, entry: Entry) -> bool:
        """Approve, request changes, reject: reviewers in reach, never on their own submission
        (superusers included: an approval counts only from someone other than the submitter)."""
        return self.can_review_entry(entry) and not self.is_submitter(entry)

    def can_comment_on_entry(self, entry: Entry) -> bool:
        """Reviewers in reach, and the submitter answering them."""
        if self.can_review_entry(entry):
            return True
        return self.is_submitter(entry) and self.reaches_entry(entry, Role.CONTRIBUTOR)

    def can_publish_entry(self, entry: Entry) -> bool:
        """Publish, schedule, unpublish, archive: curators in reach."""
        return self.reaches_entry(entry, Role.CURATOR)

    def can_propose_edit(self, entry: Entry) -> bool:
        """Anyone with a role where a published entry lives may propose a change to it."""
        return self.reaches_entry(entry, Role.CONTRIBUTOR)


def sections_of(entry: Entry) -> list[Section]:
    """The sections an action on the entry touches: its own, and its live entry's for a
    proposal (which moves the live entry when the two differ)."""
    sections = [entry.section]
    if entry.proposal_for_id is not None:
        live = entry.proposal_for
        if live is not None and live.section_id != entry.section_id:
            sections.append(live.section)
    return sections


def authors_of(entry: Entry) -> set[int]:
    """Ids of the users who wrote the entry: its submitter and everyone who changed its content
    (created, edited, proposed, reverted, merged or moved it), from its audit trail."""
    authors = set(WorkflowEvent.objects.authoring(entry).values_list("actor_id", flat=True))
    if entry.submitted_by_id is not None:
        authors.add(entry.submitted_by_id)
    return authors


def access_for(request: HttpRequest) -> Access:
    """The request user's Access, computed once per request."""
    cached = getattr(request, "_curation_access", None)
    if cached is None:
        cached = Access.for_user(request.user)
        request._curation_access = cached  # type: ignore[attr-defined]
    return cached
