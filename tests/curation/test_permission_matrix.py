"""Every role × every transition, allowed or refused — through the services and through the
admin views, which must agree.

The entries are submitted by ``team.author`` (the contributor): a contributor acts on their
own submissions. The section-scoped reviewer holds "CLI"; the entries live in "Web ›
Frameworks", outside their reach. "other_list" is a curator of another list.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from catalog.models import Entry
from curation import services
from curation.models import WorkflowEvent
from curation.services import EntryContent
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db
S = Entry.Status

ROLES = (
    "anonymous",
    "contributor",
    "reviewer",
    "curator",
    "other_list",
    "outside_section",
    "superuser",
)
ACTORS = {"contributor": "author", "other_list": "outsider", "outside_section": "scoped"}

#               anonymous contributor reviewer curator other_list outside_section superuser
MATRIX = {
    "submit":          (0, 1, 0, 1, 0, 0, 1),
    "edit":            (0, 1, 0, 1, 0, 0, 1),
    "approve":         (0, 0, 1, 1, 0, 0, 1),
    "request_changes": (0, 0, 1, 1, 0, 0, 1),
    "reject":          (0, 0, 1, 1, 0, 0, 1),
    "comment":         (0, 1, 1, 1, 0, 0, 1),
    "publish":         (0, 0, 0, 1, 0, 0, 1),
    "schedule":        (0, 0, 0, 1, 0, 0, 1),
    "unpublish":       (0, 0, 0, 1, 0, 0, 1),
    "archive":         (0, 0, 0, 1, 0, 0, 1),
    "propose_edit":    (0, 1, 1, 1, 0, 0, 1),
}  # fmt: skip

# The state each transition starts from, and the state it leads to.
START = {
    "submit": (S.DRAFT, S.SUBMITTED),
    "edit": (S.CHANGES_REQUESTED, S.CHANGES_REQUESTED),
    "approve": (S.SUBMITTED, S.APPROVED),
    "request_changes": (S.SUBMITTED, S.CHANGES_REQUESTED),
    "reject": (S.SUBMITTED, S.REJECTED),
    "comment": (S.SUBMITTED, S.SUBMITTED),
    "publish": (S.APPROVED, S.PUBLISHED),
    "schedule": (S.APPROVED, S.SCHEDULED),
    "unpublish": (S.PUBLISHED, S.APPROVED),
    "archive": (S.PUBLISHED, S.ARCHIVED),
    "propose_edit": (S.PUBLISHED, S.PUBLISHED),
}

CASES = [
    pytest.param(transition, role, bool(allowed), id=f"{transition}-{role}")
    for transition, row in MATRIX.items()
    for role, allowed in zip(ROLES, row, strict=True)
]


def actor_of(team, role):
    return AnonymousUser() if role == "anonymous" else getattr(team, ACTORS.get(role, role))


def starting_entry(team, transition):
    status = START[transition][0]
    return team.approved() if status == S.APPROVED else team.entry(status)


def later():
    return timezone.now() + dt.timedelta(days=2)


def call_service(transition, actor, entry):
    edited = EntryContent(section=entry.section, title="Edited title", url=entry.url)
    calls = {
        "submit": lambda: services.entry_submit(actor=actor, entry=entry),
        "edit": lambda: services.entry_update(actor=actor, entry=entry, content=edited),
        "approve": lambda: services.entry_approve(actor=actor, entry=entry),
        "request_changes": lambda: services.entry_request_changes(
            actor=actor, entry=entry, comment="Because."
        ),
        "reject": lambda: services.entry_reject(actor=actor, entry=entry, comment="Because."),
        "comment": lambda: services.entry_comment(actor=actor, entry=entry, comment="Because."),
        "publish": lambda: services.entry_publish(actor=actor, entry=entry),
        "schedule": lambda: services.entry_publish(actor=actor, entry=entry, publish_at=later()),
        "unpublish": lambda: services.entry_unpublish(actor=actor, entry=entry),
        "archive": lambda: services.entry_archive(actor=actor, entry=entry),
        "propose_edit": lambda: services.entry_propose_edit(
            actor=actor, entry=entry, content=edited
        ),
    }
    return calls[transition]()


def took_effect(transition, entry, events_before):
    """Whether the transition happened: its end state, its audit record, its proposal."""
    entry.refresh_from_db()
    recorded = WorkflowEvent.objects.count() > events_before
    if transition == "propose_edit":
        return entry.proposals.exists() and recorded
    if transition == "edit":
        return entry.title == "Edited title" and recorded
    return entry.status == START[transition][1] and recorded


@pytest.mark.parametrize(("transition", "role", "allowed"), CASES)
def test_services(team, transition, role, allowed):
    entry = starting_entry(team, transition)
    before = WorkflowEvent.objects.count()
    if allowed:
        call_service(transition, actor_of(team, role), entry)
    else:
        with pytest.raises(PermissionDenied):
            call_service(transition, actor_of(team, role), entry)
    assert took_effect(transition, entry, before) is allowed


def post_through_admin(client, team, transition, entry):
    """Post what the admin page would post for this transition; return the response."""
    if transition in ("edit", "propose_edit"):
        # The form as someone who may use it sees it; the role under test posts it.
        viewer = client.__class__()
        viewer.force_login(team.superuser)
        if transition == "edit":
            url = reverse("admin:catalog_entry_change", args=[entry.pk])
        else:
            url = reverse("admin:catalog_entry_add") + f"?proposal_for={entry.pk}"
        data = form_data(viewer.get(url).content.decode(), "entry_form")
        data["title"] = "Edited title"
        return client.post(url, data)
    data = {"action": transition, "revision": entry.revision, "comment": "Because."}
    if transition == "schedule":
        data["publish_at"] = timezone.localtime(later()).strftime("%Y-%m-%dT%H:%M")
    return client.post(reverse("admin:catalog_entry_decide", args=[entry.pk]), data)


@pytest.mark.parametrize(("transition", "role", "allowed"), CASES)
def test_admin_views(client, team, transition, role, allowed):
    entry = starting_entry(team, transition)
    if role != "anonymous":
        client.force_login(actor_of(team, role))
        if transition not in ("edit", "propose_edit"):
            page = client.get(reverse("admin:catalog_entry_change", args=[entry.pk]))
            shown = f'name="action" value="{transition}"' in page.content.decode()
            assert shown is allowed, "the button must be shown exactly when it may be used"
    before = WorkflowEvent.objects.count()
    response = post_through_admin(client, team, transition, entry)
    assert response.status_code in (302, 403), response.content.decode()[-2000:]
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login/" in response.url
    assert took_effect(transition, entry, before) is allowed
