"""The list document endpoint: its JSON Schema, its round trip to ``ListDoc``, ETag and 304."""

from __future__ import annotations

import json

import jsonschema
import pytest

from catalog.document_json import DocumentError, document_from_json, document_to_json
from catalog.document_schema import LIST_DOCUMENT_SCHEMA
from catalog.export import EXPORT_QUERY_COUNT, list_document
from catalog.importer import read_readme
from catalog.models import Entry
from tests.conftest import CORPUS_FILES, REPO_ROOT
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    ExtraLinkFactory,
    FooterBlockFactory,
    MarkerFactory,
    SectionFactory,
)

SCHEMA_FILE = REPO_ROOT / "docs" / "list-document.schema.json"


def validate(data):
    jsonschema.Draft202012Validator(LIST_DOCUMENT_SCHEMA).validate(data)


def test_the_documented_schema_is_the_one_the_code_uses():
    jsonschema.Draft202012Validator.check_schema(LIST_DOCUMENT_SCHEMA)
    assert json.loads(SCHEMA_FILE.read_text()) == LIST_DOCUMENT_SCHEMA, (
        "docs/list-document.schema.json is out of date: regenerate it from "
        "catalog.document_schema.LIST_DOCUMENT_SCHEMA (json.dumps(…, indent=2, ensure_ascii=False))"
    )


@pytest.fixture
def curated_list(db):
    curated_list = CuratedListFactory(slug="awesome-tools", intro="Tools we *like*.")
    star = MarkerFactory(curated_list=curated_list, symbol="⭐", slug="must-read", label="Must")
    FooterBlockFactory(curated_list=curated_list, title="License", body="CC0-1.0")
    web = SectionFactory(
        curated_list=curated_list, title="Web", description="On the web.", outro="Closing note."
    )
    frameworks = SectionFactory(parent=web, title="Frameworks")
    entry = EntryFactory(section=frameworks, title="Django", tags=["BSD"], markers=[star])
    ExtraLinkFactory(entry=entry, label="Demo", url="https://example.com/demo")
    EntryFactory(section=web, title="No link", url="")
    EntryFactory(section=web, title="After the break", lead_in="Less known:")
    EntryFactory(section=web, title="Draft", status=Entry.Status.DRAFT)
    return curated_list


@pytest.mark.django_db
def test_document_holds_what_the_readme_needs(client, curated_list, django_assert_num_queries):
    with django_assert_num_queries(1 + EXPORT_QUERY_COUNT):  # the list, then the export's
        response = client.get("/api/lists/awesome-tools/document/")
    assert response.status_code == 200
    data = response.json()
    validate(data)
    assert data["version"] == 4
    assert data["slug"] == "awesome-tools"
    assert data["markers"] == [{"symbol": "⭐", "slug": "must-read", "label": "Must"}]
    web = data["sections"][0]
    assert [e["title"] for e in web["entries"]] == ["No link", "After the break"]  # published
    # Version 4: the text the README shows between two lists, before the entry it preceded.
    assert [e["lead_in"] for e in web["entries"]] == ["", "Less known:"]
    assert web["children"][0]["entries"][0] == {
        "title": "Django",
        "url": "https://example.com/tools/django",
        "description": "What Django does, in one sentence.",
        "extra_links": [{"label": "Demo", "url": "https://example.com/demo"}],
        "markers": ["⭐"],
        "tags": ["BSD"],
        "attributes": [],
        "also_in": [],
        "lead_in": "",
    }
    assert web["columns"] == []
    assert (web["description"], web["outro"]) == ("On the web.", "Closing note.")
    assert document_from_json(data) == list_document(curated_list)


