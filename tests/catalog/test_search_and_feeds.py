"""Search with filters that combine and paginate, tag pages, and the Atom / JSON feeds."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Entry
from tests.factories import CuratedListFactory, EntryFactory, MarkerFactory, SectionFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def catalog_list():
    curated_list = CuratedListFactory(slug="py", title="Awesome Py")
    star = MarkerFactory(curated_list=curated_list, symbol="⭐", slug="pick", label="Pick")
    web = SectionFactory(curated_list=curated_list, title="Web")
    frameworks = SectionFactory(parent=web, title="Frameworks")
    cli = SectionFactory(curated_list=curated_list, title="CLI")
    old = timezone.now() - dt.timedelta(days=90)
    EntryFactory(
        section=frameworks,
        title="Django",
        description="The web framework for perfectionists.",
        tags=["MIT"],
        markers=[star],
    )
    EntryFactory(
        section=frameworks,
        title="Flask",
        description="A micro web framework.",
        tags=["BSD"],
        published_at=old,
    )
    EntryFactory(section=web, title="httpx", description="An HTTP client.", tags=["BSD"])
    EntryFactory(
        section=cli,
        title="Click",
        description="Command line interfaces.",
        tags=["BSD"],
        markers=[star],
    )
    EntryFactory(
        section=cli,
        title="Typer web",
        url="https://typer.example/web-cli",
        description="CLIs.",
        status=Entry.Status.SUBMITTED,
    )
    return curated_list


def titles(response) -> list[str]:
    return [entry.title for entry, _ in response.context["results"]]


def search(client, **params):
    response = client.get(reverse("catalog:list-search", args=["py"]), params)
    assert response.status_code == 200
    return response


def test_search_matches_title_description_and_url_of_published_entries(client, catalog_list):
    assert set(titles(search(client, q="framework"))) == {"Django", "Flask"}
    assert titles(search(client, q="Click")) == ["Click"]
    assert titles(search(client, q="example.com/tools/httpx")) == ["httpx"]
    assert titles(search(client, q="nothing-like-this")) == []
    assert "Typer web" not in titles(search(client, q="web"))


def test_tag_filter_takes_the_name_shown_on_the_pill_and_offers_the_lists_tags(
    client, catalog_list
):
    """A visitor types what the tag pills show ("GPL-3.0", "Emacs Lisp"), not the slug."""
    cli = catalog_list.sections.get(title="CLI")
    EntryFactory(section=cli, title="Magit", description="Git in Emacs.", tags=["Emacs Lisp"])
    EntryFactory(section=cli, title="GPL tool", description="Free.", tags=["GPL-3.0"])
    EntryFactory(
        section=cli,
        title="Hidden",
        url="https://hidden.example/",
        description="Draft.",
        tags=["Secret draft tag"],
        status=Entry.Status.DRAFT,
    )
    assert titles(search(client, tag="GPL-3.0")) == ["GPL tool"]
    assert titles(search(client, tag="gpl-3.0")) == ["GPL tool"]
    assert titles(search(client, tag="Emacs Lisp")) == ["Magit"]
    assert titles(search(client, tag="emacs-lisp")) == ["Magit"]  # the slug still works
    page = search(client).content.decode()
    assert 'list="tag-options"' in page
    assert '<option value="Emacs Lisp">' in page
    assert '<option value="GPL-3.0">' in page
    assert "Secret draft tag" not in page  # only tags of published entries


def test_filters_combine(client, catalog_list):
    web = catalog_list.sections.get(title="Web")
    assert set(titles(search(client, section=web.pk))) == {"Django", "Flask", "httpx"}
    assert set(titles(search(client, section=web.pk, tag="bsd"))) == {"Flask", "httpx"}
    assert titles(search(client, marker="pick", section=web.pk)) == ["Django"]
    assert set(titles(search(client, added="30", tag="bsd"))) == {"httpx", "Click"}
    assert titles(search(client, q="framework", added="30")) == ["Django"]
    html = search(client, q="framework").content.decode()
    assert '<label for="id_q">Search</label>' in html
    assert '<label for="id_section">' in html


def test_invalid_filters_say_so_instead_of_failing(client, catalog_list):
    response = search(client, marker="nope", added="9")
    assert response.context["results"] == []
    assert "Select a valid choice" in response.content.decode()


def test_results_paginate_keeping_the_filters(client, catalog_list):
    cli = catalog_list.sections.get(title="CLI")
    for n in range(60):
        EntryFactory(section=cli, title=f"Extra {n}", tags=["BSD"])
    first = search(client, tag="bsd")
    assert first.context["page_obj"].paginator.count == 63
    assert len(first.context["results"]) == 50
    assert 'href="?tag=bsd&amp;page=2"' in first.content.decode()
    assert len(search(client, tag="bsd", page=2).context["results"]) == 13


def test_tag_page_lists_the_tagged_entries_of_the_list(client, catalog_list):
    other = SectionFactory(curated_list=CuratedListFactory(slug="other"))
    EntryFactory(section=other, title="Elsewhere", tags=["BSD"])
    response = client.get(reverse("catalog:list-tag", args=["py", "bsd"]))
    assert response.status_code == 200
    assert set(titles(response)) == {"Flask", "httpx", "Click"}
    assert client.get(reverse("catalog:list-tag", args=["py", "gpl"])).status_code == 404


def test_list_atom_feed_has_recent_entries_newest_first(client, catalog_list):
    response = client.get(reverse("catalog:list-feed-atom", args=["py"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    names = [e.find(f"{ATOM}title").text for e in entries]
    assert set(names) == {"Django", "Flask", "httpx", "Click"}
    assert names[-1] == "Flask"  # the oldest
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/lists/py/#entry-")


def _rfc4287_problems(root) -> list[str]:
    """What RFC 4287 requires of a feed and its entries: id (an IRI), title and updated once
    each; an author on the feed or on every entry; an entry's link or content."""
    problems = []

    def check(element, where: str) -> None:
        for name in ("id", "title", "updated"):
            if len(element.findall(f"{ATOM}{name}")) != 1:
                problems.append(f"{where}: {name} must occur exactly once")
        ident = element.findtext(f"{ATOM}id") or ""
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", ident):
            problems.append(f"{where}: id {ident!r} is not an IRI")

    check(root, "feed")
    feed_author = root.find(f"{ATOM}author")
    for n, entry in enumerate(root.findall(f"{ATOM}entry")):
        check(entry, f"entry {n}")
        if feed_author is None and entry.find(f"{ATOM}author") is None:
            problems.append(f"entry {n}: no author, and the feed has none")
        if entry.find(f"{ATOM}content") is None and not entry.findall(f"{ATOM}link"):
            problems.append(f"entry {n}: neither content nor link")
    return problems


