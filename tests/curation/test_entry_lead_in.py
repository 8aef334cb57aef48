"""The text a section shows right before an entry (``Entry.lead_in``, issue 12) through the
workflow: edited in the admin, carried by a proposal into the live entry, versioned and
reverted, kept by an edit of other fields."""

from __future__ import annotations

import pytest

from catalog.models import Entry
from curation import services
from tests.curation.test_admin import admin_url, page_form
from tests.curation.test_entry_attributes import content_of
from tests.demo import login

pytestmark = pytest.mark.django_db
S = Entry.Status


def test_a_proposal_carries_the_text_into_the_live_entry(team, django_capture_on_commit_callbacks):
    live = team.entry(S.PUBLISHED, lead_in="The paid ones:")
    proposal = services.entry_propose_edit(
        actor=team.author, entry=live, content=content_of(live, lead_in="The paid ones, sadly:")
    )
    live.refresh_from_db()
    assert live.lead_in == "The paid ones:"  # live until published
    services.entry_approve(actor=team.reviewer, entry=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_publish(actor=team.curator, entry=proposal)
    live.refresh_from_db()
    assert live.lead_in == "The paid ones, sadly:"


def test_an_edit_without_the_text_keeps_it_and_a_revert_restores_it(team):
    entry = team.entry(S.DRAFT, lead_in="Below:")
    first = entry.history.order_by("history_date", "history_id").last()
    # What the API and the public form build carries no lead_in (None): the entry keeps its.
    services.entry_update(
        actor=team.curator, entry=entry, content=content_of(entry, title="New", lead_in=None)
    )
    entry.refresh_from_db()
    assert entry.lead_in == "Below:"
    services.entry_update(actor=team.curator, entry=entry, content=content_of(entry, lead_in=""))
    entry.refresh_from_db()
    assert entry.lead_in == ""
    services.entry_revert(actor=team.curator, entry=entry, history_id=first.history_id)
    entry.refresh_from_db()
    assert entry.lead_in == "Below:"


def test_the_curator_edits_the_text_in_the_admin(client, demo):
    entry = Entry.objects.filter(curated_list=demo, status=S.DRAFT).first()
    client = login(client, "curator")
    url = admin_url(Entry, "change", entry.pk)
    data = page_form(client, url, "entry_form")
    assert data["lead_in"] == ""
    data["lead_in"] = "The ones below cost money:"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    entry.refresh_from_db()
    assert entry.lead_in == "The ones below cost money:"
