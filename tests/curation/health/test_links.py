"""Recording link health (curation/health/links.py), against a real server on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from catalog.models import Entry, LinkHealth
from curation.health.links import LinkCheckSummary, check_links, format_summary
from tests.curation.health.servers import LocalServer, Reply, redirect
from tests.factories import CuratedListFactory, EntryFactory, SectionFactory

T0 = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)
State = LinkHealth.State


@pytest.fixture(autouse=True)
def link_check_settings(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.LINK_CHECK = {
        **settings.LINK_CHECK,
        "TIMEOUT": 2.0,
        "RETRIES": 0,
        "DEAD_AFTER_HOURS": 72,
    }


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


def run_at(when: datetime, **options) -> LinkCheckSummary:
    with time_machine.travel(when, tick=False):
        return check_links(**options)


def health(entry: Entry) -> LinkHealth:
    return LinkHealth.objects.get(entry=entry)


@pytest.mark.django_db
def test_a_failing_link_is_dead_only_after_two_runs_72_hours_apart(server):
    entry = EntryFactory(url=server.route("/gone", Reply(404)))

    run_at(T0)
    first = health(entry)
    assert (first.state, first.consecutive_failures, first.first_failed_at) == (
        State.FAILING,
        1,
        T0,
    )
    assert (first.status_code, first.error, first.checked_at) == (404, "HTTP 404", T0)

    run_at(T0 + timedelta(hours=71))
    assert (health(entry).state, health(entry).consecutive_failures) == (State.FAILING, 2)

    summary = run_at(T0 + timedelta(hours=72))
    dead = health(entry)
    assert (dead.state, dead.consecutive_failures, dead.first_failed_at) == (State.DEAD, 3, T0)
    assert summary.dead == 1


@pytest.mark.django_db
def test_two_failing_runs_72_hours_apart_are_enough(server):
    entry = EntryFactory(url=server.route("/gone", Reply(410)))

    run_at(T0)
    run_at(T0 + timedelta(hours=72))

    assert health(entry).state == State.DEAD


@pytest.mark.django_db
def test_a_success_resets_the_streak(server):
    entry = EntryFactory(url=server.route("/back", Reply(500)))
    run_at(T0)
    run_at(T0 + timedelta(hours=24))
    server.route("/back", Reply(200))

    summary = run_at(T0 + timedelta(hours=80))

    healthy = health(entry)
    assert healthy.state == State.OK
    assert (healthy.consecutive_failures, healthy.first_failed_at) == (0, None)
    assert healthy.last_ok_at == T0 + timedelta(hours=80)
    assert (healthy.status_code, healthy.error) == (200, "")
    assert (summary.ok, summary.failing, summary.dead) == (1, 0, 0)


@pytest.mark.django_db
def test_a_permanent_redirect_is_recorded_as_moved(server):
    new = server.route("/new-home", Reply(200))
    entry = EntryFactory(url=server.route("/old-home", redirect(301, "/new-home")))

    summary = run_at(T0)

    moved = health(entry)
    assert moved.state == State.REDIRECTED
    assert moved.redirect_to == new
    assert moved.final_url == new
    assert moved.last_ok_at == T0
    assert summary.redirected == 1


@pytest.mark.django_db
def test_a_new_url_forgets_the_old_streak(server):
    entry = EntryFactory(url=server.route("/first", Reply(404)))
    run_at(T0)
    run_at(T0 + timedelta(hours=24))
    second = server.route("/second", Reply(404))
    Entry.objects.filter(pk=entry.pk).update(url=second)

    run_at(T0 + timedelta(hours=80))

    failing = health(entry)
    assert failing.checked_url == second
    assert (failing.state, failing.consecutive_failures) == (State.FAILING, 1)
    assert failing.first_failed_at == T0 + timedelta(hours=80)


@pytest.mark.django_db
def test_an_inconclusive_answer_keeps_the_state_and_the_streak(server):
    entry = EntryFactory(url=server.route("/moody", Reply(404)))
    run_at(T0)
    server.route("/moody", Reply(429))

    summary = run_at(T0 + timedelta(hours=80))

    kept = health(entry)
    assert (kept.state, kept.consecutive_failures, kept.first_failed_at) == (
        State.FAILING,
        1,
        T0,
    )
    assert kept.status_code == 429
    assert kept.error.startswith("HTTP 429: rate limited")
    assert kept.checked_at == T0 + timedelta(hours=80)
    assert (summary.inconclusive, summary.failing) == (1, 1)


@pytest.mark.django_db
def test_a_first_check_turned_away_is_not_reported_as_broken(server):
    entry = EntryFactory(url=server.route("/members", Reply(403)))

    run_at(T0)

    first = health(entry)
    assert (first.state, first.consecutive_failures, first.last_ok_at) == (State.OK, 0, None)
    assert first.status_code == 403


@pytest.mark.django_db
def test_a_url_shared_by_entries_of_two_lists_is_asked_once(server):
    url = server.route("/popular", Reply(200))
    one = EntryFactory(url=url)
    two = EntryFactory(url=url)
    assert one.curated_list != two.curated_list

    summary = run_at(T0)

    assert len(server.requests) == 1
    assert health(one).state == health(two).state == State.OK
    assert (summary.checked, summary.urls) == (2, 1)


@pytest.mark.django_db
def test_only_live_active_entries_with_a_url_of_the_list_are_checked(server):
    section = SectionFactory()

    def entry(path: str, **options) -> Entry:
        return EntryFactory(section=section, url=server.route(path, Reply(200)), **options)

    published = entry("/tool")
    submitted = entry("/new", status="submitted")
    entry("/draft", status="draft")
    entry("/rejected", status="rejected")
    entry("/archived", status="archived")
    EntryFactory(
        proposal_for=published, url=server.route("/proposed", Reply(200)), status="submitted"
    )
    book = EntryFactory(section=section, url="")
    EntryFactory(url=server.route("/other-list", Reply(200)))

    summary = run_at(T0, curated_list=section.curated_list)

    assert {r.path for r in server.requests} == {"/tool", "/new"}
    assert set(LinkHealth.objects.values_list("entry", flat=True)) == {published.pk, submitted.pk}
    assert not LinkHealth.objects.filter(entry=book).exists()
    assert (summary.checked, summary.skipped) == (2, 1)


@pytest.mark.django_db
def test_entries_edited_or_deleted_during_the_check_are_not_recorded(server):
    edited = EntryFactory(url=server.route("/before", Reply(404)))
    deleted = EntryFactory(url=server.route("/doomed", Reply(404)))
    kept = EntryFactory(url=server.route("/kept", Reply(200)))

    def meanwhile(total: int) -> None:  # called once the URLs are read, before the requests
        Entry.objects.filter(pk=edited.pk).update(url=server.route("/after", Reply(200)))
        Entry.objects.filter(pk=deleted.pk).delete()

    summary = check_links(on_start=meanwhile)

    assert list(LinkHealth.objects.values_list("entry", flat=True)) == [kept.pk]
    assert (summary.checked, summary.skipped, summary.urls) == (1, 1, 3)


@pytest.mark.django_db
def test_recording_health_leaves_the_entry_alone(server):
    entry = EntryFactory(url=server.route("/tool", Reply(200)))
    versions = entry.history.count()

    run_at(T0)
    run_at(T0 + timedelta(hours=1))

    entry.refresh_from_db()
    assert entry.revision == 1
    assert entry.history.count() == versions


@pytest.mark.django_db
def test_a_url_removed_from_an_entry_drops_its_health(server):
    entry = EntryFactory(url=server.route("/tool", Reply(404)))
    run_at(T0)
    Entry.objects.filter(pk=entry.pk).update(url="")

    run_at(T0 + timedelta(hours=1))

    assert not LinkHealth.objects.filter(entry=entry).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("entries", [3, 30])
def test_queries_do_not_grow_with_the_entries(server, django_assert_max_num_queries, entries):
    curated_list = CuratedListFactory()
    section = SectionFactory(curated_list=curated_list)
    for n in range(entries):
        status = 200 if n % 3 else 404
        EntryFactory(section=section, url=server.route(f"/tool/{n}", Reply(status)))
    run_at(T0, curated_list=curated_list)  # the second run updates every row

    with django_assert_max_num_queries(8):  # 7 + the lists' quality rules (docs/quality.md)
        summary = run_at(T0 + timedelta(hours=1), curated_list=curated_list)

    assert summary.checked == entries
    assert LinkHealth.objects.count() == entries


@pytest.mark.django_db
def test_the_summary_reads_as_a_sentence(server):
    EntryFactory(url=server.route("/a", Reply(200)))
    EntryFactory(url=server.route("/b", Reply(404)))

    summary = run_at(T0)

    text = format_summary(summary)
    assert text.startswith("Checked 2 entries (2 distinct URLs) in ")
    assert "1 ok, 0 moved (permanent redirect), 1 failing, 0 dead;" in text
