"""Submissions and decisions through the API: what each refusal looks like."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.choices import EntrySource
from catalog.models import Entry
from curation.models import Role, WorkflowEvent
from tests.factories import MarkerFactory, MembershipFactory, SectionFactory

pytestmark = pytest.mark.django_db
S = Entry.Status


def submission(team, **changes):
    data = {
        "section": team.frameworks.pk,
        "title": "Flask",
        "url": "https://flask.palletsprojects.com/",
        "description": "A micro framework.",
        "tags": ["BSD"],
        "extra_links": [{"label": "Source Code", "url": "https://github.com/pallets/flask"}],
        "comment": "Widely used.",
    }
    return {**data, **changes}


def submit(api, team, **changes):
    return api.post(
        f"/api/lists/{team.curated_list.slug}/submissions/",
        submission(team, **changes),
        format="json",
    )


def test_a_contributor_submits_with_a_token(api, team):
    MarkerFactory(curated_list=team.curated_list, slug="must-read", symbol="⭐")
    token = Token.objects.create(user=team.author)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = submit(api, team, markers=["must-read"])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["markers"] == [{"symbol": "⭐", "slug": "must-read"}]
    assert body["extra_links"] == [
        {"label": "Source Code", "url": "https://github.com/pallets/flask"}
    ]
    entry = Entry.objects.get(pk=body["id"])
    assert (entry.submitted_by, entry.source) == (team.author, EntrySource.API)
    assert WorkflowEvent.objects.filter(entry=entry).count() == 2  # created, submitted
    # A member now reads it back; the public does not.
    assert api.get(f"/api/entries/{entry.pk}/").status_code == 200
    assert APIClient().get(f"/api/entries/{entry.pk}/").status_code == 404


def test_a_draft_stays_a_draft(api, team):
    api.force_authenticate(team.author)
    assert submit(api, team, draft=True).json()["status"] == "draft"


def test_refusals(api, team):
    assert submit(api, team).status_code == 401  # anonymous
    api.force_authenticate(team.outsider)
    refused = submit(api, team)
    assert refused.status_code == 403
    assert "no role" in refused.json()["detail"]

    api.force_authenticate(team.author)
    invalid = submit(api, team, url="not a url", title="")
    assert invalid.status_code == 400
    assert set(invalid.json()["errors"]) == {"url", "title"}
    elsewhere = SectionFactory()
    assert submit(api, team, section=elsewhere.pk).json()["errors"] == {
        "section": [f"Section {elsewhere.pk} is not in {team.curated_list}."]
    }
    assert submit(api, team, markers=["nope"]).status_code == 400
    bad_link = submit(api, team, extra_links=[{"label": "Demo", "url": "nope"}]).json()
    assert bad_link["detail"] == "extra_links[0].url: Enter a valid URL."
    assert api.post("/api/lists/nope/submissions/", {}, format="json").status_code == 404

    assert submit(api, team).status_code == 201
    duplicate = submit(api, team)
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "duplicate"


def test_illegal_state_change_is_409_and_stale_revision_too(api, team):
    api.force_authenticate(team.curator)
    draft = team.entry(S.DRAFT)
    response = api.post(f"/api/entries/{draft.pk}/publish/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert "Cannot publish" in response.json()["detail"]

    submitted = team.entry(S.SUBMITTED)
    stale = api.post(f"/api/entries/{submitted.pk}/approve/", {"revision": 7}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale"
    missing = api.post(f"/api/entries/{submitted.pk}/reject/", {}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"comment": ["This field is required."]}
    blank = api.post(f"/api/entries/{submitted.pk}/reject/", {"comment": "  "}, format="json")
    assert blank.status_code == 400
    assert api.post("/api/entries/999999/approve/", {}, format="json").status_code == 404


def test_approvals_then_publish_then_unpublish(api, team):
    entry = team.entry(S.SUBMITTED)
    api.force_authenticate(team.reviewer)
    assert api.post(f"/api/entries/{entry.pk}/approve/", {}, format="json").json()["status"] == (
        "approved"
    )
    again = api.post(f"/api/entries/{entry.pk}/approve/", {}, format="json")
    assert again.status_code == 409
    api.force_authenticate(team.curator)
    published = api.post(
        f"/api/entries/{entry.pk}/publish/", {"revision": entry.revision}, format="json"
    )
    assert published.json()["status"] == "published"
    assert published.json()["published_at"]
    assert APIClient().get(f"/api/entries/{entry.pk}/").status_code == 200  # public now
    assert api.post(f"/api/entries/{entry.pk}/unpublish/", {}, format="json").json()["status"] == (
        "approved"
    )


def test_session_authentication_needs_csrf(team):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(team.author)
    response = browser.post(
        f"/api/lists/{team.curated_list.slug}/submissions/", submission(team), format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_scoped_contributor_submits_only_inside_the_scope(api, team):
    scoped = MembershipFactory(section=team.cli, role=Role.CONTRIBUTOR).user
    api.force_authenticate(scoped)
    assert submit(api, team).status_code == 403
    assert submit(api, team, section=team.cli.pk).status_code == 201


def test_throttling(api, team, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    cache.clear()  # the counters are per window: throttle_anon_127.0.0.1:<window>
    try:
        assert [api.get("/api/lists/").status_code for _ in range(3)] == [200, 200, 429]
        body = api.get("/api/lists/").json()
        assert body["code"] == "throttled"
        assert "Request was throttled" in body["detail"]
        api.force_authenticate(team.author)
        assert [api.get("/api/lists/").status_code for _ in range(4)] == [200, 200, 200, 429]
    finally:
        cache.clear()  # the counters are per window: throttle_anon_127.0.0.1:<window>


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "https://x.example.org:99999/"}, "url"),
        ({"url": "https://x.example.org:k/"}, "url"),
        ({"url": "https://[bad/"}, "url"),
        ({"url": "https://user:pass@example.org/"}, "url"),
        ({"title": "Line\nbreak"}, "title"),
        ({"title": "Bell\x07"}, "title"),
        ({"title": "T" * 301}, "title"),
        ({"description": "Escape\x1b[31m"}, "description"),
        ({"tags": ["ok", "bad\ttag"]}, "tags"),
        ({"extra_links": [{"label": "Demo", "url": "https://demo.example:70000/"}]}, "extra_links"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_field_never_a_500(api, team, changes, field):
    api.force_authenticate(team.author)
    response = submit(api, team, **changes)
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
