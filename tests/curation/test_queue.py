"""The review queue ("Awaiting my review", "Ready to publish") offers only what the user may
take: not entries they wrote, not proposals whose live entry is outside their reach."""

from __future__ import annotations

import pytest

from catalog.models import Entry
from curation import services
from curation.access import Access
from curation.models import Role
from curation.queue import awaiting_review, ready_to_publish
from curation.services import EntryContent
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = Entry.Status


def test_an_entry_the_reviewer_edited_is_not_awaiting_their_review(team):
    entry = services.entry_update(
        actor=team.curator,
        entry=team.entry(S.SUBMITTED),
        content=EntryContent(section=team.frameworks, title="Rewritten", url="https://x.example/"),
    )
    assert entry not in awaiting_review(Access.for_user(team.curator))
    assert entry in awaiting_review(Access.for_user(team.reviewer))


def test_a_moving_proposal_is_queued_only_for_those_who_reach_both_sections(team):
    live = team.entry(S.PUBLISHED)
    proposal = services.entry_propose_edit(
        actor=team.author,
        entry=live,
        content=EntryContent(section=team.cli, title="Moved", url=live.url),
    )
    cli_curator = MembershipFactory(
        curated_list=team.curated_list, role=Role.CURATOR, section=team.cli
    ).user
    assert proposal not in awaiting_review(Access.for_user(team.scoped))  # reviewer of CLI only
    assert proposal not in awaiting_review(Access.for_user(cli_curator))
    assert proposal in awaiting_review(Access.for_user(team.reviewer))
    services.entry_approve(actor=team.reviewer, entry=proposal)
    assert proposal not in ready_to_publish(Access.for_user(cli_curator))
    assert proposal in ready_to_publish(Access.for_user(team.curator))
