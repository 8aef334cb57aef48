"""Write bodies are JSON with the types the schema gives (issue 17): DRF on its own turned a
number into a comment, ``"5"`` and ``5.0`` into a revision and ``"yes"`` into ``true`` —
requests the schema calls invalid, accepted. A form-encoded body (which cannot say null) is
refused as a media type the schema does not offer."""

from __future__ import annotations

import pytest

from catalog.models import Entry
from tests.curation.api.test_writes import submit

pytestmark = pytest.mark.django_db
S = Entry.Status


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": 12}, "title"),
        ({"description": 4.8e16}, "description"),
        ({"url": 1}, "url"),
        ({"section": "1"}, "section"),
        ({"section": True}, "section"),
        ({"draft": "yes"}, "draft"),
        ({"draft": 1}, "draft"),
        ({"tags": [5]}, "tags"),
        ({"markers": [5]}, "markers"),
        ({"extra_links": [{"label": 3, "url": "https://example.org/"}]}, "extra_links"),
    ],
)
def test_a_submission_refuses_a_value_of_the_wrong_type(api, team, changes, field):
    api.force_authenticate(team.author)
    if changes.get("section") == "1":
        changes = {"section": str(team.frameworks.pk)}
    response = submit(api, team, **changes)
    assert response.status_code == 400, response.json()
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize(
    "body",
    [{"comment": 4.8e16}, {"comment": ["x"]}, {"comment": "ok", "revision": "1"}],
)
def test_a_decision_refuses_a_value_of_the_wrong_type(api, team, body):
    api.force_authenticate(team.reviewer)
    entry = team.entry(S.SUBMITTED)
    response = api.post(f"/api/entries/{entry.pk}/comment/", body, format="json")
    if "revision" in body:  # comment takes no revision: approve does
        response = api.post(f"/api/entries/{entry.pk}/approve/", body, format="json")
    assert response.status_code == 400, response.json()


def test_right_types_pass_and_null_revision_is_fine(api, team):
    api.force_authenticate(team.reviewer)
    entry = team.entry(S.SUBMITTED)
    response = api.post(
        f"/api/entries/{entry.pk}/approve/", {"revision": None, "comment": "ok"}, format="json"
    )
    assert response.status_code == 200, response.json()
    api.force_authenticate(team.author)
    assert submit(api, team, draft=True).status_code == 201


def test_a_form_encoded_body_is_refused(api, team):
    api.force_authenticate(team.reviewer)
    entry = team.entry(S.SUBMITTED)
    response = api.post(f"/api/entries/{entry.pk}/comment/", {"comment": "hi"}, format="multipart")
    assert response.status_code == 415