def test_atom_feeds_are_valid_rfc_4287_and_link_the_tools(client, catalog_list):
    for url in (reverse("catalog:list-feed-atom", args=["py"]), reverse("catalog:site-feed-atom")):
        root = ET.fromstring(client.get(url).content)
        assert _rfc4287_problems(root) == [], url
        assert root.find(f"{ATOM}author/{ATOM}name").text
        entries = root.findall(f"{ATOM}entry")
        assert entries
        ids = [entry.findtext(f"{ATOM}id") for entry in entries]
        assert all(ident.startswith("tag:") for ident in ids)
        assert len(set(ids)) == len(ids)
        django = next(e for e in entries if e.findtext(f"{ATOM}title") == "Django")
        related = [
            link.get("href")
            for link in django.findall(f"{ATOM}link")
            if link.get("rel") == "related"
        ]
        assert related == [Entry.objects.get(title="Django").url]


def test_json_feed_is_version_1_1(client, catalog_list):
    response = client.get(reverse("catalog:list-feed-json", args=["py"]))
    assert response["Content-Type"] == "application/feed+json"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "http://testserver/lists/py/feed.json"
    assert feed["home_page_url"] == "http://testserver/lists/py/"
    first = feed["items"][0]
    assert {"id", "url", "title", "content_html", "date_published"} <= first.keys()
    assert first["external_url"].startswith("https://")
    assert [i["title"] for i in feed["items"]][-1] == "Flask"


def test_site_feeds_cover_every_list(client, catalog_list):
    EntryFactory(section=SectionFactory(curated_list=CuratedListFactory(slug="go")), title="Gin")
    atom = ET.fromstring(client.get(reverse("catalog:site-feed-atom")).content)
    assert "Gin" in [e.find(f"{ATOM}title").text for e in atom.findall(f"{ATOM}entry")]
    feed = client.get(reverse("catalog:site-feed-json")).json()
    assert {"Gin", "Django"} <= {item["title"] for item in feed["items"]}


def test_feeds_of_an_unknown_list_are_404(client):
    assert client.get(reverse("catalog:list-feed-atom", args=["nope"])).status_code == 404
    assert client.get(reverse("catalog:list-feed-json", args=["nope"])).status_code == 404


def test_control_characters_never_break_a_feed(client, catalog_list):
    """A title, description, tag and list tagline with control characters (as an import or an
    API client may bring) leave every feed answering, with the characters left out."""
    catalog_list.tagline = "Links\x0b of \x1bPy"
    catalog_list.save()
    section = catalog_list.sections.get(title="CLI")
    EntryFactory(
        section=section,
        # No NUL: PostgreSQL stores none in a text column, so no list can hold one.
        title="Bell\x07 and\x01 escape\x1b",
        description="Start\x02 here\x08.",
        tags=["odd\x0ctag"],
    )
    for name, args in (
        ("catalog:list-feed-atom", ["py"]),
        ("catalog:site-feed-atom", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        root = ET.fromstring(response.content)
        names = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
        assert "Bell and escape" in names
        assert b"\x07" not in response.content
        assert b"\x1b" not in response.content
    for name, args in (("catalog:list-feed-json", ["py"]), ("catalog:site-feed-json", [])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert "Bell and escape" in {item["title"] for item in response.json()["items"]}


def test_tag_slugs_keep_dots_readable(client, catalog_list):
    """ "GPL-3.0" is /tags/gpl-3.0/, not taggit's gpl-30; the page, the pill and the filter
    agree."""
    from taggit.models import Tag

    cli = catalog_list.sections.get(title="CLI")
    EntryFactory(section=cli, title="GPL tool", description="Free.", tags=["GPL-3.0"])
    assert Tag.objects.get(name="GPL-3.0").slug == "gpl-3.0"
    url = reverse("catalog:list-tag", args=["py", "gpl-3.0"])
    assert url.endswith("/tags/gpl-3.0/")
    response = client.get(url)
    assert response.status_code == 200
    assert titles(response) == ["GPL tool"]
    assert titles(search(client, tag="gpl-3.0")) == ["GPL tool"]
    page = client.get(catalog_list.get_absolute_url()).content.decode()
    assert 'href="/lists/py/tags/gpl-3.0/"' in page
    # Without a dot, or when the readable slug is taken, taggit's own slug stands.
    EntryFactory(section=cli, title="MIT tool", description="Free.", tags=["Emacs Lisp"])
    assert Tag.objects.get(name="Emacs Lisp").slug == "emacs-lisp"
    EntryFactory(section=cli, title="Other", description="Free.", tags=["gpl-3.0"])
    assert Tag.objects.get(name="gpl-3.0").slug != "gpl-3.0"
