"""A small editorial team on one list, for the workflow tests.

team.author      contributor who submits (the submitter of every ``team.entry(…)``)
team.reviewer, team.reviewer2   list-wide reviewers
team.curator     list-wide curator
team.outsider    curator of another list
team.scoped      reviewer of the "CLI" section only (entries live in "Web › Frameworks")
team.superuser
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from catalog.models import CuratedList, Entry, Section
from curation.models import Review, Role, Verdict
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    MembershipFactory,
    SectionFactory,
    UserFactory,
)


@dataclass
class Team:
    curated_list: CuratedList
    web: Section
    frameworks: Section
    cli: Section
    author: Any
    reviewer: Any
    reviewer2: Any
    curator: Any
    outsider: Any
    scoped: Any
    superuser: Any

    def actor(self, role: str) -> Any:
        return AnonymousUser() if role == "anonymous" else getattr(self, role)

    def entry(self, status: str = Entry.Status.DRAFT, **kwargs: Any) -> Entry:
        kwargs.setdefault("section", self.frameworks)
        kwargs.setdefault("submitted_by", self.author)
        return EntryFactory(status=status, **kwargs)

    def approved(self, **kwargs: Any) -> Entry:
        entry = self.entry(Entry.Status.APPROVED, **kwargs)
        Review.objects.create(
            entry=entry, reviewer=self.reviewer, verdict=Verdict.APPROVE, entry_revision=1
        )
        return entry


@pytest.fixture
def team(db) -> Team:
    curated_list = CuratedListFactory()
    web = SectionFactory(curated_list=curated_list, title="Web")
    frameworks = SectionFactory(parent=web, title="Frameworks")
    cli = SectionFactory(curated_list=curated_list, title="CLI")
    other = CuratedListFactory()

    def member(role: Role, **kwargs: Any) -> Any:
        kwargs.setdefault("curated_list", curated_list)
        return MembershipFactory(role=role, **kwargs).user

    return Team(
        curated_list=curated_list,
        web=web,
        frameworks=frameworks,
        cli=cli,
        author=member(Role.CONTRIBUTOR),
        reviewer=member(Role.REVIEWER),
        reviewer2=member(Role.REVIEWER),
        curator=member(Role.CURATOR),
        outsider=member(Role.CURATOR, curated_list=other),
        scoped=member(Role.REVIEWER, section=cli, curated_list=curated_list),
        superuser=UserFactory(is_staff=True, is_superuser=True),
    )
