"""The listings' query parameters (catalog/api/params.py): the schema says what each accepts,
and the server refuses, with a 400 naming the parameter, exactly what the schema refuses
(issue 17: ``/api/lists/?page_size=false`` was accepted, ``q`` with a NUL refused although
the schema allowed it, ``section`` was a float)."""

from __future__ import annotations

import re

import pytest
import yaml

from catalog.api.params import ENTRY_FILTERS, PAGINATION
from catalog.models import Entry
from tests.conftest import REPO_ROOT
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return EntryFactory(status=Entry.Status.PUBLISHED)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page_size=false", "page_size"),
        ("page_size=null&page_size=null", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page_size=-3", "page_size"),
        ("page_size=%205", "page_size"),
        ("page_size=", "page_size"),
        ("page=0", "page"),
        ("page=last", "page"),
        ("page=1.0", "page"),
    ],
)
def test_lists_refuse_what_the_schema_refuses(api, query, parameter):
    response = api.get(f"/api/lists/?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == [parameter]
    assert body["detail"].startswith(f"{parameter}: ")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("section=1.5", "section"),
        ("section=1.0", "section"),
        ("section=abc", "section"),
        ("section=0", "section"),
        ("section=9223372036854775808", "section"),  # past the largest id: no OverflowError
        ("list=%01awesome", "list"),
        ("list=%20awesome", "list"),
        ("list=" + "a" * 101, "list"),
        ("marker=must%20read", "marker"),
        ("q=fish%00", "q"),
        ("q=" + "x" * 201, "q"),
        ("tag=a%00", "tag"),
        ("status=", "status"),
        ("status=bogus", "status"),
        ("link=", "link"),
        ("repository=fresh", "repository"),
        ("proposals=maybe", "proposals"),
        ("proposals=1", "proposals"),
    ],
)
def test_entries_refuse_what_the_schema_refuses(api, entry, query, parameter):
    response = api.get(f"/api/entries/?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [parameter]


@pytest.mark.parametrize(
    "query",
    [
        "page_size=500",
        "page=1&page_size=1",
        "list=",  # empty text filters: no filter
        "q=",
        "tag=",
        "q=%01control%7F",  # only NUL is refused in free text
        "tag=C%2B%2B",
        "section=9223372036854775807",
        "status=published&link=unchecked&repository=archived&proposals=false",
    ],
)
def test_entries_accept_what_the_schema_accepts(api, entry, query):
    assert api.get(f"/api/entries/?{query}").status_code == 200


def test_the_schema_describes_the_parameters_the_server_checks():
    schema = yaml.safe_load((REPO_ROOT / "schema.yml").read_text())

    def parameters(path):
        return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}

    entries, lists = parameters("/api/entries/"), parameters("/api/lists/")
    assert set(lists) == {param.name for param in PAGINATION}
    assert set(entries) == {param.name for param in PAGINATION + ENTRY_FILTERS}
    assert lists["page_size"] == {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "maximum": 500,
    }
    assert entries["section"]["type"] == "integer"
    assert entries["proposals"]["enum"] == ["true", "false"]
    # The patterns are read the same way by ECMAScript (clients) and Python (the server).
    assert re.search(entries["q"]["pattern"], "fish\x00") is None
    assert re.search(entries["list"]["pattern"], "awesome-python")


def test_links_lead_from_answers_to_the_workflow():
    schema = yaml.safe_load((REPO_ROOT / "schema.yml").read_text())
    operation_ids = {
        operation["operationId"]
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    created = schema["paths"]["/api/lists/{slug}/submissions/"]["post"]["responses"]["201"]
    approve = created["links"]["ApproveEntry"]
    assert approve == {
        "operationId": "entries_approve_create",
        "parameters": {"id": "$response.body#/id"},
        "requestBody": {"revision": "$response.body#/revision"},
    }
    every_link = [
        link
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for response in operation.get("responses", {}).values()
        for link in response.get("links", {}).values()
    ]
    assert len(every_link) > 50
    assert {link["operationId"] for link in every_link} <= operation_ids
