"""The admin's ways in refuse bad values in words, never with a 500 or a bare 400 (issue 17)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import CuratedList, Entry, Section
from curation.models import Role
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    MarkerFactory,
    MembershipFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    membership = MembershipFactory(role=Role.CURATOR, curated_list=CuratedListFactory(slug="ours"))
    client.force_login(membership.user)
    return membership


def import_url(curated_list):
    return reverse("admin:catalog_curatedlist_import_readme", args=[curated_list.pk])


def preview_and_confirm(client, curated_list, text):
    preview = client.post(import_url(curated_list), {"text": text})
    assert preview.status_code == 200
    if "readme" not in preview.context:
        return preview, None
    done = client.post(
        import_url(curated_list), {"confirm": "1", "readme": preview.context["readme"]}
    )
    return preview, done


def test_tag_and_marker_filters_list_only_what_this_person_may_see(client, curator):
    ours = SectionFactory(curated_list=curator.curated_list)
    EntryFactory(
        section=ours,
        tags=["visible-tag"],
        markers=[MarkerFactory(curated_list=curator.curated_list, label="Our marker")],
    )
    theirs = SectionFactory(curated_list=CuratedListFactory(slug="theirs"))
    EntryFactory(
        section=theirs,
        status=Entry.Status.DRAFT,
        tags=["secret-draft-tag"],
        markers=[MarkerFactory(curated_list=theirs.curated_list, label="Their marker")],
    )
    page = client.get(reverse("admin:catalog_entry_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "visible-tag" in html
    assert "Our marker" in html
    assert "secret-draft-tag" not in html
    assert "Their marker" not in html


@pytest.mark.parametrize("view", ["import_readme", "download_readme"])
def test_a_list_id_that_is_not_a_number_is_a_404(client, curator, view):
    response = client.get(f"/admin/catalog/curatedlist/abc/{view.replace('_', '-')}/")
    assert response.status_code == 404


def test_a_readme_over_2_mb_previews_and_confirms(client, curator):
    prose = "Prose é " * 330_000  # 2.97 MB of UTF-8, three times that URL-encoded
    text = (
        f"# Awesome Big\n\n> A big list.\n\nIntro.\n\n{prose}\n\n"
        "## Tools\n\n- [One](https://one.example/) - First.\n"
    )
    assert len(text.encode()) > 2.5 * 1024 * 1024
    preview, done = preview_and_confirm(client, curator.curated_list, text)
    assert done is not None, preview.context["form"].errors
    assert done.status_code == 302
    assert Entry.objects.filter(curated_list=curator.curated_list).count() == 1


BAD_ITEMS = [
    ("https://x.example.org:99999/", "port"),
    ("https://x.example.org:k/", "port"),
    ("https://[bad/", "host"),
    ("https://user:pass@example.org/", "password"),
    ("https://example.org/" + "a" * 2100, "at most 2048"),
]


@pytest.mark.parametrize(("url", "message"), BAD_ITEMS)
def test_an_item_with_a_bad_url_is_reported_and_the_rest_imported(client, curator, url, message):
    text = (
        "# Awesome Ours\n\n## Tools\n\n- [Good](https://good.example/) - Fine.\n"
        f"- [Bad]({url}) - Broken.\n"
    )
    preview, done = preview_and_confirm(client, curator.curated_list, text)
    report = preview.context["report"]
    assert "Entries not imported" in report
    assert "section “Tools” › Bad › URL" in report
    assert message in report
    assert done.status_code == 302
    titles = set(
        Entry.objects.filter(curated_list=curator.curated_list).values_list("title", flat=True)
    )
    assert titles == {"Good"}


@pytest.mark.parametrize(
    ("item", "where"),
    [
        ("- [" + "T" * 301 + "](https://long.example/) - Long title.", "› title"),
        ("- [Tab\x01bed](https://ctl.example/) - Control.", "› title"),
        ("- [Tagged](https://tag.example/) - Tagged. (`" + "x" * 101 + "`)", "› tag"),
    ],
)
def test_an_item_with_a_bad_field_is_reported_by_field(client, curator, item, where):
    text = f"# Awesome Ours\n\n## Tools\n\n- [Good](https://good.example/) - Fine.\n{item}\n"
    preview, done = preview_and_confirm(client, curator.curated_list, text)
    assert where in preview.context["report"]
    assert done.status_code == 302
    assert Entry.objects.filter(curated_list=curator.curated_list).count() == 1


def test_a_section_title_too_long_refuses_the_whole_import_in_words(client, curator):
    text = "# Awesome Ours\n\n## " + "S" * 201 + "\n\n- [Good](https://good.example/) - Fine.\n"
    preview = client.post(import_url(curator.curated_list), {"text": text})
    assert preview.status_code == 200
    errors = " ".join(preview.context["form"].non_field_errors())
    assert "Nothing was imported" in errors
    assert "title: It has 201 characters; at most 200 are allowed." in errors
    assert not Section.objects.filter(curated_list=curator.curated_list).exists()
    assert CuratedList.objects.get(pk=curator.curated_list.pk).title != "Awesome Ours"
