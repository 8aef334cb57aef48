"""``manage.py refresh_metadata`` against the fake forges."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.models import RepositoryInfo
from tests.curation.health.fakeforges import FakeForges
from tests.factories import CuratedListFactory, EntryFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forges(settings) -> Iterator[FakeForges]:
    with FakeForges() as fake:
        settings.REPOSITORY_FORGES = fake.forge_settings()
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        yield fake


@pytest.fixture
def two_lists(forges):
    forges.add_github("django/django", stars=81000, archived=True, license="BSD-3-Clause")
    recently = timezone.now() - timedelta(days=10)
    forges.add_gitlab("inkscape/inkscape", stars=4000, last_activity_at=recently)
    mine = SectionFactory(curated_list=CuratedListFactory(slug="awesome-django"))
    theirs = SectionFactory(curated_list=CuratedListFactory(slug="awesome-graphics"))
    EntryFactory(section=mine, url="https://github.com/django/django")
    EntryFactory(section=mine, url="https://github.com/gone/away")
    EntryFactory(section=theirs, url="https://gitlab.com/inkscape/inkscape")


def run(*args: str) -> str:
    out = StringIO()
    call_command("refresh_metadata", *args, stdout=out)
    return out.getvalue()


def test_prints_the_summary(two_lists):
    output = run()

    # django/django: archived, and quiet since 2024-05 (the fake's default date).
    assert output.strip().endswith(
        "3 repositories: 2 fetched, 1 archived, 1 stale, 1 not found, 0 errors, "
        "0 skipped (rate limited)."
    )
    assert RepositoryInfo.objects.count() == 3


def test_one_list_and_verbose_output(two_lists, forges):
    output = run("--list", "awesome-django", "--verbosity", "2")

    assert (
        "github.com/django/django: 81000 stars, last activity 2024-05-01, archived, BSD-3-Clause"
        in output
    )
    assert "github.com/gone/away: repository not found" in output
    assert "2 repositories:" in output
    assert not forges.requests_to("gitlab")


def test_an_unknown_list_is_an_error(two_lists, forges):
    with pytest.raises(CommandError, match="No curated list with the slug 'awesome-nothing'"):
        run("--list", "awesome-nothing")
    assert forges.requests == []


def test_enqueue_hands_the_list_to_the_task(two_lists, forges, settings):
    # The tests' task backend runs the task at once, in this process.
    output = run("--list", "awesome-django", "--enqueue")

    assert output.startswith("Metadata refresh of ")
    assert "queued (task " in output
    assert "successful" in output
    assert {seen.path for seen in forges.requests} == {
        "/github/repos/django/django",
        "/github/repos/django/django/branches/main",
        "/github/repos/gone/away",
    }
    assert RepositoryInfo.objects.count() == 2


def test_enqueue_refuses_an_unknown_list(two_lists, forges):
    with pytest.raises(CommandError):
        run("--list", "awesome-nothing", "--enqueue")
    assert forges.requests == []