@pytest.mark.django_db
def test_etag_and_conditional_get(client, curated_list):
    first = client.get("/api/lists/awesome-tools/document/")
    etag = first["ETag"]
    assert etag.startswith('"')
    assert "no-cache" in first["Cache-Control"]
    again = client.get("/api/lists/awesome-tools/document/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    weak = client.get("/api/lists/awesome-tools/document/", headers={"if-none-match": f"W/{etag}"})
    assert weak.status_code == 304

    # Anything the README shows changes the ETag; a stale one gets the new document.
    EntryFactory(section=curated_list.sections.get(title="Web"), title="New")
    changed = client.get("/api/lists/awesome-tools/document/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    # A pending entry is not in the README, so the ETag stays.
    EntryFactory(section=curated_list.sections.get(title="Web"), status=Entry.Status.SUBMITTED)
    assert client.get("/api/lists/awesome-tools/document/")["ETag"] == changed["ETag"]


@pytest.mark.django_db
def test_unknown_list(client):
    response = client.get("/api/lists/nope/document/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "No CuratedList matches the given query.",
        "code": "not_found",
    }


@pytest.mark.parametrize("path", CORPUS_FILES[:6] or [None], ids=lambda p: p.stem if p else "none")
def test_json_round_trip_of_real_documents(path):
    if path is None:
        pytest.skip("the corpus is absent (the full corpus runs in test_render_readme.py)")
    doc, _ = read_readme(path.read_bytes())
    data = json.loads(json.dumps(document_to_json(doc, slug="x")))
    validate(data)
    assert document_from_json(data) == doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("version"), "missing version"),
        (lambda d: d.update(version=3), "version 3; this Awesome Curator reads version 4"),
        (lambda d: d.update(version=5), "version 5"),
        (
            lambda d: d["sections"][0]["entries"][0].pop("lead_in"),
            "sections[0].entries[0]: missing lead_in",
        ),
        (
            lambda d: d["sections"][0]["entries"][0].pop("also_in"),
            "sections[0].entries[0]: missing also_in",
        ),
        (lambda d: d.pop("title"), "the document: missing title"),
        (lambda d: d.update(extra=1), "unknown key extra"),
        (lambda d: d.update(ordering="random"), "ordering: 'random'"),
        (lambda d: d["sections"][0].update(title=3), "sections[0].title: expected a string"),
        (
            lambda d: d["sections"][0]["entries"][0].update(tags="MIT"),
            "sections[0].entries[0].tags: expected an array",
        ),
        (
            lambda d: d["sections"][0]["columns"].append({"label": "A", "role": "colour"}),
            "sections[0].columns[0].role: 'colour' is not one of",
        ),
        (
            lambda d: d["sections"][0]["entries"][0].pop("attributes"),
            "sections[0].entries[0]: missing attributes",
        ),
        (
            lambda d: d["sections"][0]["children"].append([]),
            "sections[0].children[0]: expected an object",
        ),
    ],
)
def test_a_wrong_document_is_refused_with_its_place(change, message):
    from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc

    doc = ListDoc(
        title="T", sections=(SectionDoc(title="S", slug="s", entries=(EntryDoc(title="E"),)),)
    )
    data = document_to_json(doc, slug="t")
    change(data)
    with pytest.raises(DocumentError, match=message.replace("[", r"\[").replace("]", r"\]")):
        document_from_json(data)


@pytest.mark.django_db
def test_the_document_is_cached_until_the_list_changes(
    client, curated_list, django_assert_num_queries
):
    first = client.get("/api/lists/awesome-tools/document/")
    with django_assert_num_queries(0):
        cached = client.get("/api/lists/awesome-tools/document/")
    assert cached.content == first.content
    assert cached["ETag"] == first["ETag"]
    assert cached["Content-Type"] == "application/json"
    EntryFactory(section=curated_list.sections.get(title="Web"), title="Brand new")
    fresh = client.get("/api/lists/awesome-tools/document/")
    assert "Brand new" in fresh.content.decode()
    assert fresh["ETag"] != first["ETag"]
    # The browsable API still renders it (uncached), for people reading it in a browser.
    html = client.get("/api/lists/awesome-tools/document/", headers={"accept": "text/html"})
    assert html.status_code == 200
    assert "Brand new" in html.content.decode()


@pytest.mark.django_db
@pytest.mark.filterwarnings("error::django.core.cache.CacheKeyWarning")
def test_a_slug_no_list_can_have_is_a_404_without_touching_the_cache(client):
    for slug in ["no such list", "x" * 300, "é"]:
        response = client.get(f"/api/lists/{slug}/document/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
