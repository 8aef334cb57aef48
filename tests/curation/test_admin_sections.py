"""The section form of the admin: a section stays in its list."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from catalog.models import Entry, Section
from curation import services
from curation.models import Role
from tests.factories import CuratedListFactory, MembershipFactory
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


def change_url(section: Section) -> str:
    return reverse("admin:catalog_section_change", args=[section.pk])


def test_a_section_cannot_be_moved_to_another_list(client, team):
    """A curator of both lists posts the "Web" section with the other list: it stays where it
    is, with its subsection and entries, and the other list's curator gains nothing over it."""
    other = CuratedListFactory()
    MembershipFactory(user=team.curator, curated_list=other, role=Role.CURATOR)
    other_curator = MembershipFactory(curated_list=other, role=Role.CURATOR).user
    entry = team.entry(Entry.Status.PUBLISHED, section=team.frameworks)
    client.force_login(team.curator)
    page = client.get(change_url(team.web)).content.decode()
    assert 'name="curated_list"' not in page  # shown, not offered
    data = form_data(page, "section_form")
    data.update(curated_list=str(other.pk), parent="")

    response = client.post(change_url(team.web), data)

    assert response.status_code in (200, 302)
    team.web.refresh_from_db()
    team.frameworks.refresh_from_db()
    assert team.web.curated_list_id == team.curated_list.pk
    assert team.frameworks.curated_list_id == team.curated_list.pk
    with pytest.raises(PermissionDenied):
        services.entry_archive(actor=other_curator, entry=entry)
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PUBLISHED


def test_a_section_editor_still_cannot_move_a_section_to_the_top(client, team):
    """With the list read-only, the form still asks for the list-wide role to move a section
    to the top level (it used to read the list from the posted data)."""
    scoped = MembershipFactory(
        curated_list=team.curated_list, role=Role.CURATOR, section=team.web
    ).user
    client.force_login(scoped)
    data = form_data(client.get(change_url(team.frameworks)).content.decode(), "section_form")
    data["parent"] = ""
    response = client.post(change_url(team.frameworks), data)
    assert response.status_code == 200
    assert "Only curators of the whole list" in response.content.decode()
    team.frameworks.refresh_from_db()
    assert team.frameworks.parent_id == team.web.pk
