"""Import README (upload or paste → preview → confirm) and Download README in the admin."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.export import export_files
from catalog.importer import read_readme, store_document
from catalog.models import CuratedList, Entry, Marker, Section
from curation.models import Membership, Role
from curation.public.models import Suggestion
from tests.catalog.test_importer import README
from tests.demo import login
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


def urls(curated_list):
    return (
        reverse("admin:catalog_curatedlist_import_readme", args=[curated_list.pk]),
        reverse("admin:catalog_curatedlist_download_readme", args=[curated_list.pk]),
    )


def fresh_list(demo):
    """A list of the demo's curator that was imported and nobody has worked on since."""
    doc, _ = read_readme(README.encode())
    fresh = store_document(doc, slug="fresh-tea").curated_list
    curator = Membership.objects.get(curated_list=demo, user__username="curator", section=None)
    Membership.objects.create(user=curator.user, curated_list=fresh, role=Role.CURATOR)
    return fresh


def test_curator_previews_then_confirms_an_upload(client, demo):
    fresh = fresh_list(demo)
    import_url, _ = urls(fresh)
    client = login(client, "curator")
    upload = SimpleUploadedFile("README.md", README.encode(), content_type="text/markdown")
    preview = client.post(import_url, {"file": upload})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Entries: 5" in html
    assert "replaces the 5 entries" in html
    old_ids = set(Entry.objects.filter(curated_list=fresh).values_list("pk", flat=True))

    data = form_data(html, "import-confirm-form")
    data["confirm_slug"] = "fresh-tea"  # typed, as the preview asks
    done = client.post(import_url, {**data, "confirm": "1"})
    assert done.status_code == 302
    new_ids = set(Entry.objects.filter(curated_list=fresh).values_list("pk", flat=True))
    assert len(new_ids) == 5
    assert not new_ids & old_ids  # replaced: that is what a replace does, on a list nobody used
    assert "Gongfu Timer" in export_files(fresh)["README.md"]


def test_preview_of_a_replace_lists_what_is_deleted_and_what_the_readme_overwrites(client, demo):
    fresh = fresh_list(demo)
    CuratedList.objects.filter(pk=fresh.pk).update(title="My Tea Shelf", license="CC0-1.0")
    Marker.objects.filter(curated_list=fresh, symbol="⭐").update(label="Our favourite")
    Section.objects.create(curated_list=fresh, title="Teaware", slug="teaware", position=9)
    Section.objects.renumber(fresh)
    import_url, _ = urls(fresh)
    preview = login(client, "curator").post(import_url, {"text": README})
    html = preview.content.decode()
    impact = html[html.index('id="import-impact"') :]
    assert "5 published entries" in impact
    assert "0 visitor suggestions" in impact
    assert "0 reviews" in impact
    assert "0 workflow events" in impact
    assert "1 section the README has no heading for: Teaware" in impact
    changes = impact[impact.index('id="import-changes"') : impact.index("</table>")]
    assert "My Tea Shelf" in changes
    assert "Awesome Tea" in changes
    assert '<th scope="row">Licence</th><td>CC0-1.0</td>' in changes
    assert "Our favourite" in changes
    assert "Curator&#x27;s pick" in changes
    assert 'name="confirm_slug"' in html


@pytest.mark.parametrize("typed", ["", "fresh", "FRESH-TEA", "awesome-tea"])
def test_a_replace_without_the_slug_typed_out_replaces_nothing(client, demo, typed):
    fresh = fresh_list(demo)
    CuratedList.objects.filter(pk=fresh.pk).update(title="My Tea Shelf")
    import_url, _ = urls(fresh)
    client = login(client, "curator")
    before = set(Entry.objects.filter(curated_list=fresh).values_list("pk", flat=True))
    preview = client.post(import_url, {"text": README})
    data = form_data(preview.content.decode(), "import-confirm-form")
    data["confirm_slug"] = typed
    again = client.post(import_url, {**data, "confirm": "1"})
    assert again.status_code == 200
    html = again.content.decode()
    assert "Type the list&#x27;s slug “fresh-tea” to confirm" in html
    assert "Nothing was replaced." in html
    assert 'id="import-impact"' in html  # the same preview, to confirm from
    assert set(Entry.objects.filter(curated_list=fresh).values_list("pk", flat=True)) == before
    assert CuratedList.objects.get(pk=fresh.pk).title == "My Tea Shelf"
    # Typed right on the page it came back with, the replace goes through.
    data = form_data(html, "import-confirm-form")
    data["confirm_slug"] = " fresh-tea "
    done = client.post(import_url, {**data, "confirm": "1"})
    assert done.status_code == 302
    assert not set(Entry.objects.filter(curated_list=fresh).values_list("pk", flat=True)) & before
    assert CuratedList.objects.get(pk=fresh.pk).title == "Awesome Tea"


