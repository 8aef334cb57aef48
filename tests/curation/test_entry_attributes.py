"""An entry's table attributes (Auth: apiKey …) through the workflow: edited in the admin as
``Label: value`` lines, carried by proposals into the live entry, versioned and reverted."""

from __future__ import annotations

import pytest

from catalog.models import Entry
from curation import services
from curation.services import EntryContent
from tests.curation.test_admin import admin_url, page_form
from tests.demo import login

pytestmark = pytest.mark.django_db
S = Entry.Status


def content_of(entry: Entry, **changes) -> EntryContent:
    return EntryContent(**{**EntryContent.of(entry).__dict__, **changes})


def test_a_proposal_carries_attributes_into_the_live_entry(
    team, django_capture_on_commit_callbacks
):
    live = team.entry(S.PUBLISHED, attributes=[{"label": "Auth", "value": "No"}])
    proposal = services.entry_propose_edit(
        actor=team.author,
        entry=live,
        content=content_of(live, attributes=(("Auth", "`apiKey`"), ("HTTPS", "Yes"))),
    )
    live.refresh_from_db()
    assert live.attributes == [{"label": "Auth", "value": "No"}]  # live until published
    services.entry_approve(actor=team.reviewer, entry=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_publish(actor=team.curator, entry=proposal)
    live.refresh_from_db()
    assert live.attributes == [
        {"label": "Auth", "value": "`apiKey`"},
        {"label": "HTTPS", "value": "Yes"},
    ]


def test_an_edit_of_other_fields_keeps_the_attributes_and_a_revert_restores_them(team):
    entry = team.entry(S.DRAFT, attributes=[{"label": "CORS", "value": "Yes"}])
    services.entry_update(actor=team.curator, entry=entry, content=content_of(entry, title="New"))
    entry.refresh_from_db()
    assert entry.attributes == [{"label": "CORS", "value": "Yes"}]
    first = entry.history.order_by("history_date", "history_id").last()
    services.entry_update(actor=team.curator, entry=entry, content=content_of(entry, attributes=()))
    entry.refresh_from_db()
    assert entry.attributes == []
    services.entry_revert(actor=team.curator, entry=entry, history_id=first.history_id)
    entry.refresh_from_db()
    assert entry.attributes == [{"label": "CORS", "value": "Yes"}]


class TestAdmin:
    def test_the_curator_edits_attributes_as_lines(self, client, demo):
        entry = Entry.objects.filter(curated_list=demo, status=S.DRAFT).first()
        entry.attributes = [{"label": "Auth", "value": "No"}]
        entry.save()
        client = login(client, "curator")
        url = admin_url(Entry, "change", entry.pk)
        data = page_form(client, url, "entry_form")
        assert data["attributes"] == "Auth: No"
        data["attributes"] = "Auth: `apiKey`\nHTTPS: Yes\n\nCORS: [docs](https://cors.example.org)"
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        entry.refresh_from_db()
        assert entry.attributes == [
            {"label": "Auth", "value": "`apiKey`"},
            {"label": "HTTPS", "value": "Yes"},
            {"label": "CORS", "value": "[docs](https://cors.example.org)"},
        ]

    def test_a_line_without_a_label_is_a_form_error(self, client, demo):
        entry = Entry.objects.filter(curated_list=demo, status=S.DRAFT).first()
        client = login(client, "curator")
        url = admin_url(Entry, "change", entry.pk)
        data = page_form(client, url, "entry_form")
        data["attributes"] = "Auth: No\nno colon here"
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Line 2: write “Label: value”" in response.content.decode()
        entry.refresh_from_db()
        assert entry.attributes == []
