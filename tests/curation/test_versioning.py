"""Every path that writes an entry leaves a version in its history: the services (and so the
admin, the API and the public form), the scheduled command, the demo loader, a plain save()."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Entry
from curation import services
from curation.demo.loader import load_demo

pytestmark = pytest.mark.django_db
S = Entry.Status


def test_the_demo_loader_is_versioned_and_a_reload_adds_nothing():
    demo = load_demo().curated_list
    entries = Entry.objects.filter(curated_list=demo)
    assert all(entry.history.exists() for entry in entries)
    count = Entry.history.count()
    load_demo()
    assert Entry.history.count() == count


def test_the_scheduled_command_is_versioned_as_the_system(team, time_machine):
    entry = services.entry_publish(
        actor=team.curator, entry=team.approved(), publish_at=timezone.now() + dt.timedelta(hours=1)
    )
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))
    call_command("publish_scheduled", stdout=StringIO())
    latest = entry.history.latest()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        S.PUBLISHED,
        None,
        "Published",
    )


def test_a_plain_save_and_a_tag_change_are_versioned_too(team):
    entry = team.entry(S.DRAFT)
    before = entry.history.count()
    entry.title = "Saved from a shell"
    entry.save()
    entry.tags.add("Python")
    assert entry.history.count() == before + 1
    assert Entry.tags.through.history.filter(content_object_id=entry.pk).count() == 1


def test_one_version_per_service_write_with_tags_and_markers_inside(team):
    entry = services.entry_create(
        actor=team.author,
        content=services.EntryContent(section=team.frameworks, title="Once", tags=("A", "B")),
    )
    assert entry.history.count() == 1


def _first_version(entry: Entry) -> services.EntryContent:
    first = entry.history.order_by("history_date", "history_id").first()
    return services.EntryContent.from_history(first)


def _relations(content: services.EntryContent) -> tuple:
    return (content.tags, content.marker_ids, content.extra_links)


def _assert_first_version_complete(entry: Entry) -> None:
    """Reverting to the first version gives back its tags, markers and extra links: the first
    stored version holds the relations written with the entry, not an empty set."""
    created = services.EntryContent.of(entry)
    assert _relations(created) != ((), frozenset(), ())  # the case is worth testing
    assert _relations(_first_version(entry)) == _relations(created)


def test_first_versions_are_complete_for_the_demo_loader():
    demo = load_demo().curated_list
    tagged = Entry.objects.filter(curated_list=demo, proposal_for=None, tags__isnull=False)
    assert tagged.exists()
    for entry in tagged.distinct():
        _assert_first_version_complete(entry)


def test_first_versions_are_complete_for_the_services_and_the_api(team):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tests.factories import MarkerFactory

    marker = MarkerFactory(curated_list=team.curated_list, slug="pick", symbol="⭐")
    admin_made = services.entry_create(
        actor=team.curator,
        content=services.EntryContent(
            section=team.frameworks,
            title="Made in the admin",
            url="https://admin-made.example/",
            tags=("MIT",),
            marker_ids=frozenset({marker.pk}),
            extra_links=(services.LinkData("Demo", "https://admin-made.example/demo"),),
        ),
    )
    _assert_first_version_complete(admin_made)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=team.author).key}")
    response = api.post(
        f"/api/lists/{team.curated_list.slug}/submissions/",
        {
            "section": team.frameworks.pk,
            "title": "Made through the API",
            "url": "https://api-made.example/",
            "description": "Sent by a client.",
            "tags": ["BSD"],
            "markers": ["pick"],
            "extra_links": [{"label": "Source", "url": "https://api-made.example/src"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    _assert_first_version_complete(Entry.objects.get(pk=response.json()["id"]))


def test_first_versions_are_complete_for_an_import():
    from catalog.importer import read_readme, store_document

    doc, _ = read_readme(
        "# Awesome Versions\n\n> Versions.\n\n"
        "| Marker | Meaning |\n| --- | --- |\n| ⭐ | Curator's pick |\n\n## Tools\n\n"
        "- [Kept](https://kept.example/) - ⭐ Has everything. ([Demo](https://kept.example/demo))"
        " (`MIT`)\n".encode()
    )
    store_document(doc, slug="versions")
    kept = Entry.objects.get(title="Kept")
    assert [marker.symbol for marker in kept.markers.all()] == ["⭐"]
    _assert_first_version_complete(kept)
