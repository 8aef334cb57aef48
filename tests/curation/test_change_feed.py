"""The change feed (changes.atom, changes.json, "What changed"): every published change —
added, edited field by field, moved, archived, removed — with the curator's comment; valid
for a feed reader (feedparser) and for RFC 4287; a control character never breaks it."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Entry
from curation import services
from curation.public.changes import list_changes
from curation.services import EntryContent

pytestmark = pytest.mark.django_db
S = Entry.Status
ATOM = "{http://www.w3.org/2005/Atom}"
# What JSON Feed 1.1 requires (https://jsonfeed.org/version/1.1): version, title, items; each
# item an id and content_html or content_text; dates in RFC 3339.
JSON_FEED_REQUIRED = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "date_published": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
}


def history(team):
    """A list where one entry was added, one edited, one moved, one archived, one removed."""
    added = services.entry_publish(
        actor=team.curator, entry=team.approved(title="Flask"), comment="A classic."
    )
    edited = team.entry(S.PUBLISHED, title="Djang", description="A framework")
    proposal = services.entry_propose_edit(
        actor=team.author,
        entry=edited,
        content=EntryContent(
            section=edited.section, title="Django", url=edited.url, description="A framework."
        ),
    )
    services.entry_approve(actor=team.reviewer, entry=proposal)
    services.entry_publish(actor=team.curator, entry=proposal, comment="Typo in the name.")
    moved = team.entry(S.PUBLISHED, title="HTTPie")
    proposal = services.entry_propose_edit(
        actor=team.author,
        entry=moved,
        content=EntryContent(
            section=team.cli, title="HTTPie", url=moved.url, description=moved.description
        ),
    )
    services.entry_approve(actor=team.reviewer, entry=proposal)
    services.entry_publish(actor=team.curator, entry=proposal, comment="It is a CLI.")
    archived = team.entry(S.PUBLISHED, title="Pylons")
    services.entry_archive(actor=team.curator, entry=archived, comment="Unmaintained since 2018.")
    removed = team.entry(S.PUBLISHED, title="Bottle")
    services.entry_unpublish(actor=team.curator, entry=removed, comment="Until its site is back.")
    never_live = team.entry(S.REJECTED, title="Spam")
    services.entry_archive(actor=team.curator, entry=never_live)  # was never on the list
    return {"added": added, "edited": edited, "moved": moved, "archived": archived}


def atom(client, team) -> bytes:
    response = client.get(reverse("changes:atom", args=[team.curated_list.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content


def test_each_kind_of_change_is_an_item_with_its_comment(team):
    history(team)
    changes = {c.title: c for c in list_changes(team.curated_list)}
    assert [c.kind for c in list_changes(team.curated_list)] == [
        "removed",
        "archived",
        "moved",
        "edited",
        "added",
    ]
    assert changes["Flask"].comment == "A classic."
    assert changes["Pylons"].comment == "Unmaintained since 2018."
    edit = changes["Django"]
    assert edit.comment == "Typo in the name."
    assert [(f.label, f.old, f.new) for f in edit.fields] == [
        ("title", "Djang", "Django"),
        ("description", "A framework", "A framework."),
    ]
    move = changes["HTTPie"]
    assert [(f.label, f.old, f.new) for f in move.fields] == [
        ("section", "Web › Frameworks", "CLI")
    ]
    assert move.section == "CLI"


def test_the_atom_feed_is_valid_and_carries_an_archive_and_an_edit(client, team):
    history(team)
    body = atom(client, team)
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    titles = [e.title for e in parsed.entries]
    assert "Archived: Pylons" in titles
    assert "Edited: Django" in titles
    edit = parsed.entries[titles.index("Edited: Django")]
    assert "Djang" in edit.summary
    assert "Typo in the name." in edit.summary
    # RFC 4287 §4.1.1-2: the feed's id, title, updated (and author, here or on each entry);
    # each entry's id, title, updated, author, and a link (no content, so an alternate link).
    feed = ET.fromstring(body)
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert (entry.findtext(f"{ATOM}author/{ATOM}name") or "").strip()
        links = [
            link.get("href")
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel") in (None, "alternate")
        ]
        assert links
        assert all(href.startswith("http") for href in links)
        assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 5  # ids are unique


def test_the_json_feed_is_valid_and_says_what_changed(client, team):
    history(team)
    response = client.get(reverse("changes:json", args=[team.curated_list.slug]))
    assert response["Content-Type"] == "application/feed+json"
    # feedparser 6 reads no JSON Feed: check JSON Feed 1.1's required members instead.
    feed = json.loads(response.content)
    jsonschema.validate(feed, JSON_FEED_REQUIRED)
    items = {item["title"]: item for item in feed["items"]}
    assert set(items) >= {"Archived: Pylons", "Edited: Django"}
    assert items["Edited: Django"]["_change"]["fields"][0] == {
        "field": "title",
        "old": "Djang",
        "new": "Django",
    }
    assert items["Archived: Pylons"]["_change"]["comment"] == "Unmaintained since 2018."


def test_a_control_character_in_a_title_does_not_break_the_feeds(client, team):
    entry = team.approved(title="Bad\x0btitle\x01")
    Entry.objects.filter(pk=entry.pk).update(title="Bad\x0btitle\x01")
    services.entry_publish(actor=team.curator, entry=entry, comment="Odd\x1f comment")
    parsed = feedparser.parse(atom(client, team))
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "Added: Badtitle"
    response = client.get(reverse("changes:json", args=[team.curated_list.slug]))
    feed = json.loads(response.content)
    jsonschema.validate(feed, JSON_FEED_REQUIRED)
    assert feed["items"][0]["title"] == "Added: Badtitle"
    assert feed["items"][0]["_change"]["comment"] == "Odd comment"


def test_the_what_changed_page_groups_by_week_and_the_list_links_it(client, team, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC))  # a Wednesday
    services.entry_publish(actor=team.curator, entry=team.approved(title="Old one"))
    time_machine.move_to(dt.datetime(2026, 12, 8, 12, tzinfo=dt.UTC))
    history(team)
    list_page = client.get(team.curated_list.get_absolute_url()).content.decode()
    page_url = reverse("changes:page", args=[team.curated_list.slug])
    assert f'href="{page_url}"' in list_page
    page = client.get(page_url).content.decode()
    assert page.index("Week of 7 December 2026") < page.index("Week of 23 November 2026")
    assert page.index("Pylons") < page.index("Week of 23 November 2026") < page.index("Old one")
    assert "Unmaintained since 2018." in page
    assert "<del>Djang</del> → <ins>Django</ins>" in page


def test_reading_the_changes_costs_the_same_queries_for_more_edits(team):
    history(team)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            list_changes(team.curated_list)
        return len(queries)

    before = count()
    for n in range(3):
        live = team.entry(S.PUBLISHED, title=f"Tool {n}")
        proposal = services.entry_propose_edit(
            actor=team.author,
            entry=live,
            content=EntryContent(section=live.section, title=f"Tool {n}!", url=live.url),
        )
        services.entry_approve(actor=team.reviewer, entry=proposal)
        services.entry_publish(actor=team.curator, entry=proposal)
    assert count() == before == 3


def test_a_missing_list_is_404(client, db):
    assert client.get(reverse("changes:atom", args=["nope"])).status_code == 404
    assert client.get(reverse("changes:json", args=["nope"])).status_code == 404
    assert client.get(reverse("changes:page", args=["nope"])).status_code == 404


def test_a_scheduled_publication_carries_the_comment_given_when_scheduling(team, time_machine):
    entry = services.entry_publish(
        actor=team.curator,
        entry=team.approved(title="Later"),
        publish_at=timezone.now() + dt.timedelta(hours=1),
        comment="Out on Monday.",
    )
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))
    assert services.publish_due() == [entry]
    (change,) = list_changes(team.curated_list)
    assert (change.kind, change.title, change.comment) == ("added", "Later", "Out on Monday.")
    assert change.actor == team.curator.get_username()
