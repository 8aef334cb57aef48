"""Write the demo of ``curation/demo/data.py`` into the database, idempotently.

Every row is found by its natural key (list slug; section by list, parent and slug; entry by
list and title; membership by user, list and section; review by entry, reviewer and verdict)
and brought back to the demo's values. A row that already holds them is not written at all, so
a second load changes nothing, not even ``updated_at``: that is why this uses ``_upsert``
below rather than ``update_or_create``, which saves every row it finds. Rows the demo does not
define (a developer's own entries, say) are left alone.

The demo list may also have been changed by the app itself since the last load: a curator
reordered its sections or renamed an entry, say. Forcing the demo back in may then collide with
that work (a section position, an entry's URL). A list whose reset fails on a constraint is
left as it stands (the reset runs in a savepoint): the accounts and the memberships that still
fit are loaded, and the command says how to start over with a fresh demo.

Workflow states are written directly, not through the workflow services: the demo needs
entries *in* each state, with the reviews that would have led there, not the side effects of
getting there (notifications, README regeneration).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.utils import timezone

from catalog.choices import EntrySource, EntryStatus
from catalog.models import CuratedList, Entry, ExtraLink, FooterBlock, Marker, Section
from curation.demo.data import (
    DEMO_ACCOUNTS,
    DEMO_LIST,
    SUPERUSER,
    DemoAccount,
    DemoEntry,
    DemoList,
    DemoProposal,
    DemoSection,
)
from curation.models import Membership, Review, Role

M = TypeVar("M", bound=models.Model)


class Writer(Protocol):
    """Where progress goes: a text stream, or a management command's ``self.stdout``."""

    def write(self, msg: str, /) -> Any: ...


# Entries submitted by a person wait this long before they are published, and reviews come
# this long after each other, so the audit trail reads in a plausible order.
REVIEW_DELAY = dt.timedelta(hours=6)
PUBLISH_DELAY = dt.timedelta(days=2)
STATES_PUBLISHED_ONCE = (EntryStatus.PUBLISHED, EntryStatus.ARCHIVED)


@dataclass(frozen=True)
class LoadedAccount:
    username: str
    password: str
    role: str  # a Role value, or "superuser"
    scope: str  # title path of the section the role is narrowed to; "" for the whole list
    can: str

    @property
    def role_label(self) -> str:
        if self.role == SUPERUSER:
            return SUPERUSER
        label = Role(self.role).label.lower()
        return f"{label} of {self.scope}" if self.scope else label


@dataclass(frozen=True)
class DemoResult:
    curated_list: CuratedList
    accounts: tuple[LoadedAccount, ...]
    created: int  # rows inserted by this load
    changed: int  # existing rows brought back to the demo's values
    section_count: int
    entry_count: int  # entries proper, without proposals
    proposal_count: int
    status_counts: dict[str, int]  # entries proper by status
    kept_because: str = ""  # why the list was left as it stands ("" when it was (re)loaded)


def load_demo(*, stdout: Writer | None = None) -> DemoResult:
    """Create or reset the demo list and the demo accounts (their passwords included)."""
    with transaction.atomic():
        loader = _Loader(DEMO_LIST, DEMO_ACCOUNTS)
        result = loader.load()
    if stdout is not None:
        stdout.write(
            f"Demo data: {result.created} rows created, {result.changed} reset to the demo's "
            "values.\n"
        )
    return result


