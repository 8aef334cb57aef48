"""Admin messages read naturally: a renamed section is named by its new name, and a URL of an
entry or section outside the user's scope says "not in your sections" (issue 14, item 14)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import Entry, Section
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_rename_message_names_the_section_by_its_new_name(client, team):
    client.force_login(team.curator)
    url = reverse("admin:catalog_section_change", args=[team.frameworks.pk])
    data = form_data(client.get(url).content.decode(), "section_form")
    data["title"] = "Web frameworks"
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    (message,) = said(response)
    assert "Web › Web frameworks" in message
    assert "Frameworks”" not in message.replace("Web frameworks", "")
    team.frameworks.refresh_from_db()
    assert team.frameworks.title_path == "Web › Web frameworks"


@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_an_entry_outside_the_users_sections_says_so(client, team, page):
    entry = team.entry(Entry.Status.SUBMITTED)  # in Web › Frameworks; team.scoped has CLI only
    client.force_login(team.scoped)
    response = client.get(reverse(f"admin:catalog_entry_{page}", args=[entry.pk]), follow=True)
    assert response.status_code == 200
    assert said(response) == [f"Entry {entry.pk} is not in your sections."]
    assert response.redirect_chain[-1][0] == reverse("admin:catalog_entry_changelist")


def test_a_section_outside_the_users_sections_says_so(client, team):
    client.force_login(team.scoped)
    url = reverse("admin:catalog_section_change", args=[team.web.pk])
    response = client.get(url, follow=True)
    assert said(response) == [f"Section {team.web.pk} is not in your sections."]


def test_an_entry_of_another_list_says_whose_it_is(client, team):
    entry = team.entry(Entry.Status.SUBMITTED)
    client.force_login(team.outsider)
    response = client.get(reverse("admin:catalog_entry_change", args=[entry.pk]), follow=True)
    assert said(response) == [
        f"Entry {entry.pk} is not in your sections: it belongs to a list you are not in."
    ]


def test_a_decision_posted_on_an_entry_out_of_scope_says_so_and_changes_nothing(client, team):
    entry = team.entry(Entry.Status.SUBMITTED)
    client.force_login(team.scoped)
    url = reverse("admin:catalog_entry_decide", args=[entry.pk])
    response = client.post(url, {"action": "approve", "revision": "1"}, follow=True)
    assert said(response) == [f"Entry {entry.pk} is not in your sections."]
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED


def test_proposing_an_edit_of_an_entry_out_of_scope_is_a_message_not_a_bare_403(client, team):
    entry = team.entry(Entry.Status.PUBLISHED)
    client.force_login(team.scoped)
    url = reverse("admin:catalog_entry_add") + f"?proposal_for={entry.pk}"
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert said(response) == [f"Entry {entry.pk} is not in your sections."]


def test_a_row_that_does_not_exist_still_says_it_does_not_exist(client, team):
    client.force_login(team.scoped)
    missing = (Section.objects.order_by("-pk").first().pk or 0) + 100
    response = client.get(reverse("admin:catalog_section_change", args=[missing]), follow=True)
    (message,) = said(response)
    assert "doesn’t exist" in message
    assert "not in your sections" not in message


def test_an_edit_posted_on_an_entry_out_of_scope_says_so_and_changes_nothing(client, team):
    entry = team.entry(Entry.Status.DRAFT)
    client.force_login(team.scoped)
    url = reverse("admin:catalog_entry_change", args=[entry.pk])
    response = client.post(url, {"title": "Hijacked"}, follow=True)
    assert said(response) == [f"Entry {entry.pk} is not in your sections."]
    entry.refresh_from_db()
    assert entry.title != "Hijacked"
