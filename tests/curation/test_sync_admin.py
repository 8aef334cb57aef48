"""The list's "Sync from README" in the admin: README → change set with counts → confirm."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.choices import EntrySource
from catalog.models import Entry
from curation.models import Membership, Role
from tests.curation.health.servers import LocalServer, Reply
from tests.curation.test_sync import NEW, Lived
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-secret"


@pytest.fixture
def lived() -> Lived:
    return Lived()


def sign_in(client, user):  # type: ignore[no-untyped-def]
    user.set_password(PASSWORD)
    user.is_staff = True
    user.save()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def sync_url(lived: Lived) -> str:
    return reverse("admin:catalog_curatedlist_sync_readme", args=[lived.curated_list.pk])


def test_preview_shows_the_change_set_with_counts_then_confirm_submits(client, lived):
    client = sign_in(client, lived.curator)
    before = lived.snapshot()
    upload = SimpleUploadedFile("README.md", NEW.encode(), content_type="text/markdown")
    preview = client.post(sync_url(lived), {"file": upload})
    assert preview.status_code == 200
    html = preview.content.decode()
    counts = dict(preview.context["counts"])
    assert counts == {
        "entries added": 2,
        "entries removed": 1,
        "entries changed": 3,
        "entries moved": 1,
        "sections moved": 1,
        "conflicts": 2,
    }
    assert "+ Thermo &lt;https://thermo.example.org&gt; in Brewing (line 18)" in html
    assert "Old Pot: archived here as" in html
    assert 'value="submissions" checked' in html
    assert lived.snapshot() == before  # a preview writes nothing

    done = client.post(
        sync_url(lived),
        {"confirm": "1", "readme": preview.context["readme"], "source": "an uploaded file"},
        follow=True,
    )
    page = done.content.decode()
    assert "1 new entries submitted for review; 2 changes proposed; 1 entries archived" in page
    assert "Conflict, not applied: “Busy Mug”" in page
    thermo = lived.entry("Thermo")
    assert (thermo.status, thermo.source) == (Entry.Status.SUBMITTED, EntrySource.SYNC)
    assert thermo.submitted_by == lived.curator
    assert lived.entry("Leaf Scale").proposals.get().status == Entry.Status.SUBMITTED


def test_a_curator_may_choose_to_publish_at_once(client, lived):
    client = sign_in(client, lived.curator)
    preview = client.post(sync_url(lived), {"text": NEW})
    client.post(
        sync_url(lived),
        {"confirm": "1", "readme": preview.context["readme"], "mode": "publish", "source": "x"},
    )
    assert lived.entry("Thermo").status == Entry.Status.PUBLISHED
    assert lived.entry("Leaf Scale").description == "Weighs leaves to a tenth of a gram."
    again = client.post(sync_url(lived), {"text": NEW})
    assert dict(again.context["counts"]) == {
        "entries added": 1,
        "entries changed": 1,
        "conflicts": 2,
    }


def test_a_readme_by_url(client, lived, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    client = sign_in(client, lived.curator)
    with LocalServer() as server:
        url = server.route("/raw/README.md", Reply(200, body=NEW.encode()))
        preview = client.post(sync_url(lived), {"url": url})
    assert preview.context["source"] == url
    assert dict(preview.context["counts"])["entries added"] == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a README file or paste its text."),
        ({"text": NEW, "url": "https://example.org/README.md"}, "Give one README"),
        ({"text": "# Nothing\n\nJust prose.\n"}, "No list items with links were found"),
    ],
)
def test_bad_input_is_a_message(client, lived, data, message):
    before = lived.snapshot()
    response = sign_in(client, lived.curator).post(sync_url(lived), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert lived.snapshot() == before


def test_a_url_on_a_private_address_is_a_message(client, lived, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    with LocalServer() as server:
        url = server.route("/raw/README.md", Reply(200, body=NEW.encode()))
        response = sign_in(client, lived.curator).post(sync_url(lived), {"url": url})
    assert "Cannot fetch" in response.content.decode()


def test_only_list_wide_curators_sync(client, lived):
    scoped_curator = UserFactory()
    Membership.objects.create(
        user=scoped_curator, curated_list=lived.curated_list, role=Role.CURATOR, section=lived.cold
    )
    before = lived.snapshot()
    for user in (lived.reviewer, lived.author, scoped_curator):
        client.logout()
        signed_in = sign_in(client, user)
        assert signed_in.get(sync_url(lived)).status_code == 403
        posted = signed_in.post(sync_url(lived), {"confirm": "1", "readme": NEW, "mode": "publish"})
        assert posted.status_code == 403
    assert lived.snapshot() == before


def test_the_list_page_offers_sync_beside_import(client, lived):
    change_url = reverse("admin:catalog_curatedlist_change", args=[lived.curated_list.pk])
    page = sign_in(client, lived.curator).get(change_url).content.decode()
    assert sync_url(lived) in page
    assert "Sync from README" in page
