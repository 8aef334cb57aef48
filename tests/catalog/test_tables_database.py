"""Tables with columns through the database: imported attributes and columns are stored, the
export from the database is the pure render of the parsed document, re-importing the export
gives the same bytes, the list document renders the same bytes, and the API and the list page
show the attributes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from catalog.document_json import document_from_json, document_to_json
from catalog.export import export_files, list_document
from catalog.importer import read_readme, store_document
from catalog.markdown.render import render_files, render_readme
from catalog.models import Entry, Section
from tests.catalog.markdown.test_tables import ICONS_AND_STARS, NAME_NOT_FIRST, PUBLIC_APIS
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [PUBLIC_APIS, ICONS_AND_STARS, NAME_NOT_FIRST])
def test_import_then_export_from_the_database_gives_the_same_bytes(text: str) -> None:
    doc, _ = read_readme(text.encode())
    first = store_document(doc, slug="open-data")
    exported = export_files(first.curated_list)
    assert exported == render_files(doc)
    assert list_document(first.curated_list) == doc

    again, _ = read_readme(exported["README.md"].encode())
    second = store_document(again, slug="open-data-again")
    assert export_files(second.curated_list) == exported

    # The list document (what the API serves) renders the same README.
    data = document_to_json(list_document(first.curated_list), slug="open-data")
    assert render_readme(document_from_json(data)) == exported["README.md"]


def test_rows_hold_the_columns_and_attributes() -> None:
    doc, _ = read_readme(PUBLIC_APIS.encode())
    store_document(doc, slug="open-data")
    weather = Section.objects.get(curated_list__slug="open-data", slug="weather")
    assert [column["label"] for column in weather.columns] == [
        "API",
        "Description",
        "Auth",
        "HTTPS",
        "CORS",
    ]
    cloudcast = Entry.objects.get(title="Cloudcast")
    assert cloudcast.attributes == [
        {"label": "Auth", "value": "`apiKey`"},
        {"label": "HTTPS", "value": "Yes"},
        {"label": "CORS", "value": "Unknown"},
    ]
    assert cloudcast.description == "Hourly forecasts for any town."
    # The import's own history version holds the attributes too (a revert brings them back).
    assert cloudcast.history.first().attributes == cloudcast.attributes


def test_an_attribute_edited_in_the_database_is_exported_in_its_column() -> None:
    doc, _ = read_readme(PUBLIC_APIS.encode())
    outcome = store_document(doc, slug="open-data")
    tram = Entry.objects.get(title="Tram Times")
    tram.attributes = [
        {"label": "Auth", "value": "No"},
        {"label": "HTTPS", "value": "Yes"},
        {"label": "CORS", "value": "Yes"},
        {"label": "Rate limit", "value": "60/min"},
    ]
    tram.full_clean()
    tram.save()
    readme = export_files(outcome.curated_list)["README.md"]
    assert "| Auth | HTTPS | CORS | Rate limit |" in readme
    assert "| Live departures of city trams. | No   | Yes   | Yes  | 60/min     |" in readme


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"Auth": "No"}, "a list of label and value pairs"),
        ([{"label": "Auth"}], 'exactly a "label" and a "value"'),
        ([{"label": "Auth", "value": ""}], "the value is empty"),
        ([{"label": "Auth", "value": "a"}, {"label": "Auth", "value": "b"}], "given twice"),
        ([{"label": "Auth", "value": "two\nlines"}], "one line only"),
    ],
)
def test_bad_attributes_are_refused_with_a_message(attributes, message: str) -> None:
    entry = EntryFactory(attributes=attributes)
    with pytest.raises(ValidationError, match=message):
        entry.full_clean()


def test_the_api_and_the_list_page_show_attributes(client) -> None:
    doc, _ = read_readme(PUBLIC_APIS.encode())
    outcome = store_document(doc, slug="open-data")
    api = APIClient()
    rows = api.get("/api/entries/", {"list": "open-data"}).json()["results"]
    cloudcast = next(row for row in rows if row["title"] == "Cloudcast")
    assert cloudcast["attributes"][0] == {"label": "Auth", "value": "`apiKey`"}
    sections = api.get("/api/lists/open-data/sections/").json()
    weather = next(row for row in sections if row["slug"] == "weather")
    assert weather["columns"][0] == {"label": "API", "role": "title"}

    page = client.get(outcome.curated_list.get_absolute_url()).content.decode()
    assert '<span class="attribute-label">Auth:</span> <code>apiKey</code>' in page
    assert '<span class="attribute-label">CORS:</span> Unknown' in page
