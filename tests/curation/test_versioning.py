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
