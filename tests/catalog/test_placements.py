"""An entry placed in several sections, through the database: one row and its placements on
import, shown in each section by the export, the list page, the list document and the API,
counted once by the list page, search, section counts and feeds."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalog.document_json import document_from_json, document_to_json
from catalog.export import EXPORT_QUERY_COUNT, export_files, list_document
from catalog.importer import read_readme, store_document
from catalog.markdown.parse import parse_files
from catalog.markdown.render import render_files
from catalog.models import Entry, EntryPlacement, Section
from tests.factories import EntryFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Cross-listed as awesome-selfhosted's tags are: the wiki under Wikis and Knowledge › Notes,
# the pastebin under Pastebins and Tools; the tracker once.
README = """\
# Awesome Self Hosting

> Software you can run on your own server.

## Wikis

- [Plain Wiki](https://wiki.example.org) - Edits pages. ([Demo](https://demo.wiki.example.org))
- [Paste Bin](https://paste.example.org) - Shares snippets of text.

## Knowledge

### Notes

- [Tracker](https://tracker.example.net) - Tracks tasks.
- [Plain Wiki](https://wiki.example.org/) - Edits pages.

## Tools

- [Paste Bin](https://paste.example.org) - Shares snippets of text.
"""


def store(text: str = README, slug: str = "selfhosted"):
    doc, report = read_readme(text.encode())
    return doc, report, store_document(doc, slug=slug)


def shown_in(readme: str) -> dict[str, list[str]]:
    """What a reader sees in each section of a README: the titles of its items."""
    seen: dict[str, list[str]] = {}
    current = ""
    for line in readme.splitlines():
        if line.startswith("#"):
            current = line.lstrip("#").strip()
        elif line.startswith("- [") and current != "Contents":
            seen.setdefault(current, []).append(re.match(r"- \[([^\]]+)\]", line)[1])
    return seen


def test_import_writes_one_entry_placed_in_further_sections():
    _, report, outcome = store()
    assert outcome.entries == 3
    assert Entry.objects.count() == 3
    wiki = Entry.objects.get(title="Plain Wiki")
    notes = Section.objects.get(title="Notes")
    assert wiki.section.title == "Wikis"
    assert [(p.section, p.position) for p in wiki.placements.all()] == [(notes, 1)]
    assert [s.title for s in wiki.sections_shown_in()] == ["Wikis", "Notes"]
    assert [s.title for s in Section.objects.of_entry(wiki).in_tree_order()] == ["Wikis", "Notes"]
    assert {e.title for e in Entry.objects.shown_in(notes)} == {"Tracker", "Plain Wiki"}
    knowledge = Section.objects.get(title="Knowledge")
    assert Entry.objects.shown_in(knowledge, subtree=True).count() == 2
    paste = Entry.objects.get(title="Paste Bin")
    assert [s.title for s in paste.sections_shown_in()] == ["Wikis", "Tools"]
    assert len(report.placements) == 2
    # Imported placements are versioned like the other imported rows.
    assert EntryPlacement.history.count() == 2


def test_export_shows_the_entry_in_every_section_and_round_trips_byte_for_byte():
    doc, _, outcome = store()
    files = export_files(outcome.curated_list)
    assert files == render_files(doc)  # the database export equals the pure render
    readme = files["README.md"]
    assert shown_in(readme) == {
        "Wikis": ["Plain Wiki", "Paste Bin"],
        "Notes": ["Tracker", "Plain Wiki"],
        "Tools": ["Paste Bin"],
    }
    assert "- [Plain Wiki][placement-1] - Edits pages. ([Demo]" in readme
    # Import the export into a new list: same rows, same bytes.
    again, _ = parse_files(files)
    _, _, copy = store(files["README.md"], slug="selfhosted-copy")
    assert export_files(copy.curated_list) == files
    assert Entry.objects.filter(curated_list=copy.curated_list).count() == 3
    assert again == list_document(copy.curated_list)


def test_placements_keep_the_export_query_count_flat(django_assert_num_queries):
    _, _, outcome = store()
    with django_assert_num_queries(EXPORT_QUERY_COUNT):
        export_files(outcome.curated_list)


def test_a_placement_follows_its_position_among_the_section_entries():
    _, _, outcome = store()
    tools = Section.objects.get(title="Tools")
    EntryFactory(section=tools, title="Ahead", position=0, url="https://ahead.example")
    placement = EntryPlacement.objects.get(section=tools)
    placement.position = 1
    placement.save()
    EntryFactory(section=tools, title="Behind", position=2, url="https://behind.example")
    tools_doc = list_document(outcome.curated_list).sections[2]
    assert [entry.title for entry in tools_doc.entries] == ["Ahead", "Paste Bin", "Behind"]


def test_unpublished_entries_leave_every_section():
    _, _, outcome = store()
    Entry.objects.filter(title="Plain Wiki").update(status=Entry.Status.ARCHIVED)
    readme = export_files(outcome.curated_list)["README.md"]
    assert "Plain Wiki" not in readme


def test_the_list_document_says_where_else_an_entry_is_shown(client):
    _, _, outcome = store()
    data = client.get("/api/lists/selfhosted/document/").json()
    wikis, knowledge, tools = data["sections"]
    assert wikis["entries"][0]["also_in"] == ["knowledge/notes"]
    assert wikis["entries"][1]["also_in"] == ["tools"]
    assert knowledge["children"][0]["entries"][1]["also_in"] == ["wikis"]
    assert tools["entries"][0]["also_in"] == ["wikis"]
    doc = document_from_json(data)
    assert doc == list_document(outcome.curated_list)
    assert json.loads(json.dumps(document_to_json(doc, slug="selfhosted"))) == data


def test_list_page_shows_the_entry_in_each_section_and_counts_it_once(client):
    _, _, outcome = store()
    response = client.get(outcome.curated_list.get_absolute_url())
    page = response.context["page"]
    assert page.entry_count == 3
    html = response.content.decode()
    assert "3 links" in html
    wiki = Entry.objects.get(title="Plain Wiki")
    notes = Section.objects.get(title="Notes")
    # The permalink anchor stays in the entry's own section; the other copy has its own id.
    assert html.count(f'id="entry-{wiki.pk}"') == 1
    assert html.count(f'id="entry-{wiki.pk}-in-{notes.pk}"') == 1
    assert html.count(">Plain Wiki</a>") == 2


def test_search_feeds_and_section_counts_count_an_entry_once(client):
    store()
    notes = Section.objects.get(title="Notes")
    knowledge = Section.objects.get(title="Knowledge")
    results = client.get(reverse("catalog:list-search", args=["selfhosted"]), {"q": "pages"})
    assert [entry.title for entry, _ in results.context["results"]] == ["Plain Wiki"]
    in_notes = client.get(
        reverse("catalog:list-search", args=["selfhosted"]), {"section": knowledge.pk}
    )
    assert sorted(entry.title for entry, _ in in_notes.context["results"]) == [
        "Plain Wiki",
        "Tracker",
    ]
    feed = client.get(reverse("catalog:list-feed-json", args=["selfhosted"])).json()
    assert sorted(item["title"] for item in feed["items"]) == ["Paste Bin", "Plain Wiki", "Tracker"]
    api = client.get("/api/entries/", {"section": notes.pk}).json()
    assert [entry["title"] for entry in api["results"]] == ["Plain Wiki", "Tracker"]
    counts = {
        s["title"]: s["published_count"]
        for s in client.get("/api/lists/selfhosted/sections/").json()
    }
    assert counts == {"Wikis": 2, "Knowledge": 0, "Notes": 2, "Tools": 1}


def test_api_entries_expose_their_sections(client):
    store()
    wiki = Entry.objects.get(title="Plain Wiki")
    notes = Section.objects.get(title="Notes")
    data = client.get(f"/api/entries/{wiki.pk}/").json()
    assert data["section"] == wiki.section_id
    assert data["sections"] == [wiki.section_id, notes.pk]
    listed = client.get("/api/entries/", {"list": "selfhosted"}).json()["results"]
    assert [e["title"] for e in listed].count("Plain Wiki") == 1


def test_a_placement_is_checked_against_the_entry():
    store()
    wiki = Entry.objects.get(title="Plain Wiki")
    with pytest.raises(ValidationError, match="own section"):
        EntryPlacement(entry=wiki, section=wiki.section).full_clean()
    elsewhere = SectionFactory(title="Elsewhere")
    with pytest.raises(ValidationError, match="another list"):
        EntryPlacement(entry=wiki, section=elsewhere).full_clean()
    notes = Section.objects.get(title="Notes")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryPlacement.objects.create(entry=wiki, section=notes, position=9)


def test_removing_a_section_keeps_the_entries_placed_in_it():
    _, _, outcome = store()
    Section.objects.get(title="Tools").delete()
    paste = Entry.objects.get(title="Paste Bin")
    assert [s.title for s in paste.sections_shown_in()] == ["Wikis"]
    assert shown_in(export_files(outcome.curated_list)["README.md"])["Wikis"] == [
        "Plain Wiki",
        "Paste Bin",
    ]
