"""The demo list and accounts that `make run` loads: complete, idempotent, and development-only."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from catalog.choices import EntrySource, EntryStatus
from catalog.models import CuratedList, Entry, ExtraLink, FooterBlock, Marker, Section, TaggedEntry
from curation.access import Access
from curation.demo.data import DEMO_ACCOUNTS, DEMO_LIST
from curation.demo.loader import load_demo
from curation.models import Membership, Review, Role, Verdict
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    MembershipFactory,
    ReviewFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}
SNAPSHOT_MODELS = (
    User,
    CuratedList,
    Marker,
    FooterBlock,
    Section,
    Entry,
    Entry.markers.through,
    Tag,
    TaggedEntry,
    ExtraLink,
    Membership,
    Review,
)


@pytest.fixture
def demo():
    return load_demo()


def snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in SNAPSHOT_MODELS
    }


def demo_entries():
    return Entry.objects.filter(curated_list__slug=DEMO_LIST.slug)


class TestContent:
    def test_about_forty_entries_in_sections_three_levels_deep(self, demo):
        assert 35 <= demo.entry_count <= 50
        sections = Section.objects.for_list(demo.curated_list)
        assert max(s.depth for s in sections) >= 2
        assert sections.get(slug="modal").title_path == (
            "Editors › Terminal Editors › Modal Editors"
        )
        assert all(s.tree_path for s in sections), "sections were renumbered"

    def test_every_workflow_state_is_present(self, demo):
        statuses = set(demo_entries().live_versions().values_list("status", flat=True))
        assert statuses == set(EntryStatus.values)
        assert all(demo.status_counts[status] >= 1 for status in EntryStatus.values)
        assert demo.status_counts[EntryStatus.PUBLISHED] > demo.entry_count / 2

    def test_every_source_is_present_with_its_submitter(self, demo):
        entries = demo_entries().live_versions()
        # Entries from a README sync appear once a list keeps its README on GitHub.
        expected = set(EntrySource.values) - {EntrySource.SYNC}
        assert set(entries.values_list("source", flat=True)) == expected
        for entry in entries.filter(source=EntrySource.PUBLIC_FORM):
            assert entry.submitter_email
            assert entry.submitted_by is None
        for entry in entries.filter(source__in=[EntrySource.ADMIN, EntrySource.API]):
            assert entry.submitted_by is not None

    def test_tags_markers_extra_links_and_an_entry_without_url(self, demo):
        entries = demo_entries().live_versions()
        tagged = entries.filter(tags__isnull=False).distinct().count()
        assert tagged >= 0.8 * entries.count()
        assert {"MIT", "GPL-3.0", "Rust", "Go", "Python"} <= set(
            Tag.objects.values_list("name", flat=True)
        )
        symbols = set(Marker.objects.filter(entries__in=entries).values_list("symbol", flat=True))
        assert symbols == {"⭐", "⚠", "💤"}
        assert entries.filter(markers__isnull=False).distinct().count() >= 5
        labels = set(ExtraLink.objects.filter(entry__in=entries).values_list("label", flat=True))
        assert {"Demo", "Source Code"} <= labels
        book = entries.get(url="")
        assert book.status == EntryStatus.PUBLISHED
        assert book.normalized_url == ""

    def test_list_settings_legend_and_footer(self, demo):
        curated_list = demo.curated_list
        assert curated_list.tagline
        assert curated_list.intro
        assert curated_list.license == "CC0-1.0"
        assert [m.label for m in curated_list.markers.all()] == [
            "Editor's pick",
            "Depends on a proprietary service",
            "Unmaintained",
        ]
        assert [b.title for b in curated_list.footer_blocks.all()] == ["Contributing", "License"]

    def test_no_two_entries_share_a_normalised_url(self, demo):
        # The database only guards active entries; the demo keeps every state apart.
        urls = list(demo_entries().live_versions().values_list("normalized_url", flat=True))
        urls = [u for u in urls if u]
        assert len(urls) == len(set(urls))

    def test_a_pending_proposal_for_a_published_entry(self, demo):
        proposal = demo_entries().get(proposal_for__isnull=False)
        live = proposal.proposal_for
        assert live.status == EntryStatus.PUBLISHED
        assert proposal.status == EntryStatus.SUBMITTED
        assert proposal.description != live.description
        assert (proposal.url, proposal.section_id) == (live.url, live.section_id)
        assert set(proposal.tags.names()) == set(live.tags.names())
        assert demo.proposal_count == 1


class TestWorkflowHistory:
    def test_decisions_have_reviews_with_comments(self, demo):
        entries = demo_entries().live_versions()
        for status, verdict in [
            (EntryStatus.CHANGES_REQUESTED, Verdict.REQUEST_CHANGES),
            (EntryStatus.REJECTED, Verdict.REJECT),
        ]:
            for entry in entries.filter(status=status):
                review = entry.reviews.get(verdict=verdict)
                assert review.comment
                assert review.entry_revision == entry.revision

    def test_approvals_come_from_reviewers_other_than_the_submitter(self, demo):
        entries = demo_entries().live_versions()
        for entry in entries.filter(status__in=[EntryStatus.APPROVED, EntryStatus.SCHEDULED]):
            approvals = Review.objects.counting_approvals(entry)
            assert approvals.count() >= demo.curated_list.approvals_required, entry
            for review in approvals:
                assert review.reviewer != entry.submitted_by
                assert Access.for_user(review.reviewer).can_review_entry(entry)

    def test_dates_fit_the_states(self, demo):
        now = timezone.now()
        entries = demo_entries().live_versions()
        for entry in entries.filter(status=EntryStatus.SCHEDULED):
            assert entry.publish_at > now
        published = entries.filter(status=EntryStatus.PUBLISHED)
        assert all(
            now - dt.timedelta(weeks=6) < e.published_at <= now and e.created_at <= e.published_at
            for e in published
        )
        assert len({e.published_at.date() for e in published}) >= 5, "spread over weeks"
        unpublished = [EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.REJECTED]
        assert not entries.filter(status__in=unpublished, published_at__isnull=False).exists()
        for review in Review.objects.filter(entry__in=entries):
            assert review.created_at > review.entry.created_at


class TestIdempotence:
    def test_loading_twice_changes_nothing(self, demo):
        before = snapshot()
        again = load_demo()
        assert (again.created, again.changed) == (0, 0)
        assert snapshot() == before

    def test_reloading_resets_what_was_changed(self, demo):
        counts_before = {label: len(rows) for label, rows in snapshot().items()}
        curator = User.objects.get(username="curator")
        curator.set_password("something-else-entirely")
        curator.is_staff = False
        curator.save()
        vim = demo_entries().get(title="Vim")
        vim.status = EntryStatus.ARCHIVED
        vim.description = "Edited by hand."
        vim.save()
        vim.tags.clear()

        again = load_demo()

        assert again.created == 0
        assert again.changed >= 3
        curator.refresh_from_db()
        vim.refresh_from_db()
        assert curator.check_password(PASSWORDS["curator"])
        assert curator.is_staff
        assert vim.status == EntryStatus.PUBLISHED
        assert vim.description.startswith("A modal editor")
        assert set(vim.tags.names()) == {"C"}
        assert {label: len(rows) for label, rows in snapshot().items()} == counts_before

    def test_reloading_months_later_keeps_history_and_the_schedule_ahead(self, demo):
        published_before = dict(demo_entries().values_list("pk", "published_at"))
        later = timezone.now() + dt.timedelta(days=90)
        with time_machine.travel(later, tick=False):
            load_demo()
            scheduled = demo_entries().filter(status=EntryStatus.SCHEDULED)
            assert scheduled.exists()
            assert all(entry.publish_at > later for entry in scheduled)
        assert dict(demo_entries().values_list("pk", "published_at")) == published_before

    def test_other_lists_and_their_members_are_left_alone(self):
        other = CuratedListFactory(slug="awesome-other")
        section = SectionFactory(curated_list=other, title="Editors")
        # Same title and URL as a demo entry, on another list: a different row.
        vim = EntryFactory(section=section, title="Vim", url="https://www.vim.org")
        reviewer = UserFactory(username="reviewer")
        MembershipFactory(user=reviewer, curated_list=other, role=Role.CURATOR)
        ReviewFactory(entry=EntryFactory(section=section, status=EntryStatus.SUBMITTED))
        before = {
            model._meta.label: list(
                model._default_manager.filter(curated_list=other).order_by("pk").values()
            )
            for model in (Section, Entry, Membership)
        }

        load_demo()

        after = {
            model._meta.label: list(
                model._default_manager.filter(curated_list=other).order_by("pk").values()
            )
            for model in (Section, Entry, Membership)
        }
        assert after == before
        vim.refresh_from_db()
        assert vim.curated_list == other
        reviewer.refresh_from_db()
        assert reviewer.is_staff
        assert reviewer.check_password(PASSWORDS["reviewer"])
        assert set(reviewer.memberships.values_list("curated_list__slug", "role")) == {
            ("awesome-other", Role.CURATOR),
            (DEMO_LIST.slug, Role.REVIEWER),
        }


class TestAccounts:
    def test_passwords_pass_the_projects_validators(self, demo):
        for account in DEMO_ACCOUNTS:
            user = User.objects.get(username=account.username)
            validate_password(account.password, user)  # raises if too short, common, similar

    @pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
    def test_each_account_logs_in_and_opens_the_admin(self, demo, client, account):
        assert client.login(username=account.username, password=account.password)
        response = client.get("/admin/", secure=True)
        assert response.status_code == 200
        memberships_url = reverse("admin:curation_membership_changelist")
        sees_members = memberships_url in response.content.decode()
        assert sees_members == (account.role in ("superuser", Role.CURATOR))

    def test_roles_reach_what_they_should(self, demo):
        parser_entry = demo_entries().get(title="goldmark")  # Markup › Markdown › Parsers
        editor_entry = demo_entries().get(title="Kakoune")  # Editors › … › Modal Editors
        access = {
            a.username: Access.for_user(User.objects.get(username=a.username))
            for a in (DEMO_ACCOUNTS)
        }
        assert access["admin"].is_superuser
        for username in ("curator", "reviewer", "reviewer2"):
            assert access[username].can_review_entry(parser_entry)
            assert access[username].can_review_entry(editor_entry)
        assert access["curator"].can_edit_entry(editor_entry)
        assert not access["reviewer"].can_edit_entry(editor_entry)
        assert not access["contributor"].can_review_entry(parser_entry)
        assert access["contributor"].can_add_entry_to(editor_entry.section)
        # The category editor: curator of Markup and below, nobody elsewhere.
        assert access["section-editor"].can_edit_entry(parser_entry)
        assert not access["section-editor"].can_view_entry(editor_entry)
        scoped = [a for a in demo.accounts if a.username == "section-editor"]
        assert scoped[0].role_label == "curator of Markup"


class TestCommand:
    def test_refuses_without_debug(self, settings):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="DEBUG is off"):
            call_command("load_demo", stdout=StringIO())
        assert not CuratedList.objects.filter(slug=DEMO_LIST.slug).exists()
        assert not User.objects.filter(username__in=PASSWORDS).exists()

    def test_force_loads_without_debug_and_warns(self, settings):
        settings.DEBUG = False
        err = StringIO()
        call_command("load_demo", "--force", stdout=StringIO(), stderr=err)
        assert CuratedList.objects.filter(slug=DEMO_LIST.slug).exists()
        assert "published passwords" in err.getvalue()

    def test_prints_a_summary_and_passwords_that_work(self, settings, client):
        settings.DEBUG = True
        out = StringIO()
        call_command("load_demo", stdout=out)
        output = out.getvalue()
        assert 'Demo list "Awesome Plain Text" is ready.' in output
        assert "/admin/" in output
        printed = {}
        for line in output.splitlines():
            cells = line.split()
            if cells and cells[0] in PASSWORDS:
                printed[cells[0]] = cells[1]
        assert printed.keys() == PASSWORDS.keys()
        for username, password in printed.items():
            assert client.login(username=username, password=password), username
            client.logout()


# --- a demo list changed by the app itself (issue: `make run` broke after an admin import) ---


def test_reload_after_the_app_reordered_the_demo_list_keeps_that_work(demo, settings):
    """A curator added a section of their own and moved it to the top; the next `make run`
    (load_demo) used to die on the section position constraint. Now it leaves the list as it
    stands, says so and how to start over, and still gives the accounts their roles."""
    first = Section.objects.get(curated_list=demo.curated_list, parent=None, position=0)
    Section.objects.filter(pk=first.pk).update(position=99)
    SectionFactory(curated_list=demo.curated_list, title="Shells", position=0)
    Section.objects.renumber(demo.curated_list)
    before = snapshot()
    settings.DEBUG = True

    out = StringIO()
    call_command("load_demo", stdout=out)

    text = out.getvalue()
    assert "left as it stands" in text
    assert "make reset-demo" in text
    after = snapshot()
    for label in ("catalog.CuratedList", "catalog.Section", "catalog.Entry", "catalog.ExtraLink"):
        assert after[label] == before[label], label
    roles = dict(
        Membership.objects.filter(curated_list=demo.curated_list, section=None).values_list(
            "user__username", "role"
        )
    )
    assert roles["curator"] == Role.CURATOR
    assert roles["contributor"] == Role.CONTRIBUTOR


def test_reload_when_a_reset_collides_rolls_back_only_the_reset(demo, settings):
    """A list whose sections are the demo's but whose rows collide with the demo's values (here
    another entry took a demo entry's URL) is left as it stands, not half reset."""
    published = Entry.objects.filter(
        curated_list=demo.curated_list, status=EntryStatus.PUBLISHED, proposal_for=None
    ).first()
    # A developer renamed a published demo entry: the reset recreates the demo's entry of the
    # old title with the same URL, which collides with the renamed one on the URL constraint.
    Entry.objects.filter(pk=published.pk).update(title="Renamed by a developer")
    before = snapshot()
    settings.DEBUG = True

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert "collided" in out.getvalue()
    after = snapshot()
    assert after["catalog.Entry"] == before["catalog.Entry"]
