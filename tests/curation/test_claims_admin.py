"""Owning the queue in the admin: the claim panel's buttons (POST + CSRF, refusals as
messages), the "reviewed by" column and filter, and the list's days on the list's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Entry
from curation import services
from curation.models import QueueSettings
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db
S = Entry.Status


def change_url(entry: Entry) -> str:
    return reverse("admin:catalog_entry_change", args=[entry.pk])


def claim_url(entry: Entry) -> str:
    return reverse("admin:catalog_entry_claim", args=[entry.pk])


def changelist() -> str:
    return reverse("admin:catalog_entry_changelist")


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_reviewer_takes_sees_it_as_theirs_and_releases(client, team):
    entry = team.entry(S.SUBMITTED, title="Visidata")
    client.force_login(team.reviewer)
    page = client.get(change_url(entry)).content.decode()
    assert "Nobody has taken it yet." in page
    data = form_data(page, "claim-panel")
    response = client.post(claim_url(entry), {**data, "claim": "take"})
    assert response.status_code == 302
    assert texts(response) == ["You are reviewing “Visidata”; others see it is yours."]
    page = client.get(change_url(entry)).content.decode()
    assert "Taken by you for 0 days" in page
    assert 'value="take"' not in page
    client.post(claim_url(entry), {"claim": "release"})
    assert services.open_claim(entry) is None


def test_others_see_who_has_it_and_for_how_long(client, team, time_machine):
    entry = team.entry(S.SUBMITTED)
    services.entry_take(actor=team.reviewer, entry=entry)
    time_machine.move_to(timezone.now() + dt.timedelta(days=3, hours=1))
    client.force_login(team.reviewer2)
    page = client.get(change_url(entry)).content.decode()
    assert f"Taken by {team.reviewer.get_username()} for 3 days" in page
    assert 'value="take"' not in page
    assert 'value="release"' not in page  # neither holder nor curator
    listing = client.get(changelist(), {"queue": "review"}).content.decode()
    assert f"taken by {team.reviewer.get_username()} for 3 days" in listing
    assert "taken by" not in client.get(changelist()).content.decode()  # the full list: narrow
    response = client.post(claim_url(entry), {"claim": "take"})
    assert f"{team.reviewer.get_username()} is reviewing" in texts(response)[0]


def test_a_curator_assigns_from_the_reviewers_offered(client, team):
    entry = team.entry(S.SUBMITTED)
    client.force_login(team.curator)
    page = client.get(change_url(entry)).content.decode()
    offered = form_data(page, "claim-panel")
    assert offered["assignee"]  # a choice is offered
    assert f'<option value="{team.author.pk}"' not in page  # the submitter is not
    assert f'<option value="{team.outsider.pk}"' not in page
    response = client.post(claim_url(entry), {"claim": "assign", "assignee": team.reviewer2.pk})
    assert texts(response) == [f"“{entry}” is assigned to {team.reviewer2.get_username()}."]
    assert services.open_claim(entry).holder == team.reviewer2


def test_refusals_are_messages_and_get_is_refused(client, team):
    entry = team.entry(S.SUBMITTED)
    client.force_login(team.reviewer)
    response = client.post(claim_url(entry), {"claim": "assign", "assignee": team.reviewer2.pk})
    assert response.status_code == 302
    assert "Only curators" in texts(response)[0]
    assert client.get(claim_url(entry)).status_code == 405
    assert services.open_claim(entry) is None


def test_the_filter_shows_what_is_mine(client, team):
    mine, theirs, free = (team.entry(S.SUBMITTED, title=t) for t in ("Mine", "Theirs", "Free"))
    team.entry(S.DRAFT, title="Sketch")  # not waiting for review: in none of them
    services.entry_take(actor=team.reviewer, entry=mine)
    services.entry_take(actor=team.reviewer2, entry=theirs)
    client.force_login(team.reviewer)
    for value, shown in (("mine", "Mine"), ("others", "Theirs"), ("none", "Free")):
        page = client.get(changelist(), {"claim": value}).content.decode()
        titles = {t for t in ("Mine", "Theirs", "Free", "Sketch") if f">{t}</a>" in page}
        assert titles == {shown}, value
    assert free.pk  # untouched


def test_the_column_costs_no_query_per_row(client, team):
    client.force_login(team.curator)
    client.get(changelist(), {"claim": "others"})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(changelist(), {"claim": "others"}).status_code == 200
        return len(queries)

    services.entry_take(actor=team.reviewer, entry=team.entry(S.SUBMITTED))
    one = count()
    for _ in range(4):
        services.entry_take(actor=team.reviewer2, entry=team.entry(S.SUBMITTED))
    assert count() == one


def test_the_lists_days_are_set_on_the_lists_page(client, team):
    client.force_login(team.curator)
    url = reverse("admin:catalog_curatedlist_change", args=[team.curated_list.pk])
    page = client.get(url).content.decode()
    assert "release a taken submission after (days)" in page.lower()
    data = form_data(page, "curatedlist_form")
    data["queue_settings-0-claim_days"] = "3"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert QueueSettings.objects.get(curated_list=team.curated_list).claim_days == 3


def test_the_admin_index_counts_what_i_am_reviewing(client, team):
    services.entry_take(actor=team.reviewer, entry=team.entry(S.SUBMITTED))
    services.entry_assign(actor=team.curator, entry=team.entry(S.SUBMITTED), assignee=team.reviewer)
    services.entry_take(actor=team.reviewer2, entry=team.entry(S.SUBMITTED))
    client.force_login(team.reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    assert '<td id="queue-taken">2</td>' in page