def test_visitor_suggestions_are_history_a_replace_refuses_to_destroy(client, demo):
    fresh = fresh_list(demo)
    entry = Entry.objects.filter(curated_list=fresh).first()
    Suggestion.objects.create(entry=entry, token_digest="0" * 64)
    import_url, _ = urls(fresh)
    client = login(client, "curator")
    html = client.post(import_url, {"text": README}).content.decode()
    assert "1 visitor suggestion." in html
    assert "editorial history that importing would destroy" in html
    assert 'name="confirm"' not in html
    done = client.post(
        import_url, {"confirm": "1", "readme": README, "confirm_slug": "fresh-tea"}, follow=True
    )
    assert "sync_readme" in done.content.decode()
    assert Suggestion.objects.filter(entry=entry).exists()


def test_import_over_a_list_with_history_says_what_would_be_lost_and_points_at_sync(client, demo):
    import_url, _ = urls(demo)
    client = login(client, "curator")
    before = set(Entry.objects.filter(curated_list=demo).values_list("pk", flat=True))
    preview = client.post(import_url, {"text": README})
    html = preview.content.decode()
    assert "editorial history that importing would destroy" in html
    assert "reviews" in html
    sync_url = reverse("admin:catalog_curatedlist_sync_readme", args=[demo.pk])
    assert f'href="{sync_url}"' in html
    assert 'name="confirm"' not in html
    # A confirmation posted anyway (a stale page, a crafted request) is refused as well.
    done = client.post(import_url, {"confirm": "1", "readme": README}, follow=True)
    assert "sync_readme" in done.content.decode()
    assert set(Entry.objects.filter(curated_list=demo).values_list("pk", flat=True)) == before


def test_pasted_text_works_too(client, demo):
    import_url, _ = urls(demo)
    preview = login(client, "curator").post(import_url, {"text": README})
    assert preview.context["entry_count"] == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a README file or paste its text."),
        ({"text": "# Nothing here\n\nJust prose.\n"}, "No list items with links were found"),
    ],
)
def test_bad_input_is_a_message_and_nothing_changes(client, demo, data, message):
    import_url, _ = urls(demo)
    before = Entry.objects.filter(curated_list=demo).count()
    response = login(client, "curator").post(import_url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Entry.objects.filter(curated_list=demo).count() == before


def test_binary_upload_is_refused_in_words(client, demo):
    import_url, _ = urls(demo)
    upload = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
    response = login(client, "curator").post(import_url, {"file": upload})
    assert "looks binary" in response.content.decode()


@pytest.mark.parametrize("username", ["section-editor", "reviewer", "contributor"])
def test_only_list_wide_curators_import(client, demo, username):
    import_url, _ = urls(demo)
    client = login(client, username)
    assert client.get(import_url).status_code == 403
    assert client.post(import_url, {"confirm": "1", "readme": README}).status_code == 403
    assert not Entry.objects.filter(title="Gongfu Timer").exists()


def test_change_page_offers_the_buttons_each_user_may_use(client, demo):
    import_url, download_url = urls(demo)
    change_url = reverse("admin:catalog_curatedlist_change", args=[demo.pk])
    curator_page = login(client, "curator").get(change_url).content.decode()
    assert import_url in curator_page
    assert download_url in curator_page
    client.logout()
    reviewer_page = login(client, "reviewer").get(change_url).content.decode()
    assert import_url not in reviewer_page
    assert download_url in reviewer_page


@pytest.mark.parametrize("username", ["curator", "reviewer", "contributor"])
def test_members_download_the_exported_files_as_a_zip(client, demo, username):
    _, download_url = urls(demo)
    response = login(client, username).get(download_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    expected = export_files(demo)
    assert sorted(archive.namelist()) == sorted(f"{demo.slug}/{name}" for name in expected)
    for name, text in expected.items():
        assert archive.read(f"{demo.slug}/{name}").decode() == text


def test_outsiders_cannot_download(client, demo):
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True, password="a-long-enough-secret")
    client.login(username=user.username, password="a-long-enough-secret")
    assert client.get(urls(demo)[1]).status_code == 403


def test_into_a_list_without_entries_the_preview_shows_the_changes_and_asks_no_slug(client, demo):
    curator = Membership.objects.get(curated_list=demo, user__username="curator", section=None)
    empty = CuratedList.objects.create(slug="empty-tea", title="Empty Tea", license="CC0-1.0")
    Membership.objects.create(user=curator.user, curated_list=empty, role=Role.CURATOR)
    import_url, _ = urls(empty)
    client = login(client, "curator")
    html = client.post(import_url, {"text": README}).content.decode()
    changes = html[html.index('id="import-changes"') :]
    changes = changes[: changes.index("</table>")]
    assert "Empty Tea" in changes
    assert 'id="import-deleted"' not in html  # nothing to delete
    assert 'name="confirm_slug"' not in html
    data = form_data(html, "import-confirm-form")
    assert client.post(import_url, {**data, "confirm": "1"}).status_code == 302
    assert Entry.objects.filter(curated_list=empty).count() == 5
