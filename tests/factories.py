"""factory_boy factories for the catalog and curation models, shared by the whole suite.

Defaults make valid rows that satisfy every database constraint: positions take the next free
slot among their siblings, URLs are unique, a section's list follows its parent, an entry's list
follows its section, and a section's tree path is renumbered as soon as it is created.

    section = SectionFactory(parent=SectionFactory(title="Web"), title="Frameworks")
    entry = EntryFactory(section=section, tags=["MIT", "Python"], markers=[marker])
    draft = EntryFactory(status=Entry.Status.DRAFT)        # published_at stays empty
    proposal = EntryFactory(proposal_for=entry, description="Better words.", status="submitted")
    ReviewFactory(entry=draft, verdict=Verdict.REJECT)      # comment filled in when required
    MembershipFactory(role=Role.REVIEWER, section=section)  # list taken from the section
    user = UserFactory(password="a-real-password-1")        # default: no usable password

Rows built with ``.build()`` are not saved and skip the position look-up and the renumbering.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory, Password

from catalog.models import CuratedList, Entry, ExtraLink, FooterBlock, Marker, Section
from curation.models import VERDICTS_NEEDING_COMMENT, Membership, Review, Role, Verdict


def next_position(queryset: QuerySet) -> int:
    last = queryset.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _saved(*objects: Any) -> bool:
    return all(obj is not None and obj.pk is not None for obj in objects)


def _section_position(o: Any) -> int:
    if not _saved(o.curated_list) or (o.parent is not None and not _saved(o.parent)):
        return 0
    return next_position(Section.objects.filter(curated_list=o.curated_list, parent=o.parent))


def _entry_position(o: Any) -> int:
    if o.proposal_for is not None:
        return o.proposal_for.position  # proposals sit where their entry does
    if not _saved(o.section):
        return 0
    return next_position(Entry.objects.filter(section=o.section, proposal_for__isnull=True))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = settings.AUTH_USER_MODEL

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    is_staff = False
    is_superuser = False
    # No usable password unless one is given (hashing is slow): UserFactory(password="…")
    # hashes it; tests that only need a signed-in user use client.force_login(user).
    password = Password(None)


class CuratedListFactory(DjangoModelFactory):
    class Meta:
        model = CuratedList

    slug = factory.Sequence(lambda n: f"awesome-things-{n}")
    title = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    tagline = "Things worth knowing about."
    license = "CC0-1.0"


class MarkerFactory(DjangoModelFactory):
    class Meta:
        model = Marker

    curated_list = factory.SubFactory(CuratedListFactory)
    symbol = factory.Sequence(lambda n: f":marker-{n}:")
    slug = factory.Sequence(lambda n: f"marker-{n}")
    label = factory.Sequence(lambda n: f"Marker {n}")
    position = factory.Sequence(lambda n: n)


class FooterBlockFactory(DjangoModelFactory):
    class Meta:
        model = FooterBlock

    curated_list = factory.SubFactory(CuratedListFactory)
    title = "License"
    body = "CC0-1.0"
    position = factory.LazyAttribute(
        lambda o: (
            next_position(FooterBlock.objects.filter(curated_list=o.curated_list))
            if _saved(o.curated_list)
            else 0
        )
    )


class SectionFactory(DjangoModelFactory):
    """A section, renumbered on creation; pass ``renumber=False`` to defer that (bulk set-up)."""

    class Meta:
        model = Section
        skip_postgeneration_save = True

    parent = None
    curated_list = factory.Maybe(
        "parent",
        yes_declaration=factory.SelfAttribute("parent.curated_list"),
        no_declaration=factory.SubFactory(CuratedListFactory),
    )
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    description = ""
    position = factory.LazyAttribute(_section_position)

    @factory.post_generation
    def renumber(obj: Section, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is False:
            return
        Section.objects.renumber(obj.curated_list)
        obj.refresh_from_db(fields=["tree_path", "depth", "title_path"])


class EntryFactory(DjangoModelFactory):
    """A published entry by default; ``status=`` another state clears ``published_at``.

    ``tags=["MIT", "Go"]`` and ``markers=[marker, …]`` set those after creation.
    """

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    proposal_for = None
    section = factory.Maybe(
        "proposal_for",
        yes_declaration=factory.SelfAttribute("proposal_for.section"),
        no_declaration=factory.SubFactory(SectionFactory),
    )
    curated_list = factory.SelfAttribute("section.curated_list")
    title = factory.Maybe(
        "proposal_for",
        yes_declaration=factory.SelfAttribute("proposal_for.title"),
        no_declaration=factory.Sequence(lambda n: f"Tool {n}"),
    )
    url = factory.Maybe(
        "proposal_for",
        yes_declaration=factory.SelfAttribute("proposal_for.url"),
        no_declaration=factory.LazyAttribute(
            lambda o: f"https://example.com/tools/{slugify(o.title)}"
        ),
    )
    description = factory.LazyAttribute(lambda o: f"What {o.title} does, in one sentence.")
    position = factory.LazyAttribute(_entry_position)
    status = Entry.Status.PUBLISHED
    source = Entry.Source.ADMIN
    published_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() if o.status in (Entry.Status.PUBLISHED, Entry.Status.ARCHIVED) else None
        )
    )
    publish_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() + dt.timedelta(days=1) if o.status == Entry.Status.SCHEDULED else None
        )
    )
    submitted_by = None
    submitter_email = ""

    @factory.post_generation
    def tags(obj: Entry, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.tags.set(list(extracted))

    @factory.post_generation
    def markers(obj: Entry, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.markers.set(list(extracted))


class ExtraLinkFactory(DjangoModelFactory):
    class Meta:
        model = ExtraLink

    entry = factory.SubFactory(EntryFactory)
    label = "Source Code"
    url = factory.Sequence(lambda n: f"https://example.com/source/{n}")
    position = factory.LazyAttribute(
        lambda o: next_position(ExtraLink.objects.filter(entry=o.entry)) if _saved(o.entry) else 0
    )


class MembershipFactory(DjangoModelFactory):
    """A list-wide contributor by default; with ``section=`` the role covers that subtree."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, is_staff=True)
    section = None
    curated_list = factory.Maybe(
        "section",
        yes_declaration=factory.SelfAttribute("section.curated_list"),
        no_declaration=factory.SubFactory(CuratedListFactory),
    )
    role = Role.CONTRIBUTOR


class ReviewFactory(DjangoModelFactory):
    """An approval of a submitted entry by another user, on the entry's current revision."""

    class Meta:
        model = Review

    entry = factory.SubFactory(EntryFactory, status=Entry.Status.SUBMITTED)
    reviewer = factory.SubFactory(UserFactory, is_staff=True)
    verdict = Verdict.APPROVE
    comment = factory.LazyAttribute(
        lambda o: (
            "Please describe what it does, in one sentence."
            if o.verdict in VERDICTS_NEEDING_COMMENT
            else ""
        )
    )
    entry_revision = factory.SelfAttribute("entry.revision")
