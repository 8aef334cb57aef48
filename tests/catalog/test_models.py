"""The invariants of the catalog are enforced by the database itself, not only by forms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from catalog.models import CuratedList, Entry, ExtraLink, FooterBlock, Marker, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated_list():
    return CuratedList.objects.create(slug="awesome-things", title="Awesome Things")


def make_section(curated_list, title, *, parent=None, position=0):
    section = Section.objects.create(
        curated_list=curated_list,
        parent=parent,
        title=title,
        slug=title.lower().replace(" ", "-"),
        position=position,
    )
    Section.objects.renumber(curated_list)
    section.refresh_from_db()
    return section


def make_entry(section, title, url="", *, status=Entry.Status.PUBLISHED, position=None, **kw):
    if position is None:
        position = Entry.objects.filter(section=section).count()
    return Entry.objects.create(
        section=section, title=title, url=url, status=status, position=position, **kw
    )


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


class TestOneActiveUrlPerList:
    def test_duplicate_live_url_is_refused_by_the_database(self, curated_list):
        section = make_section(curated_list, "Tools")
        make_entry(section, "Tool", "https://example.com/tool")
        refused_by_database(
            lambda: make_entry(section, "Same tool", "http://www.example.com/tool/?utm_source=x")
        )

    @pytest.mark.parametrize(
        "status",
        ["submitted", "changes_requested", "approved", "published"],
    )
    def test_pending_entries_hold_their_url_too(self, curated_list, status):
        section = make_section(curated_list, "Tools")
        make_entry(section, "First", "https://example.com/tool", status=status)
        refused_by_database(
            lambda: make_entry(section, "Second", "https://example.com/tool", status="submitted")
        )

    @pytest.mark.parametrize("status", ["draft", "rejected", "archived"])
    def test_inactive_entries_do_not_block_the_url(self, curated_list, status):
        section = make_section(curated_list, "Tools")
        make_entry(section, "Old", "https://example.com/tool", status=status)
        make_entry(section, "New", "https://example.com/tool", status="published")

    def test_same_url_in_another_list_is_fine(self, curated_list):
        other = CuratedList.objects.create(slug="other", title="Other")
        make_entry(make_section(curated_list, "A"), "Tool", "https://example.com/tool")
        make_entry(make_section(other, "A"), "Tool", "https://example.com/tool")

    def test_entries_without_url_never_collide(self, curated_list):
        section = make_section(curated_list, "Books")
        make_entry(section, "A printed book", "")
        make_entry(section, "Another printed book", "")

    def test_a_proposal_shares_the_url_of_its_live_entry(self, curated_list):
        section = make_section(curated_list, "Tools")
        live = make_entry(section, "Tool", "https://example.com/tool")
        Entry.objects.create(
            section=section,
            title="Tool (better description)",
            url="https://example.com/tool",
            status="submitted",
            proposal_for=live,
            position=0,
        )

    def test_only_one_open_proposal_per_entry(self, curated_list):
        section = make_section(curated_list, "Tools")
        live = make_entry(section, "Tool", "https://example.com/tool")

        def propose():
            return Entry.objects.create(
                section=section, title="Tool", status="submitted", proposal_for=live
            )

        propose()
        refused_by_database(propose)

    def test_model_validation_reports_the_duplicate_in_words(self, curated_list):
        section = make_section(curated_list, "Tools")
        make_entry(section, "Tool", "https://example.com/tool")
        duplicate = Entry(
            curated_list=curated_list,
            section=section,
            title="Again",
            url="https://example.com/tool/",
            status="submitted",
            position=5,
        )
        with pytest.raises(ValidationError, match="already has a live or pending entry"):
            duplicate.full_clean()


class TestSections:
    def test_slug_is_unique_within_parent(self, curated_list):
        parent = make_section(curated_list, "Web")
        make_section(curated_list, "Tools", parent=parent)
        refused_by_database(
            lambda: Section.objects.create(
                curated_list=curated_list, parent=parent, title="Tools", slug="tools", position=1
            )
        )

    def test_slug_is_unique_at_top_level(self, curated_list):
        make_section(curated_list, "Tools")
        refused_by_database(
            lambda: Section.objects.create(
                curated_list=curated_list, title="Tools", slug="tools", position=1
            )
        )

    def test_same_slug_under_different_parents_is_fine(self, curated_list):
        web = make_section(curated_list, "Web", position=0)
        cli = make_section(curated_list, "CLI", position=1)
        make_section(curated_list, "Libraries", parent=web)
        make_section(curated_list, "Libraries", parent=cli)

    def test_sibling_positions_are_unique(self, curated_list):
        make_section(curated_list, "A", position=0)
        refused_by_database(
            lambda: Section.objects.create(curated_list=curated_list, title="B", slug="b")
        )

    def test_renumber_gives_readme_order_at_any_depth(self, curated_list):
        b = make_section(curated_list, "B", position=1)
        a = make_section(curated_list, "A", position=0)
        a2 = make_section(curated_list, "A2", parent=a, position=1)
        a1 = make_section(curated_list, "A1", parent=a, position=0)
        deep = make_section(curated_list, "Deep", parent=a1)
        deeper = make_section(curated_list, "Deeper", parent=deep)
        Section.objects.renumber(curated_list)
        ordered = list(Section.objects.for_list(curated_list).in_tree_order())
        assert [s.title for s in ordered] == ["A", "A1", "Deep", "Deeper", "A2", "B"]
        deeper.refresh_from_db()
        assert deeper.depth == 3
        assert str(deeper) == "A › A1 › Deep › Deeper"
        a2.refresh_from_db()
        b.refresh_from_db()
        assert deeper.is_within(a)
        assert not a2.is_within(a1)
        assert not b.is_within(a)

    def test_moving_a_section_into_its_own_subtree_is_refused(self, curated_list):
        top = make_section(curated_list, "Top")
        child = make_section(curated_list, "Child", parent=top)
        top.parent = child
        with pytest.raises(ValidationError, match="inside itself"):
            top.full_clean()

    def test_parent_must_be_in_the_same_list(self, curated_list):
        other = CuratedList.objects.create(slug="other", title="Other")
        foreign_parent = make_section(other, "Elsewhere")
        section = Section(curated_list=curated_list, parent=foreign_parent, title="X", slug="x")
        with pytest.raises(ValidationError, match="another list"):
            section.full_clean()

    def test_a_section_with_entries_cannot_be_deleted_but_its_list_can(self, curated_list):
        section = make_section(curated_list, "Tools")
        make_entry(section, "Tool", "https://example.com/tool")
        with pytest.raises(RestrictedError):
            section.delete()
        curated_list.delete()
        assert not Entry.objects.exists()


class TestEntries:
    def test_entry_takes_its_list_from_its_section(self, curated_list):
        entry = make_entry(make_section(curated_list, "Tools"), "Tool", "https://x.example/")
        assert entry.curated_list == curated_list
        assert entry.normalized_url == "x.example"

    def test_entry_positions_are_unique_within_a_section(self, curated_list):
        section = make_section(curated_list, "Tools")
        make_entry(section, "One", "https://one.example", position=3)
        refused_by_database(lambda: make_entry(section, "Two", "https://two.example", position=3))

    def test_scheduled_entry_needs_a_publication_time(self, curated_list):
        section = make_section(curated_list, "Tools")
        refused_by_database(lambda: make_entry(section, "Soon", status="scheduled"))

    def test_unknown_status_is_refused_by_the_database(self, curated_list):
        section = make_section(curated_list, "Tools")
        entry = make_entry(section, "Tool")
        refused_by_database(lambda: Entry.objects.filter(pk=entry.pk).update(status="limbo"))

    def test_section_of_another_list_is_refused(self, curated_list):
        other = CuratedList.objects.create(slug="other", title="Other")
        entry = Entry(curated_list=curated_list, section=make_section(other, "Tools"), title="Tool")
        with pytest.raises(ValidationError, match="another list"):
            entry.full_clean()

    def test_url_update_keeps_the_duplicate_key_in_step(self, curated_list):
        entry = make_entry(make_section(curated_list, "Tools"), "Tool", "https://a.example")
        entry.url = "https://b.example/"
        entry.save(update_fields=["url"])
        entry.refresh_from_db()
        assert entry.normalized_url == "b.example"

    def test_published_queryset_excludes_proposals_and_other_states(self, curated_list):
        section = make_section(curated_list, "Tools")
        live = make_entry(section, "Live", "https://live.example")
        make_entry(section, "Draft", "https://draft.example", status="draft")
        Entry.objects.create(
            section=section, title="Live v2", status="published", proposal_for=live
        )
        assert list(Entry.objects.published()) == [live]


class TestListParts:
    def test_marker_symbol_is_unique_per_list(self, curated_list):
        Marker.objects.create(curated_list=curated_list, symbol="⭐", slug="pick", label="Pick")
        refused_by_database(
            lambda: Marker.objects.create(
                curated_list=curated_list, symbol="⭐", slug="other", label="Other"
            )
        )

    def test_approvals_required_is_at_least_one(self, curated_list):
        refused_by_database(
            lambda: CuratedList.objects.filter(pk=curated_list.pk).update(approvals_required=0)
        )

    def test_footer_positions_are_unique(self, curated_list):
        FooterBlock.objects.create(curated_list=curated_list, title="License", position=0)
        refused_by_database(
            lambda: FooterBlock.objects.create(curated_list=curated_list, title="More", position=0)
        )

    def test_extra_link_positions_are_unique_per_entry(self, curated_list):
        entry = make_entry(make_section(curated_list, "Tools"), "Tool", "https://t.example")
        ExtraLink.objects.create(entry=entry, label="Demo", url="https://demo.example")
        refused_by_database(
            lambda: ExtraLink.objects.create(entry=entry, label="Source", url="https://s.example")
        )

    def test_public_stats_count_published_entries_only(self, curated_list):
        section = make_section(curated_list, "Tools")
        make_entry(section, "One", "https://one.example")
        make_entry(section, "Two", "https://two.example", status="submitted")
        annotated = CuratedList.objects.with_public_stats().get(pk=curated_list.pk)
        assert annotated.published_count == 1
