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


# --- Beyond the matrix: authors, and proposals that cross sections ------------------------------
# Each case builds an entry that someone may NOT approve (or publish) although their role alone
# would allow it, and checks the refusal through the services, the admin and the API, with a
# positive control: someone else may take the same step.


def scoped_curator_of_cli(team):
    from curation.models import Role
    from tests.factories import MembershipFactory

    return MembershipFactory(
        role=Role.CURATOR, curated_list=team.curated_list, section=team.cli
    ).user


def edited_submission(team):
    """A contributor's submission that a curator rewrote (its link now the curator's site)."""
    entry = team.entry(S.SUBMITTED)
    entry = services.entry_update(
        actor=team.curator,
        entry=entry,
        content=EntryContent(
            section=entry.section, title="Curator's own", url="https://curator.example.org/"
        ),
    )
    assert (entry.status, entry.revision) == (S.SUBMITTED, 2)
    return entry, team.curator, "approve"


def edited_proposal(team):
    """A contributor's open proposal on a live entry, rewritten by a curator."""
    live = team.entry(S.PUBLISHED)
    proposal = services.entry_propose_edit(
        actor=team.author,
        entry=live,
        content=EntryContent(section=live.section, title="Proposed", url=live.url),
    )
    rewritten = services.entry_propose_edit(
        actor=team.curator,
        entry=live,
        content=EntryContent(section=live.section, title="Rewritten", url="https://mine.example/"),
    )
    assert rewritten.pk == proposal.pk  # the curator edited the contributor's proposal
    return rewritten, team.curator, "approve"


def reviewed_edit_of_reviewer(team):
    """A reviewer who edited nothing but proposed the change approves it: still an author."""
    live = team.entry(S.PUBLISHED)
    proposal = services.entry_propose_edit(
        actor=team.reviewer,
        entry=live,
        content=EntryContent(section=live.section, title="Reviewer's idea", url=live.url),
    )
    return proposal, team.reviewer, "approve"


def cross_section_proposal(team):
    """A list-wide contributor moves a live entry of "Web › Frameworks" into "CLI"; a curator
    of "CLI" only would approve it (and move an entry outside their reach)."""
    live = team.entry(S.PUBLISHED)
    proposal = services.entry_propose_edit(
        actor=team.author,
        entry=live,
        content=EntryContent(section=team.cli, title="Moved and rewritten", url=live.url),
    )
    return proposal, scoped_curator_of_cli(team), "approve"


def cross_section_publish(team):
    """The same proposal, approved by a list-wide reviewer: the CLI curator may not publish
    (merge) it either."""
    proposal, scoped, _ = cross_section_proposal(team)
    proposal = services.entry_approve(actor=team.reviewer, entry=proposal)
    assert proposal.status == S.APPROVED
    return proposal, scoped, "publish"


REFUSED_CASES = [
    edited_submission,
    edited_proposal,
    reviewed_edit_of_reviewer,
    cross_section_proposal,
    cross_section_publish,
]
REFUSED_IDS = [case.__name__ for case in REFUSED_CASES]


def step(transition, actor, entry):
    if transition == "approve":
        return services.entry_approve(actor=actor, entry=entry)
    return services.entry_publish(actor=actor, entry=entry)


def changed(entry, events_before, status_before):
    entry.refresh_from_db()
    return WorkflowEvent.objects.count() > events_before or entry.status != status_before


@pytest.mark.parametrize("case", REFUSED_CASES, ids=REFUSED_IDS)
def test_services_refuse_authors_and_half_reach(team, case):
    entry, actor, transition = case(team)
    before, status = WorkflowEvent.objects.count(), entry.status
    with pytest.raises(PermissionDenied):
        step(transition, actor, entry)
    assert not changed(entry, before, status)
    # Someone who wrote none of it and reaches both sections may.
    step(transition, team.reviewer2 if transition == "approve" else team.curator, entry)
    assert changed(entry, before, status)


@pytest.mark.parametrize("case", REFUSED_CASES, ids=REFUSED_IDS)
def test_admin_refuses_authors_and_half_reach(client, team, case):
    entry, actor, transition = case(team)
    client.force_login(actor)
    page = client.get(reverse("admin:catalog_entry_change", args=[entry.pk]))
    assert f'name="action" value="{transition}"' not in page.content.decode()
    before, status = WorkflowEvent.objects.count(), entry.status
    response = client.post(
        reverse("admin:catalog_entry_decide", args=[entry.pk]),
        {"action": transition, "revision": entry.revision, "comment": ""},
    )
    assert response.status_code in (302, 403)
    assert not changed(entry, before, status)


@pytest.mark.parametrize("case", REFUSED_CASES, ids=REFUSED_IDS)
def test_api_refuses_authors_and_half_reach(team, case):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    entry, actor, transition = case(team)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=actor).key}")
    before, status = WorkflowEvent.objects.count(), entry.status
    response = api.post(f"/api/entries/{entry.pk}/{transition}/", {}, format="json")
    assert response.status_code in (403, 404), response.content
    assert not changed(entry, before, status)


def test_an_authors_approval_never_counts(team, settings):
    """Even an approval written before the author edited (or by any other way in) does not
    count towards publishing."""
    from curation.models import Review, Verdict

    entry, curator, _ = edited_submission(team)
    Review.objects.create(
        entry=entry, reviewer=curator, verdict=Verdict.APPROVE, entry_revision=entry.revision
    )
    assert services.approvals_of(entry) == 0
    services.entry_approve(actor=team.reviewer, entry=entry)
    assert services.approvals_of(entry) == 1


def test_a_proposal_needs_both_sections_to_be_proposed_or_edited(team):
    """A curator of "CLI" only may neither propose moving a Frameworks entry into CLI nor edit
    such an open proposal; the live entry's reviewers are the ones who decide."""
    live = team.entry(S.PUBLISHED)
    scoped = scoped_curator_of_cli(team)
    with pytest.raises(PermissionDenied):
        services.entry_propose_edit(
            actor=scoped,
            entry=live,
            content=EntryContent(section=team.cli, title="Mine now", url=live.url),
        )
    proposal, _, _ = cross_section_proposal(team)
    with pytest.raises(PermissionDenied):
        services.entry_update(
            actor=scoped,
            entry=proposal,
            content=EntryContent(section=team.cli, title="Mine now", url=live.url),
        )
    with pytest.raises(PermissionDenied):
        services.entry_reject(actor=scoped, entry=proposal, comment="Mine.")


def test_the_authors_of_a_merged_revision_are_the_proposals_not_the_merger(team):
    from curation.access import authors_of

    live = team.entry(S.PUBLISHED, submitted_by=team.reviewer2)
    proposal = services.entry_propose_edit(
        actor=team.author,
        entry=live,
        content=EntryContent(section=live.section, title="Better", url=live.url),
    )
    services.entry_approve(actor=team.reviewer, entry=proposal)
    services.entry_publish(actor=team.curator, entry=proposal)
    live.refresh_from_db()
    assert live.title == "Better"
    assert authors_of(live) == {team.reviewer2.pk, team.author.pk}
