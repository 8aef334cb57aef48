"""The admin as each demo account sees it: what its role allows, and nothing more."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import CuratedList, Entry, Section
from curation.models import Membership
from tests.demo import PASSWORDS, login
from tests.factories import UserFactory
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


def admin_url(model, action="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def page_form(client, url, form_id):
    """GET an admin form page and return the data its form would submit unchanged."""
    page = client.get(url)
    assert page.status_code == 200
    return form_data(page.content.decode(), form_id)


def markup(curated_list) -> Section:
    return Section.objects.get(curated_list=curated_list, parent=None, slug="markup")


def editors(curated_list) -> Section:
    return Section.objects.get(curated_list=curated_list, parent=None, slug="editors")


class TestEveryAccountLogsIn:
    @pytest.mark.parametrize("username", sorted(PASSWORDS))
    def test_admin_index_opens(self, client, demo, username):
        response = login(client, username).get(reverse("admin:index"))
        assert response.status_code == 200
        assert b"Entries" in response.content

    @pytest.mark.parametrize(
        ("username", "sees_memberships"),
        [
            ("admin", True),
            ("curator", True),
            ("section-editor", True),
            ("reviewer", False),
            ("contributor", False),
        ],
    )
    def test_memberships_are_for_curators(self, client, demo, username, sees_memberships):
        response = login(client, username).get(reverse("admin:index"))
        assert (b"Memberships" in response.content) is sees_memberships

    def test_staff_without_any_role_sees_no_app(self, client, demo):
        user = UserFactory(is_staff=True, password="a-long-enough-secret")
        client.login(username=user.username, password="a-long-enough-secret")
        response = client.get(reverse("admin:index"))
        assert b"Entries" not in response.content
        assert client.get(admin_url(Entry)).status_code == 403


class TestListSettings:
    def test_curator_changes_list_settings(self, client, demo):
        url = admin_url(CuratedList, "change", demo.pk)
        data = page_form(login(client, "curator"), url, "curatedlist_form")
        data.update(tagline="A new tagline", approvals_required="2")
        response = client.post(admin_url(CuratedList, "change", demo.pk), data)
        assert response.status_code == 302, response.content.decode()[-3000:]
        demo.refresh_from_db()
        assert (demo.tagline, demo.approvals_required) == ("A new tagline", 2)

    @pytest.mark.parametrize("username", ["reviewer", "contributor", "section-editor"])
    def test_others_see_the_settings_read_only(self, client, demo, username):
        client = login(client, username)
        page = client.get(admin_url(CuratedList, "change", demo.pk))
        assert page.status_code == 200
        assert b'name="_save"' not in page.content
        response = client.post(
            admin_url(CuratedList, "change", demo.pk), {"title": "Taken over", "slug": demo.slug}
        )
        assert response.status_code == 403
        demo.refresh_from_db()
        assert demo.title != "Taken over"

    def test_only_superusers_create_lists(self, client, demo):
        assert login(client, "curator").get(admin_url(CuratedList, "add")).status_code == 403
        assert login(client, "admin").get(admin_url(CuratedList, "add")).status_code == 200


class TestSectionTree:
    def test_list_page_shows_sections_in_tree_order(self, client, demo):
        page = login(client, "curator").get(admin_url(CuratedList, "change", demo.pk))
        html = page.content.decode()
        titles = [s.title for s in Section.objects.for_list(demo).in_tree_order()]
        positions = [html.index(f'value="{title}"') for title in titles]
        assert positions == sorted(positions)

    def test_curator_adds_a_subsection_at_the_end_of_its_siblings(self, client, demo):
        parent = markup(demo)
        siblings = parent.children.count()
        response = login(client, "curator").post(
            admin_url(Section, "add"),
            {
                "curated_list": demo.pk,
                "parent": parent.pk,
                "title": "Wiki Syntax",
                "slug": "wiki-syntax",
                "description": "",
                "position": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[-3000:]
        added = Section.objects.get(slug="wiki-syntax")
        assert added.position >= siblings
        assert added.depth == 1
        assert str(added) == "Markup › Wiki Syntax"
        last_child = Section.objects.filter(parent=parent).order_by("tree_path").last()
        assert last_child == added

    def test_section_editor_works_inside_their_subtree_only(self, client, demo):
        client = login(client, "section-editor")
        inside = markup(demo).children.first()
        outside = editors(demo)
        assert client.get(admin_url(Section, "change", inside.pk)).status_code == 200
        changelist = client.get(admin_url(Section)).content.decode()
        assert inside.title in changelist
        assert outside.title not in changelist
        assert client.get(admin_url(Section, "change", outside.pk)).status_code == 302  # gone

    def test_section_editor_cannot_add_top_level_sections(self, client, demo):
        response = login(client, "section-editor").post(
            admin_url(Section, "add"),
            {"curated_list": demo.pk, "parent": "", "title": "Mine", "slug": "mine"},
        )
        assert response.status_code == 200
        assert b"Only curators of the whole list" in response.content
        assert not Section.objects.filter(slug="mine").exists()


class TestEntries:
    def entry_form(self, client, section, url=None, **fields):
        data = page_form(client, url or admin_url(Entry, "add"), "entry_form")
        data.update(
            section=str(section.pk),
            title="Plain Example",
            url="https://plain.example.org/",
            description="An example.",
        )
        data.update(fields)
        return data

    def test_contributor_adds_a_draft_with_provenance(self, client, demo):
        client = login(client, "contributor")
        response = client.post(admin_url(Entry, "add"), self.entry_form(client, editors(demo)))
        assert response.status_code == 302, response.content.decode()[-3000:]
        entry = Entry.objects.get(title="Plain Example")
        assert entry.status == Entry.Status.DRAFT
        assert entry.submitted_by.username == "contributor"
        assert entry.source == Entry.Source.ADMIN
        assert entry.curated_list == demo

    def test_duplicate_of_a_live_link_is_a_form_error_not_a_crash(self, client, demo):
        live = Entry.objects.published().filter(curated_list=demo).exclude(url="").first()
        pending = Entry.objects.filter(curated_list=demo, status=Entry.Status.SUBMITTED).first()
        same_link = live.url.replace("https://", "http://", 1).rstrip("/") + "/?utm_source=news"
        client = login(client, "curator")
        change_url = admin_url(Entry, "change", pending.pk)
        data = page_form(client, change_url, "entry_form")
        data["url"] = same_link
        response = client.post(change_url, data)
        assert response.status_code == 200
        assert b"already has a live or pending entry with the same link" in response.content
        pending.refresh_from_db()
        assert pending.normalized_url != live.normalized_url

    def test_a_draft_may_share_a_live_link(self, client, demo):
        live = Entry.objects.published().filter(curated_list=demo).exclude(url="").first()
        client = login(client, "curator")
        data = self.entry_form(client, live.section, url=None)
        data["url"] = live.url
        assert client.post(admin_url(Entry, "add"), data).status_code == 302
        assert Entry.objects.get(title="Plain Example").status == Entry.Status.DRAFT

    def test_contributor_cannot_edit_a_published_entry(self, client, demo):
        entry = Entry.objects.published().filter(curated_list=demo).first()
        client = login(client, "contributor")
        page = client.get(admin_url(Entry, "change", entry.pk))
        assert page.status_code == 200
        assert b'name="_save"' not in page.content
        data = self.entry_form(client, entry.section, title="Vandalised")  # a form from elsewhere
        assert client.post(admin_url(Entry, "change", entry.pk), data).status_code == 403
        entry.refresh_from_db()
        assert entry.title != "Vandalised"

    def test_status_is_not_an_editable_field(self, client, demo):
        entry = Entry.objects.filter(curated_list=demo, status=Entry.Status.DRAFT).first()
        client = login(client, "curator")
        change_url = admin_url(Entry, "change", entry.pk)
        assert b'name="status"' not in client.get(change_url).content
        data = page_form(client, change_url, "entry_form")
        data["status"] = "published"
        response = client.post(admin_url(Entry, "change", entry.pk), data)
        assert response.status_code == 302, response.content.decode()[-3000:]
        entry.refresh_from_db()
        assert entry.status == Entry.Status.DRAFT

    def test_section_editor_sees_only_their_subtree(self, client, demo):
        response = login(client, "section-editor").get(admin_url(Entry), {"all": ""})
        html = response.content.decode()
        subtree = markup(demo)
        for entry in Entry.objects.filter(curated_list=demo).select_related("section"):
            shown = f">{entry.title}<" in html
            assert shown is entry.section.is_within(subtree), entry.title

    def test_changelist_filters_by_list_status_tag_and_section(self, client, demo):
        client = login(client, "curator")
        for params in (
            {"status__exact": "published"},
            {"curated_list__id__exact": demo.pk},
            {"tags__id__exact": Entry.objects.filter(tags__isnull=False).first().tags.first().pk},
            {"section__id__exact": markup(demo).pk},
            {"q": "markdown"},
        ):
            response = client.get(admin_url(Entry), params)
            assert response.status_code == 200, params
            assert b"errornote" not in response.content

    def test_changelist_query_count_does_not_grow_with_rows(
        self, client, demo, django_assert_max_num_queries
    ):
        client = login(client, "admin")
        client.get(admin_url(Entry))  # warm the session and content types
        with django_assert_max_num_queries(20):
            response = client.get(admin_url(Entry))
        assert response.status_code == 200


def test_memberships_are_granted_by_superusers_only(client, demo):
    membership = Membership.objects.filter(curated_list=demo).first()
    curator = login(client, "curator")
    assert curator.get(admin_url(Membership)).status_code == 200
    assert curator.get(admin_url(Membership, "add")).status_code == 403
    assert (
        curator.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"}).status_code
        == 403
    )
