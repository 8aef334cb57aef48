"""The public pages this foundation serves: the home page and a list page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Entry, Section
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    ExtraLinkFactory,
    MarkerFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def populated_list(entry_count: int, *, slug: str):
    """A list of ``entry_count`` published entries spread over nested sections."""
    curated_list = CuratedListFactory(slug=slug)
    marker = MarkerFactory(curated_list=curated_list, symbol="⭐", slug="pick", label="Pick")
    parents = [SectionFactory(curated_list=curated_list, renumber=False) for _ in range(4)]
    children = [SectionFactory(parent=p, renumber=False) for p in parents]
    Section.objects.renumber(curated_list)
    sections = parents + children
    for n in range(entry_count):
        entry = EntryFactory(section=sections[n % len(sections)], tags=["MIT"], markers=[marker])
        ExtraLinkFactory(entry=entry)
    return curated_list


def test_home_lists_every_list_with_its_published_count(client):
    curated_list = populated_list(3, slug="small")
    EntryFactory(section=curated_list.sections.first(), status=Entry.Status.SUBMITTED)
    response = client.get(reverse("catalog:home"))
    assert response.status_code == 200
    assert curated_list.title in response.content.decode()
    assert "3 links" in response.content.decode()


def test_list_page_shows_published_entries_only(client):
    curated_list = populated_list(2, slug="mixed")
    section = curated_list.sections.first()
    hidden = EntryFactory(section=section, status=Entry.Status.SUBMITTED, title="Not yet")
    proposal = EntryFactory(
        proposal_for=Entry.objects.published().first(),
        status=Entry.Status.SUBMITTED,
        title="Proposed title",
    )
    html = client.get(curated_list.get_absolute_url()).content.decode()
    for entry in Entry.objects.published():
        assert entry.title in html
    assert hidden.title not in html
    assert proposal.title not in html


def test_list_page_entry_without_url_has_no_link(client):
    curated_list = populated_list(1, slug="book")
    EntryFactory(section=curated_list.sections.first(), url="", title="A Printed Book")
    html = client.get(curated_list.get_absolute_url()).content.decode()
    assert "<strong>A Printed Book</strong>" in html


def test_unknown_list_is_404(client):
    assert client.get(reverse("catalog:list-detail", args=["nope"])).status_code == 404


def test_submitted_text_is_escaped(client):
    curated_list = populated_list(0, slug="xss")
    EntryFactory(
        section=curated_list.sections.first(),
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>",
    )
    html = client.get(curated_list.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html


@pytest.mark.parametrize("size", [20, 500])
def test_list_page_query_count_does_not_depend_on_size(client, django_assert_num_queries, size):
    curated_list = populated_list(size, slug=f"size-{size}")
    # list + sections + entries + markers + tags + extra links + legend + footer
    with django_assert_num_queries(8):
        response = client.get(curated_list.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="entry"') == size


def test_home_query_count_does_not_depend_on_list_count(client, django_assert_num_queries):
    for n in range(5):
        populated_list(2, slug=f"list-{n}")
    with django_assert_num_queries(1):
        assert client.get(reverse("catalog:home")).status_code == 200


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_the_site_has_a_favicon(client):
    """Every page names the icon; /favicon.ico (which browsers ask for anyway) leads to it."""
    page = client.get(reverse("catalog:home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    from django.contrib.staticfiles import finders

    icon = finders.find("favicon.svg")
    assert icon
    with open(icon, encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")


def test_section_permalinks_name_their_visible_text(client):
    """The "#" permalink's accessible name starts with what it shows (WCAG 2.5.3)."""
    curated_list = CuratedListFactory(slug="perma")
    EntryFactory(section=SectionFactory(curated_list=curated_list, title="Data Formats"))
    html = client.get(curated_list.get_absolute_url()).content.decode()
    assert 'aria-label="Link to section' not in html
    assert (
        'class="permalink" href="#data-formats">#<span class="visually-hidden"> link to '
        "section Data Formats</span></a>"
    ) in html
