"""Owning the queue through the API: take, see, assign, release; refusals as 403/409/400."""

from __future__ import annotations

import pytest

from catalog.models import Entry
from curation import services

pytestmark = pytest.mark.django_db
S = Entry.Status


def test_take_then_others_see_it_then_release(api, team):
    entry = team.entry(S.SUBMITTED)
    api.force_authenticate(team.reviewer)
    assert api.get(f"/api/entries/{entry.pk}/claim/").status_code == 404
    response = api.post(f"/api/entries/{entry.pk}/take/", format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["entry"], body["holder"], body["assigned_by"], body["days"]) == (
        entry.pk,
        team.reviewer.get_username(),
        None,
        0,
    )
    assert body["ended_at"] is None
    api.force_authenticate(team.reviewer2)
    seen = api.get(f"/api/entries/{entry.pk}/claim/")
    assert seen.json()["holder"] == team.reviewer.get_username()
    taken = api.post(f"/api/entries/{entry.pk}/take/", format="json")
    assert taken.status_code == 409
    assert api.post(f"/api/entries/{entry.pk}/release/", format="json").status_code == 403
    api.force_authenticate(team.reviewer)
    released = api.post(f"/api/entries/{entry.pk}/release/", format="json")
    assert released.status_code == 200
    assert released.json()["end"] == "released"
    assert services.open_claim(entry) is None


def test_a_curator_assigns_by_username(api, team):
    entry = team.entry(S.SUBMITTED)
    api.force_authenticate(team.curator)
    url = f"/api/entries/{entry.pk}/assign/"
    response = api.post(url, {"assignee": team.reviewer2.get_username()}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["assigned_by"] == team.curator.get_username()
    assert api.post(url, {"assignee": "nobody-at-all"}, format="json").status_code == 400
    refused = api.post(url, {"assignee": team.author.get_username()}, format="json")
    assert refused.status_code == 400
    assert "cannot review" in str(refused.json())
    api.force_authenticate(team.reviewer)
    response = api.post(url, {"assignee": team.reviewer.get_username()}, format="json")
    assert response.status_code == 403
    assert services.open_claim(entry).holder == team.reviewer2


def test_the_submitter_cannot_take_their_own(api, team):
    entry = team.entry(S.SUBMITTED)
    api.force_authenticate(team.author)
    assert api.post(f"/api/entries/{entry.pk}/take/", format="json").status_code == 403
