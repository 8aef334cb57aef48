"""refresh_metadata: entries in, RepositoryInfo rows out, against the fake forges."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine

from catalog.models import Entry, RepositoryInfo
from curation.health.forges import NOT_FOUND
from curation.health.metadata import MetadataSummary, refresh_metadata, stale_before
from tests.curation.health.fakeforges import FakeForges
from tests.factories import CuratedListFactory, EntryFactory, ExtraLinkFactory, SectionFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def forges(settings) -> Iterator[FakeForges]:
    with FakeForges() as fake:
        settings.REPOSITORY_FORGES = fake.forge_settings()
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        yield fake


@pytest.fixture
def section():
    return SectionFactory(curated_list=CuratedListFactory(slug="awesome-tools"))


def info(entry: Entry) -> RepositoryInfo:
    return RepositoryInfo.objects.get(entry=entry)


def test_figures_of_each_forge_are_recorded(forges, section):
    pushed = datetime(2025, 5, 20, 8, 0, tzinfo=UTC)
    forges.add_github("django/django", stars=81000, pushed_at=pushed, license="BSD-3-Clause")
    forges.add_gitlab("inkscape/inkscape", stars=4000, archived=True, license="GPL-3.0")
    forges.add_gitea("dnkl/foot", stars=900, committed_at=datetime(2025, 4, 1, tzinfo=UTC))
    django = EntryFactory(section=section, url="https://github.com/django/django")
    inkscape = EntryFactory(section=section, url="https://gitlab.com/inkscape/inkscape/-/tree/1.4")
    foot = EntryFactory(section=section, url="https://codeberg.org/dnkl/foot")
    website = EntryFactory(section=section, url="https://www.djangoproject.com/")

    summary = refresh_metadata(now=NOW)

    # inkscape: archived, and quiet since 2024-05 (the fake's default date).
    assert summary == MetadataSummary(repositories=3, fetched=3, archived=1, stale=1)
    row = info(django)
    assert (row.forge, row.host, row.full_name, row.url) == (
        "github", "github.com", "django/django", "https://github.com/django/django"
    )  # fmt: skip
    assert (row.stars, row.last_activity_at, row.archived, row.license, row.error) == (
        81000, pushed, False, "BSD-3-Clause", ""
    )  # fmt: skip
    assert row.fetched_at == NOW
    assert (info(inkscape).forge, info(inkscape).archived, info(inkscape).license) == (
        "gitlab", True, "GPL-3.0"
    )  # fmt: skip
    assert info(inkscape).url == "https://gitlab.com/inkscape/inkscape/-/tree/1.4"
    assert info(foot).last_activity_at == datetime(2025, 4, 1, tzinfo=UTC)
    assert not RepositoryInfo.objects.filter(entry=website).exists()


def test_the_source_code_link_stands_in_for_a_homepage(forges, section):
    forges.add_github("ajenti/ajenti", stars=7000)
    forges.add_github("owner/tool", stars=5)
    app = EntryFactory(section=section, url="https://ajenti.org/")
    ExtraLinkFactory(entry=app, label="Demo", url="https://demo.ajenti.org/")
    ExtraLinkFactory(entry=app, label="Source Code", url="https://github.com/ajenti/ajenti")
    ExtraLinkFactory(entry=app, label="Fork", url="https://github.com/someone/ajenti-fork")
    # An entry whose own URL is a repository keeps it, whatever its links say.
    tool = EntryFactory(section=section, url="https://github.com/owner/tool")
    ExtraLinkFactory(entry=tool, label="Source Code", url="https://github.com/ajenti/ajenti")

    refresh_metadata(now=NOW)

    assert (info(app).full_name, info(app).url, info(app).stars) == (
        "ajenti/ajenti", "https://github.com/ajenti/ajenti", 7000
    )  # fmt: skip
    assert info(tool).full_name == "owner/tool"
    assert not any("ajenti-fork" in seen.path for seen in forges.requests)


def test_a_repository_shared_by_entries_is_asked_about_once(forges, section):
    forges.add_github("psf/requests", stars=52000)
    other = SectionFactory(curated_list=CuratedListFactory())
    first = EntryFactory(section=section, url="https://github.com/psf/requests")
    second = EntryFactory(section=other, url="https://github.com/PSF/Requests/issues")

    summary = refresh_metadata(now=NOW)

    assert summary.repositories == 1
    # One request for the repository, one for its default branch's last commit.
    assert [seen.path.lower() for seen in forges.requests] == [
        "/github/repos/psf/requests",
        "/github/repos/psf/requests/branches/main",
    ]
    assert info(first).stars == info(second).stars == 52000


def test_a_server_error_keeps_the_previous_figures(forges, section):
    forges.add_github("psf/requests", stars=52000, license="Apache-2.0")
    entry = EntryFactory(section=section, url="https://github.com/psf/requests")
    refresh_metadata(now=NOW)

    forges.fail("github", "psf/requests", 500)
    later = NOW + timedelta(days=1)
    summary = refresh_metadata(now=later)

    assert summary == MetadataSummary(repositories=1, errors=1)
    row = info(entry)
    assert row.error == "GitHub answered HTTP 500: Server Error"
    assert (row.stars, row.license, row.fetched_at) == (52000, "Apache-2.0", NOW)

    del forges.failures[("github", "psf/requests")]
    forges.repos["github"]["psf/requests"]["stargazers_count"] = 52001
    refresh_metadata(now=later)

    row = info(entry)
    assert (row.error, row.stars, row.fetched_at) == ("", 52001, later)


def test_a_missing_repository_is_reported_not_found(forges, section):
    entry = EntryFactory(section=section, url="https://github.com/deleted/project")

    summary = refresh_metadata(now=NOW)

    assert summary == MetadataSummary(repositories=1, not_found=1)
    row = info(entry)
    assert (row.error, row.stars, row.fetched_at) == (NOT_FOUND, None, None)


def test_a_new_repository_on_error_does_not_inherit_the_old_figures(forges, section):
    forges.add_github("old/repo", stars=999)
    entry = EntryFactory(section=section, url="https://github.com/old/repo")
    refresh_metadata(now=NOW)
    Entry.objects.filter(pk=entry.pk).update(url="https://github.com/other/repo")
    forges.fail("github", "other/repo", 500)

    refresh_metadata(now=NOW)

    row = info(entry)
    assert (row.full_name, row.stars, row.fetched_at) == ("other/repo", None, None)
    assert row.error.startswith("GitHub answered HTTP 500")


def test_a_renamed_repository_records_its_new_name_and_stays_the_same_on_errors(forges, section):
    forges.add_github("new-owner/tool", stars=321, renamed_from="old-owner/tool")
    entry = EntryFactory(section=section, url="https://github.com/old-owner/tool")
    refresh_metadata(now=NOW)
    assert (info(entry).full_name, info(entry).stars) == ("new-owner/tool", 321)

    forges.fail("github", "old-owner/tool", 502)
    refresh_metadata(now=NOW + timedelta(hours=1))

    row = info(entry)
    assert (row.full_name, row.stars, row.fetched_at) == ("new-owner/tool", 321, NOW)


def test_rows_of_entries_that_no_longer_point_at_a_repository_are_deleted(forges, section):
    forges.add_github("a/one")
    forges.add_github("a/two")
    moved = EntryFactory(section=section, url="https://github.com/a/one")
    retired = EntryFactory(section=section, url="https://github.com/a/two")
    refresh_metadata(now=NOW)
    assert RepositoryInfo.objects.count() == 2

    Entry.objects.filter(pk=moved.pk).update(url="https://one.example.org/")
    Entry.objects.filter(pk=retired.pk).update(status=Entry.Status.ARCHIVED)
    refresh_metadata(now=NOW)

    assert RepositoryInfo.objects.count() == 0


def test_entries_themselves_are_not_saved(forges, section):
    forges.add_github("a/b")
    entry = EntryFactory(section=section, url="https://github.com/a/b")
    before = (entry.revision, Entry.objects.get(pk=entry.pk).updated_at, entry.history.count())

    refresh_metadata(now=NOW)

    entry = Entry.objects.get(pk=entry.pk)
    assert (entry.revision, entry.updated_at, entry.history.count()) == before
    assert info(entry).stars == 10


def test_rate_limited_repositories_are_skipped_with_their_figures_kept(forges, section):
    for name in ("a", "b", "c"):
        forges.add_github(f"owner/{name}", stars=100, pushed_at=NOW - timedelta(days=3))
    entries = [
        EntryFactory(section=section, url=f"https://github.com/owner/{name}")
        for name in ("a", "b", "c")
    ]
    refresh_metadata(now=NOW)
    quota = forges.set_quota("github", remaining=1, reset_in=3600)

    summary = refresh_metadata(now=NOW + timedelta(days=1))

    assert summary == MetadataSummary(repositories=3, fetched=1, skipped=2)
    until = datetime.fromtimestamp(quota.reset, tz=UTC).strftime("%H:%M")
    rows = [info(entry) for entry in entries]
    assert sorted(row.error for row in rows) == ["", *[f"rate limited until {until} UTC"] * 2]
    assert all(row.stars == 100 for row in rows)


def test_stale_repositories_are_counted(forges, section, settings):
    settings.REPOSITORY_STALE_AFTER_DAYS = 365
    forges.add_github("old/abandoned", pushed_at=datetime(2024, 5, 31, tzinfo=UTC))
    forges.add_github("fresh/active", pushed_at=datetime(2025, 5, 1, tzinfo=UTC))
    forges.add_gitlab("old/archived", archived=True,
                      last_activity_at=datetime(2020, 1, 1, tzinfo=UTC))  # fmt: skip
    for url in ("https://github.com/old/abandoned", "https://github.com/fresh/active",
                "https://gitlab.com/old/archived"):  # fmt: skip
        EntryFactory(section=section, url=url)

    with time_machine.travel(datetime(2025, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        assert stale_before() == datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
        summary = refresh_metadata()
        stale = RepositoryInfo.objects.filter(last_activity_at__lt=stale_before())

    assert (summary.stale, summary.archived) == (2, 1)
    assert sorted(stale.values_list("full_name", flat=True)) == ["old/abandoned", "old/archived"]
    assert RepositoryInfo.objects.get(full_name="fresh/active").fetched_at == datetime(
        2025, 6, 1, 12, 0, tzinfo=UTC
    )


def test_one_list_only(forges, section):
    forges.add_github("mine/repo")
    forges.add_github("theirs/repo")
    mine = EntryFactory(section=section, url="https://github.com/mine/repo")
    theirs = EntryFactory(
        section=SectionFactory(curated_list=CuratedListFactory()),
        url="https://github.com/theirs/repo",
    )
    RepositoryInfo.objects.create(
        entry=theirs, forge="github", host="github.com", full_name="theirs/repo",
        url=theirs.url, stars=1,
    )  # fmt: skip

    summary = refresh_metadata(curated_list=section.curated_list, now=NOW)

    assert summary.repositories == 1
    assert [seen.path for seen in forges.requests] == [
        "/github/repos/mine/repo",
        "/github/repos/mine/repo/branches/main",
    ]
    assert info(mine).stars == 10
    assert info(theirs).stars == 1  # neither refreshed nor deleted


def test_an_injected_client_is_used(forges, section):
    forges.add_github("a/b")
    entry = EntryFactory(section=section, url="https://github.com/a/b")

    # No kept-alive connections: they would belong to refresh_metadata's own event loop.
    client = httpx.AsyncClient(
        headers={"User-Agent": "injected/2.0"}, limits=httpx.Limits(max_keepalive_connections=0)
    )
    refresh_metadata(client=client, now=NOW)

    assert not client.is_closed  # the caller's client, the caller's to close
    asyncio.run(client.aclose())

    assert info(entry).stars == 10
    assert forges.requests[0].headers["user-agent"] == "injected/2.0"


@pytest.mark.parametrize("count", [3, 30])
def test_queries_do_not_grow_with_the_entries(
    forges, section, count, django_assert_max_num_queries
):
    for n in range(count):
        forges.add_github(f"owner/repo{n}")
        entry = EntryFactory(section=section, url=f"https://example.org/{n}")
        ExtraLinkFactory(entry=entry, label="Source Code", url=f"https://github.com/owner/repo{n}")
        if n % 3 == 0:  # some rows already there, some to delete, some errors
            RepositoryInfo.objects.create(
                entry=entry, forge="github", host="github.com", full_name=f"owner/repo{n}",
                url=f"https://github.com/owner/repo{n}", stars=1,
            )  # fmt: skip
        if n % 3 == 1:
            forges.fail("github", f"owner/repo{n}", 500)
    gone = EntryFactory(section=section, url="https://example.org/no-repository")
    RepositoryInfo.objects.create(
        entry=gone, forge="github", host="github.com", full_name="x/y", url="https://github.com/x/y"
    )

    # Entries, their links, the existing rows, one upsert, one delete (and the savepoint pair),
    # the lists that mark unmaintained projects.
    with django_assert_max_num_queries(9):  # 8 + the lists' quality rules (docs/quality.md)
        summary = refresh_metadata(curated_list=section.curated_list, now=NOW)

    assert summary.repositories == count
    assert RepositoryInfo.objects.count() == count


def test_a_list_that_marks_unmaintained_projects_follows_at_once(forges, section, client):
    section.curated_list.mark_unmaintained = True
    section.curated_list.save()
    forges.add_github("owner/frozen", archived=True)
    EntryFactory(section=section, title="Frozen", url="https://github.com/owner/frozen")
    document = f"/api/lists/{section.curated_list.slug}/document/"
    before = client.get(document).json()  # now cached
    assert before["sections"][0]["entries"][0]["markers"] == []

    refresh_metadata(curated_list=section.curated_list, now=NOW)

    after = client.get(document).json()
    assert after["sections"][0]["entries"][0]["markers"] == ["🗄"]


def test_every_list_page_follows_the_figures_readers_sort_by(forges, section, client):
    """A list that marks nothing still shows the figures to its readers' sort (data-stars):
    its cached page is dropped by a refresh, of that list or of all."""
    assert not section.curated_list.mark_unmaintained
    forges.add_github("owner/popular", stars=4321)
    EntryFactory(section=section, title="Popular", url="https://github.com/owner/popular")
    page = section.curated_list.get_absolute_url()
    assert 'data-stars="' not in client.get(page).content.decode()  # now cached

    refresh_metadata(now=NOW)

    assert 'data-stars="4321"' in client.get(page).content.decode()