class _Loader:
    def __init__(self, demo: DemoList, accounts: Iterable[DemoAccount]) -> None:
        self.demo = demo
        self.accounts = tuple(accounts)
        self.now = timezone.now()
        self.created = 0
        self.changed = 0
        self.users: dict[str, AbstractUser] = {}
        self.anchor = self.now
        self.sections: dict[tuple[str, ...], tuple[Section, DemoSection]] = {}
        self.markers: dict[str, Marker] = {}
        self.entries: dict[str, Entry] = {}

    # --- the whole demo -----------------------------------------------------------------------
    def load(self) -> DemoResult:
        self.load_users()
        existing = CuratedList.objects.filter(slug=self.demo.slug).first()
        if existing is not None:
            counts = (self.created, self.changed)
            try:
                with transaction.atomic():  # a savepoint: a collision undoes only the reset
                    return self.load_content()
            except (IntegrityError, ValidationError) as error:
                # Forget what the undone savepoint wrote, rows and counts alike.
                self.created, self.changed = counts
                self.sections, self.markers, self.entries = {}, {}, {}
                return self.keep(existing, f"resetting it collided with its rows ({error})")
        return self.load_content()

    def keep(self, curated_list: CuratedList, why: str) -> DemoResult:
        """Leave a list that other work changed as it stands; load what still fits."""
        sections = Section.objects.for_list(curated_list)
        for account in self.accounts:
            if account.is_superuser:
                continue
            section = None
            if account.section_path:
                section = self._find_section(sections, account.section_path)
                if section is None:
                    continue  # the scope's section is gone: no membership to give
            self._upsert(
                Membership,
                {
                    "user": self.users[account.username],
                    "curated_list": curated_list,
                    "section": section,
                },
                {"role": Role(account.role)},
            )
        return self.result(curated_list, kept_because=why)

    @staticmethod
    def _find_section(sections: Any, path: tuple[str, ...]) -> Section | None:
        parent = None
        for slug in path:
            parent = sections.filter(parent=parent, slug=slug).first()
            if parent is None:
                return None
        return parent

    def load_content(self) -> DemoResult:
        curated_list = self.load_list()
        # Times count back from the list's first load, so a reload writes the very same values.
        self.anchor = curated_list.created_at.replace(minute=0, second=0, microsecond=0)
        self.load_markers(curated_list)
        self.load_footer(curated_list)
        for position, top in enumerate(self.demo.sections):
            self.load_section(curated_list, top, parent=None, path=(), position=position)
        Section.objects.renumber(curated_list)
        # renumber() wrote tree paths on its own copies; read them back in one query.
        fresh = Section.objects.in_bulk([section.pk for section, _ in self.sections.values()])
        self.sections = {path: (fresh[s.pk], d) for path, (s, d) in self.sections.items()}
        self.load_memberships(curated_list)
        for section, demo_section in self.sections.values():
            for position, demo_entry in enumerate(demo_section.entries):
                self.load_entry(curated_list, section, demo_entry, position)
        for proposal in self.demo.proposals:
            self.load_proposal(proposal)
        return self.result(curated_list)

    def result(self, curated_list: CuratedList, *, kept_because: str = "") -> DemoResult:
        entries = Entry.objects.for_list(curated_list)
        status_counts = {
            row["status"]: row["n"]
            for row in entries.live_versions().values("status").annotate(n=Count("pk")).order_by()
        }
        accounts = tuple(
            LoadedAccount(
                username=account.username,
                password=account.password,
                role=account.role,
                scope=self._scope_title(curated_list, account.section_path),
                can=account.can,
            )
            for account in self.accounts
        )
        return DemoResult(
            curated_list=curated_list,
            accounts=accounts,
            created=self.created,
            changed=self.changed,
            section_count=Section.objects.for_list(curated_list).count(),
            entry_count=sum(status_counts.values()),
            proposal_count=entries.filter(proposal_for__isnull=False).count(),
            status_counts=status_counts,
            kept_because=kept_because,
        )

    def _scope_title(self, curated_list: CuratedList, path: tuple[str, ...]) -> str:
        if not path:
            return ""
        if path in self.sections:
            return self.sections[path][0].title_path
        section = self._find_section(Section.objects.for_list(curated_list), path)
        return section.title_path if section else "(section gone: no role)"

    # --- writing one row ----------------------------------------------------------------------
    def _upsert(
        self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]
    ) -> tuple[M, bool]:
        """Find the row by ``lookup``; create it, or save only the fields that differ.

        Rows are validated (a typo in a demo URL fails loudly) but see ``_validate``.
        """
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model(**lookup, **values)
            _validate(obj)
            if model is Entry:
                # Its first version is written once its tags, markers and links are (_versioned).
                obj.skip_history_when_saving = True  # type: ignore[attr-defined]
            obj.save()
            self.created += 1
            return obj, True
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            _validate(obj)
            auto_now = [
                f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
            ]
            obj.save(update_fields=[*changed, *auto_now])
            self.changed += 1
        return obj, False

    def _set_time(self, obj: models.Model, name: str, value: dt.datetime, *, created: bool) -> None:
        """Backdate an ``auto_now_add`` field, which ``save()`` would overwrite with now."""
        if getattr(obj, name) == value:
            return
        type(obj)._default_manager.filter(pk=obj.pk).update(**{name: value})
        setattr(obj, name, value)
        if not created:
            self.changed += 1

    # --- accounts -----------------------------------------------------------------------------
    def load_users(self) -> None:
        user_model = get_user_model()
        for account in self.accounts:
            values = {
                "email": f"{account.username}@example.com",
                "is_staff": True,
                "is_superuser": account.is_superuser,
                "is_active": True,
            }
            user = user_model._default_manager.filter(username=account.username).first()
            if user is None:
                user = user_model(username=account.username, **values)
                user.set_password(account.password)
                user.save()
                self.created += 1
            else:
                changed = [name for name, value in values.items() if getattr(user, name) != value]
                for name in changed:
                    setattr(user, name, values[name])
                # Compare first: set_password() salts anew, which would rewrite every reload.
                if not user.check_password(account.password):
                    user.set_password(account.password)
                    changed.append("password")
                if changed:
                    user.save(update_fields=changed)
                    self.changed += 1
            self.users[account.username] = user

    def load_memberships(self, curated_list: CuratedList) -> None:
        for account in self.accounts:
            if account.is_superuser:
                continue  # a superuser may do everything without a role
            section = self.sections[account.section_path][0] if account.section_path else None
            self._upsert(
                Membership,
                {
                    "user": self.users[account.username],
                    "curated_list": curated_list,
                    "section": section,
                },
                {"role": Role(account.role)},
            )

    # --- the list and its parts ---------------------------------------------------------------
    def load_list(self) -> CuratedList:
        curated_list, _ = self._upsert(
            CuratedList,
            {"slug": self.demo.slug},
            {
                "title": self.demo.title,
                "tagline": self.demo.tagline,
                "intro": self.demo.intro,
                "license": self.demo.license,
                "repository_url": "",
                "ordering": CuratedList.Ordering.MANUAL,
                "approvals_required": 1,
            },
        )
        return curated_list

    def load_markers(self, curated_list: CuratedList) -> None:
        for position, marker in enumerate(self.demo.markers):
            self.markers[marker.slug], _ = self._upsert(
                Marker,
                {"curated_list": curated_list, "slug": marker.slug},
                {"symbol": marker.symbol, "label": marker.label, "position": position},
            )

    def load_footer(self, curated_list: CuratedList) -> None:
        for position, block in enumerate(self.demo.footer_blocks):
            self._upsert(
                FooterBlock,
                {"curated_list": curated_list, "position": position},
                {"title": block.title, "body": block.body},
            )

    def load_section(
        self,
        curated_list: CuratedList,
        demo_section: DemoSection,
        *,
        parent: Section | None,
        path: tuple[str, ...],
        position: int,
    ) -> None:
        path = (*path, demo_section.slug)
        section, _ = self._upsert(
            Section,
            {"curated_list": curated_list, "parent": parent, "slug": demo_section.slug},
            {
                "title": demo_section.title,
                "description": demo_section.description,
                "position": position,
            },
        )
        self.sections[path] = (section, demo_section)
        for child_position, child in enumerate(demo_section.children):
            self.load_section(
                curated_list, child, parent=section, path=path, position=child_position
            )

    # --- entries ------------------------------------------------------------------------------
    def _days_ago(self, days: int) -> dt.datetime:
        return self.anchor - dt.timedelta(days=days)

    def _publish_at(self, demo_entry: DemoEntry, existing: Entry | None) -> dt.datetime | None:
        """A scheduled entry's time, always in the future (the database requires one)."""
        if demo_entry.status != EntryStatus.SCHEDULED:
            return None
        days = dt.timedelta(days=demo_entry.publish_in_days or 7)
        if self.anchor + days > self.now:
            return self.anchor + days
        # Reloaded long after the first load: keep the time set by the last reload if it is
        # still ahead, otherwise move it forward again.
        if existing is not None and existing.publish_at and existing.publish_at > self.now:
            return existing.publish_at
        return self.now.replace(minute=0, second=0, microsecond=0) + days

    def load_entry(
        self, curated_list: CuratedList, section: Section, demo_entry: DemoEntry, position: int
    ) -> None:
        lookup = {
            "curated_list": curated_list,
            "title": demo_entry.title,
            "proposal_for": None,
        }
        existing = Entry.objects.filter(**lookup).order_by("pk").first()
        created_at = self._days_ago(demo_entry.age_days)
        published_at = None
        if demo_entry.status in STATES_PUBLISHED_ONCE:
            imported = demo_entry.source == EntrySource.IMPORT
            published_at = created_at if imported else created_at + PUBLISH_DELAY
        entry, created = self._upsert(
            Entry,
            lookup,
            {
                "section": section,
                "url": demo_entry.url,
                "description": demo_entry.description,
                "position": position,
                "status": demo_entry.status,
                "source": demo_entry.source,
                "submitted_by": self._user(demo_entry.submitted_by),
                "submitter_email": demo_entry.submitter_email,
                "published_at": published_at,
                "publish_at": self._publish_at(demo_entry, existing),
            },
        )
        self._set_time(entry, "created_at", created_at, created=created)
        self._set_tags(entry, demo_entry.tags, created=created)
        self._set_markers(entry, demo_entry.markers, created=created)
        for link_position, (label, url) in enumerate(demo_entry.extra_links):
            self._upsert(
                ExtraLink,
                {"entry": entry, "position": link_position},
                {"label": label, "url": url},
            )
        if created:
            self._versioned(entry)
        for number, review in enumerate(demo_entry.reviews, start=1):
            obj, review_created = self._upsert(
                Review,
                {
                    "entry": entry,
                    "reviewer": self.users[review.reviewer],
                    "verdict": review.verdict,
                },
                {"comment": review.comment, "entry_revision": entry.revision},
            )
            self._set_time(
                obj, "created_at", created_at + number * REVIEW_DELAY, created=review_created
            )
        self.entries[entry.title] = entry

    def load_proposal(self, proposal: DemoProposal) -> None:
        live = self.entries[proposal.of_title]
        created_at = self._days_ago(proposal.age_days)
        entry, created = self._upsert(
            Entry,
            {"curated_list": live.curated_list, "proposal_for": live},
            {
                "section": live.section,
                "title": live.title,
                "url": live.url,
                "description": proposal.description,
                "position": live.position,
                "status": proposal.status,
                "source": proposal.source,
                "submitted_by": self._user(proposal.submitted_by),
                "submitter_email": "",
                "published_at": None,
                "publish_at": None,
            },
        )
        self._set_time(entry, "created_at", created_at, created=created)
        # A proposal is a whole copy of the entry, so publishing it loses nothing.
        self._set_tags(entry, tuple(live.tags.names()), created=created)
        self._set_markers(entry, tuple(m.slug for m in live.markers.all()), created=created)
        if created:
            self._versioned(entry)

    @staticmethod
    def _versioned(entry: Entry) -> None:
        """Write a new entry's first version with its relations in it (as the services do), so
        that reverting to it gives back its tags, markers and extra links."""
        del entry.skip_history_when_saving  # type: ignore[attr-defined]
        entry.save()

    def _user(self, username: str | None) -> AbstractUser | None:
        return self.users[username] if username else None

    def _set_tags(self, entry: Entry, names: tuple[str, ...], *, created: bool) -> None:
        if set(entry.tags.names()) == set(names):
            return
        entry.tags.set(list(names))
        if not created:
            self.changed += 1

    def _set_markers(self, entry: Entry, slugs: tuple[str, ...], *, created: bool) -> None:
        wanted = {self.markers[slug].pk for slug in slugs}
        if set(entry.markers.values_list("pk", flat=True)) == wanted:
            return
        entry.markers.set(wanted)
        if not created:
            self.changed += 1


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    """Compare a field with the wanted value, foreign keys by id (no query for the related row)."""
    model_field = obj._meta.get_field(name)
    if isinstance(model_field, models.ForeignKey):
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _validate(obj: models.Model) -> None:
    """``full_clean()`` without its queries: related rows were just loaded by us, and the
    constraints are checked by the database inside the load's transaction anyway."""
    related = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=related, validate_constraints=False)
