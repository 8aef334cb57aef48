"""Choosing the further sections of an entry: the admin's "Also shown in" field and the
``entry_set_placements`` service behind it, scoped by the curator's section scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalog.export import export_files
from catalog.models import Entry, EntryPlacement, Section
from curation import services
from curation.models import Action, WorkflowEvent
from tests.demo import login
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


def change_url(entry: Entry) -> str:
    return reverse("admin:catalog_entry_change", args=[entry.pk])


def top(curated_list, slug: str) -> Section:
    return Section.objects.get(curated_list=curated_list, parent=None, slug=slug)


def published_in(section: Section) -> Entry:
    """A published entry of the section's subtree (top sections of the demo hold none)."""
    inside = Entry.objects.published().filter(section__tree_path__startswith=section.tree_path)
    return inside.exclude(url="").order_by("pk").first()


def test_curator_places_a_published_entry_in_a_further_section_from_the_admin(client, demo):
    entry = published_in(top(demo, "markup"))
    editors = top(demo, "editors")
    client = login(client, "curator")
    page = client.get(change_url(entry))
    assert b"Also shown in" in page.content
    data = form_data(page.content.decode(), "entry_form")
    assert data.get("further_sections", []) == []
    data["further_sections"] = [str(editors.pk)]
    response = client.post(change_url(entry), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    entry.refresh_from_db()
    # Placed, not proposed: no proposal row, the same revision, one audited edit.
    assert [s.pk for s in entry.sections_shown_in()] == [entry.section_id, editors.pk]
    assert not entry.proposals.exists()
    event = WorkflowEvent.objects.filter(entry=entry).first()
    assert event.action == Action.EDIT
    assert "Also shown in" in event.comment
    readme = export_files(demo)["README.md"]
    editors_part = readme.split("\n## Editors\n")[1].split("\n## ")[0]
    # Editors comes before Markup in the README: the inline link is there (the first one a
    # reader meets), the entry's own section repeats it as a reference link.
    assert f"- [{entry.title}]({entry.url})" in editors_part
    assert readme.count(f"- [{entry.title}][placement-") == 1

    # Unticked again: the placement goes, the entry stays where it was.
    data = form_data(client.get(change_url(entry)).content.decode(), "entry_form")
    assert data["further_sections"] in (str(editors.pk), [str(editors.pk)])  # ticked
    data["further_sections"] = []
    assert client.post(change_url(entry), data).status_code == 302
    assert [s.pk for s in entry.sections_shown_in()] == [entry.section_id]
    assert Entry.objects.filter(pk=entry.pk, status=Entry.Status.PUBLISHED).exists()


def test_section_editor_chooses_only_sections_in_scope_and_keeps_the_others(client, demo):
    markup = top(demo, "markup")
    editors = top(demo, "editors")
    entry = published_in(markup)
    inside = (
        Section.objects.filter(tree_path__startswith=markup.tree_path)
        .exclude(pk=entry.section_id)
        .first()
    )
    # A list-wide curator placed it in Editors, outside the section editor's scope.
    services.entry_set_placements(actor=_user("curator"), entry=entry, sections=[editors])
    client = login(client, "section-editor")
    page = client.get(change_url(entry)).content.decode()
    data = form_data(page, "entry_form")
    assert f'value="{inside.pk}"' in page
    assert f'name="further_sections" value="{editors.pk}"' not in page  # not offered
    data["further_sections"] = [str(inside.pk)]
    assert client.post(change_url(entry), data).status_code == 302
    # Their choice is added; the placement they cannot reach is kept, not removed.
    assert set(EntryPlacement.objects.filter(entry=entry).values_list("section", flat=True)) == {
        editors.pk,
        inside.pk,
    }


def test_service_refuses_what_the_actor_may_not_do(demo):
    markup = top(demo, "markup")
    editors = top(demo, "editors")
    entry = published_in(markup)
    with pytest.raises(PermissionDenied, match="no role on"):
        services.entry_set_placements(
            actor=_user("section-editor"), entry=entry, sections=[editors]
        )
    with pytest.raises(PermissionDenied, match="curator of this entry's section"):
        services.entry_set_placements(actor=_user("contributor"), entry=entry, sections=[editors])
    proposal = Entry.objects.filter(curated_list=demo, proposal_for__isnull=False).first()
    if proposal is not None:
        with pytest.raises(ValidationError, match="proposed edit has no placements"):
            services.entry_set_placements(
                actor=_user("curator"), entry=proposal, sections=[editors]
            )
    assert not EntryPlacement.objects.filter(entry=entry).exists()
    # The entry's own section is never a placement of it.
    own = entry.section
    services.entry_set_placements(actor=_user("curator"), entry=entry, sections=[own])
    assert not EntryPlacement.objects.filter(entry=entry).exists()


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
