"""The server and the committed ``schema.yml`` agree on what a write accepts (issue 17): for
each value below, the request body's schema and the server give the same verdict — the one
written beside it. schemathesis found the first one: a comment of spaces was valid by the
schema (minLength 1) and refused by the server, which trims it to blank. The others are the
same kind of gap: trimming (a trailing line break is fine, a 301st character is not, even a
space), a character the server refuses and the pattern allowed (U+FFFF), a slug with a space,
a revision beyond the column."""

from __future__ import annotations

import functools
from typing import Any

import jsonschema
import pytest
import yaml

from catalog.models import Entry
from tests.conftest import REPO_ROOT
from tests.curation.api.test_writes import submit
from tests.factories import MarkerFactory

pytestmark = pytest.mark.django_db
S = Entry.Status


@functools.cache
def _components() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "schema.yml").read_text())["components"]["schemas"]


def _json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: references inlined, ``nullable`` as a null type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _json_schema(_components()[node["$ref"].rsplit("/", 1)[1]])
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") else converted


def schema_accepts(component: str, body: dict[str, Any]) -> bool:
    return jsonschema.Draft7Validator(_json_schema(_components()[component])).is_valid(body)


ACCEPTED, REFUSED = True, False


@pytest.mark.parametrize(
    ("action", "component", "body", "verdict"),
    [
        # Reject and request changes need a reason: blank once trimmed is none.
        ("reject", "ReasonRequest", {"comment": " "}, REFUSED),
        ("reject", "ReasonRequest", {"comment": "\n\t\u3000"}, REFUSED),
        ("request-changes", "ReasonRequest", {"comment": "\x1c"}, REFUSED),
        ("reject", "ReasonRequest", {"comment": ""}, REFUSED),
        ("reject", "ReasonRequest", {"comment": "Off topic.\n"}, ACCEPTED),
        ("request-changes", "ReasonRequest", {"comment": "  Add a licence.  "}, ACCEPTED),
        ("reject", "ReasonRequest", {"comment": "Two\nlines."}, ACCEPTED),
        ("reject", "ReasonRequest", {"comment": "a\x01b"}, REFUSED),
        ("reject", "ReasonRequest", {"comment": "Not text \uffff"}, REFUSED),
        # Approve's comment is optional: blank, or spaces that trim to blank, are fine.
        ("approve", "NoteRequest", {"comment": " "}, ACCEPTED),
        ("approve", "NoteRequest", {"comment": "\x1c"}, ACCEPTED),
        ("approve", "NoteRequest", {"comment": ""}, ACCEPTED),
        ("approve", "NoteRequest", {"comment": "Not text \uffff"}, REFUSED),
        ("approve", "NoteRequest", {"revision": 2_147_483_648}, REFUSED),
        ("comment", "CommentRequest", {"comment": "\u2003"}, REFUSED),
        ("comment", "CommentRequest", {"comment": "Looks good"}, ACCEPTED),
    ],
)
def test_a_decision_answers_as_the_schema_says(api, team, action, component, body, verdict):
    api.force_authenticate(team.reviewer)
    entry = team.entry(S.SUBMITTED)
    assert schema_accepts(component, body) is verdict
    response = api.post(f"/api/entries/{entry.pk}/{action}/", body, format="json")
    assert response.status_code == (200 if verdict else 400), response.json()
    if not verdict:
        assert set(response.json()["errors"]) == set(body)


def test_a_revision_at_the_columns_bound_is_schema_valid_and_only_stale(api, team):
    api.force_authenticate(team.reviewer)
    entry = team.entry(S.SUBMITTED)
    body = {"revision": 2_147_483_647}
    assert schema_accepts("NoteRequest", body)
    response = api.post(f"/api/entries/{entry.pk}/approve/", body, format="json")
    assert response.status_code == 409, response.json()


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({"title": "Flask\n"}, ACCEPTED),  # trimmed: the pattern allows space at the ends
        ({"title": " \n"}, REFUSED),
        ({"title": "x" * 299 + " "}, ACCEPTED),
        ({"title": "x" * 300 + " "}, REFUSED),  # maxLength counts what is sent
        ({"title": "Flask \uffff"}, REFUSED),
        ({"tags": ["BSD\n"]}, ACCEPTED),
        ({"tags": ["x" * 100 + " "]}, REFUSED),
        ({"markers": ["star"]}, ACCEPTED),
        ({"markers": ["star "]}, REFUSED),  # not a slug by the schema's pattern
        ({"description": "  "}, ACCEPTED),
        ({"extra_links": [{"label": "Docs\n", "url": "https://flask.example/"}]}, ACCEPTED),
        ({"extra_links": [{"label": "\t", "url": "https://flask.example/"}]}, REFUSED),
    ],
)
def test_a_submission_answers_as_the_schema_says(api, team, changes, verdict):
    MarkerFactory(curated_list=team.curated_list, slug="star", symbol="⭐")
    api.force_authenticate(team.author)
    body = {"section": team.frameworks.pk, "title": "Flask", **changes}
    assert schema_accepts("SubmissionRequest", body) is verdict
    response = submit(api, team, **changes)
    assert response.status_code == (201 if verdict else 400), response.json()
    if not verdict:
        assert set(response.json()["errors"]) == set(changes)


@pytest.mark.parametrize("url", [" https://flask.example/", "https://flask.example/\n"])
def test_a_url_with_space_around_it_is_refused_as_the_uri_format_says(api, team, url):
    # jsonschema checks the "uri" format only with rfc3987 installed, so the schema's side is
    # RFC 3986's word: no whitespace in a URI. The server used to trim and store it.
    api.force_authenticate(team.author)
    response = submit(api, team, url=url)
    assert response.status_code == 400, response.json()
    assert set(response.json()["errors"]) == {"url"}
