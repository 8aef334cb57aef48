"""The access rules: roles include each other, a section scope reaches its subtree only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from catalog.models import Entry, Section
from curation.access import Access
from curation.models import Role
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    MembershipFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """A list with Web › Frameworks and CLI, and a second list."""
    curated_list = CuratedListFactory()
    web = SectionFactory(curated_list=curated_list, title="Web")
    frameworks = SectionFactory(parent=web, title="Frameworks")
    cli = SectionFactory(curated_list=curated_list, title="CLI")
    other_list_section = SectionFactory(title="Elsewhere")
    for section in (web, frameworks, cli):
        section.refresh_from_db()
    return curated_list, web, frameworks, cli, other_list_section


def access(user) -> Access:
    return Access.for_user(user)


def test_anonymous_and_inactive_users_reach_nothing(tree):
    curated_list, web, *_ = tree
    assert not access(AnonymousUser()).has_section_role(web, Role.CONTRIBUTOR)
    membership = MembershipFactory(curated_list=curated_list, role=Role.CURATOR)
    membership.user.is_active = False
    assert not access(membership.user).has_section_role(web, Role.CONTRIBUTOR)


@pytest.mark.parametrize(
    ("held", "asked", "allowed"),
    [
        (Role.CONTRIBUTOR, Role.CONTRIBUTOR, True),
        (Role.CONTRIBUTOR, Role.REVIEWER, False),
        (Role.REVIEWER, Role.CONTRIBUTOR, True),
        (Role.REVIEWER, Role.CURATOR, False),
        (Role.CURATOR, Role.REVIEWER, True),
        (Role.CURATOR, Role.CURATOR, True),
    ],
)
def test_roles_include_the_ones_below(tree, held, asked, allowed):
    curated_list, web, *_ = tree
    user = MembershipFactory(curated_list=curated_list, role=held).user
    assert access(user).has_section_role(web, asked) is allowed
    assert access(user).has_list_role(curated_list, asked) is allowed


def test_a_role_on_one_list_is_nothing_on_another(tree):
    curated_list, _, _, _, elsewhere = tree
    user = MembershipFactory(curated_list=curated_list, role=Role.CURATOR).user
    assert not access(user).has_section_role(elsewhere, Role.CONTRIBUTOR)
    assert not access(user).has_list_role(elsewhere.curated_list, Role.CONTRIBUTOR)


def test_section_scope_reaches_the_subtree_only(tree):
    curated_list, web, frameworks, cli, _ = tree
    user = MembershipFactory(section=web, role=Role.CURATOR).user
    rules = access(user)
    assert rules.has_section_role(web, Role.CURATOR)
    assert rules.has_section_role(frameworks, Role.CURATOR)
    assert not rules.has_section_role(cli, Role.CONTRIBUTOR)
    assert rules.has_list_role(curated_list, Role.CURATOR)
    assert not rules.has_list_role(curated_list, Role.CURATOR, list_wide=True)


def test_scope_q_filters_the_same_way_in_sql(tree):
    _, web, frameworks, cli, _ = tree
    in_web = EntryFactory(section=frameworks)
    EntryFactory(section=cli)
    user = MembershipFactory(section=web, role=Role.REVIEWER).user
    visible = Entry.objects.filter(access(user).scope_q(Role.CONTRIBUTOR, section_field="section"))
    assert list(visible) == [in_web]
    sections = Section.objects.filter(access(user).scope_q(Role.CONTRIBUTOR))
    assert set(sections) == {web, frameworks}
    assert not Entry.objects.filter(access(user).scope_q(Role.CURATOR, section_field="section"))


def test_superuser_reaches_everything(tree):
    *_, elsewhere = tree
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert access(admin).has_section_role(elsewhere, Role.CURATOR)
    entry = EntryFactory(section=elsewhere)
    scoped = Entry.objects.filter(access(admin).scope_q(Role.CURATOR, section_field="section"))
    assert list(scoped) == [entry]


class TestEditingEntries:
    def test_submitter_edits_own_entry_while_it_is_in_their_hands(self, tree):
        curated_list, web, *_ = tree
        user = MembershipFactory(curated_list=curated_list, role=Role.CONTRIBUTOR).user
        for status, editable in [
            (Entry.Status.DRAFT, True),
            (Entry.Status.CHANGES_REQUESTED, True),
            (Entry.Status.SUBMITTED, False),
            (Entry.Status.PUBLISHED, False),
        ]:
            entry = EntryFactory(section=web, status=status, submitted_by=user)
            assert access(user).can_edit_entry(entry) is editable, status

    def test_nobody_else_but_curators_edit_an_entry(self, tree):
        curated_list, web, *_ = tree
        entry = EntryFactory(section=web, status=Entry.Status.DRAFT)
        reviewer = MembershipFactory(curated_list=curated_list, role=Role.REVIEWER).user
        curator = MembershipFactory(curated_list=curated_list, role=Role.CURATOR).user
        assert not access(reviewer).can_edit_entry(entry)
        assert access(reviewer).can_review_entry(entry)
        assert access(curator).can_edit_entry(entry)
