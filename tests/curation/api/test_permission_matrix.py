"""The workflow's permission matrix (tests/curation/test_permission_matrix.py), over HTTP:
every role × every transition the API offers, allowed (200) or refused (401 anonymous; 403,
or 404 where the entry is not one the role may even see), and only the allowed ones change
anything."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from catalog.models import Entry
from curation.models import WorkflowEvent
from tests.curation.test_permission_matrix import (
    MATRIX,
    ROLES,
    START,
    actor_of,
    later,
    starting_entry,
    took_effect,
)

pytestmark = pytest.mark.django_db

# The transitions the API offers (edits and proposals are the admin's for now).
ENDPOINTS = {
    "submit": ("submit", {}),
    "approve": ("approve", {}),
    "request_changes": ("request-changes", {"comment": "Because."}),
    "reject": ("reject", {"comment": "Because."}),
    "comment": ("comment", {"comment": "Because."}),
    "publish": ("publish", {}),
    "schedule": ("publish", {"publish_at": "later"}),
    "unpublish": ("unpublish", {}),
    "archive": ("archive", {}),
}

CASES = [
    pytest.param(transition, role, bool(allowed), id=f"{transition}-{role}")
    for transition, row in MATRIX.items()
    if transition in ENDPOINTS
    for role, allowed in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize(("transition", "role", "allowed"), CASES)
def test_api(api, team, transition, role, allowed):
    entry = starting_entry(team, transition)
    actor = actor_of(team, role)
    if role != "anonymous":
        # Scripts use tokens: the matrix goes through token authentication.
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=actor).key}")
    path, body = ENDPOINTS[transition]
    if body.get("publish_at") == "later":
        body = {"publish_at": later().isoformat()}
    before = WorkflowEvent.objects.count()

    response = api.post(f"/api/entries/{entry.pk}/{path}/", body, format="json")

    assert took_effect(transition, entry, before) is allowed
    if allowed:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == START[transition][1]
        return
    if role == "anonymous":
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        return
    # A role without reach on a pending entry does not learn that it exists.
    reachable = (
        role not in ("other_list", "outside_section") or entry.status == Entry.Status.PUBLISHED
    )
    assert response.status_code == (403 if reachable else 404), response.json()
    assert response.json()["detail"]
