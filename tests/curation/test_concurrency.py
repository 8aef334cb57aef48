"""Two people (or two cron runs) acting on the same entry at the same moment, on PostgreSQL.

Row locks (SELECT … FOR UPDATE, SKIP LOCKED for the scheduled run) make the second action see
the first one's result: exactly one publication, one audit record per transition that really
happened, and the second person gets a message, not a server error.

The services are slowed down while they hold the lock, so the two threads really overlap;
without the locks both would read "approved" and both would publish.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Entry
from catalog.signals import list_changed
from curation import services
from curation.models import Action, Review, Verdict, WorkflowEvent
from curation.services import _core

pytestmark = pytest.mark.django_db(transaction=True)
S = Entry.Status
HOLD = 0.3  # seconds a service keeps its row lock before writing


@pytest.fixture(autouse=True)
def postgresql_only():
    # In CI the PostgreSQL pass always runs this; only a SQLite run skips it.
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (DATABASE_URL=postgres://…)")


@pytest.fixture
def slow_locks(monkeypatch):
    real_lock = _core.lock

    def lock_and_hold(entry: Entry, **kwargs: Any) -> Entry | None:
        locked = real_lock(entry, **kwargs)
        time.sleep(HOLD)
        return locked

    monkeypatch.setattr(_core, "lock", lock_and_hold)


@pytest.fixture
def list_changes():
    calls: list[int] = []
    receiver = lambda sender, curated_list, **kw: calls.append(curated_list.pk)  # noqa: E731
    list_changed.connect(receiver, weak=False, dispatch_uid="concurrency-test")
    yield calls
    list_changed.disconnect(dispatch_uid="concurrency-test")


def at_once(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads released together; return results (or the exception raised)."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # collected, asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def admin_decision(user: Any, entry: Entry, action: str) -> Callable[[], tuple[int, list[str]]]:
    def post() -> tuple[int, list[str]]:
        client = Client()
        client.force_login(user)
        response = client.post(
            reverse("admin:catalog_entry_decide", args=[entry.pk]),
            {"action": action, "revision": entry.revision, "comment": ""},
        )
        return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]

    return post


def test_two_curators_publish_the_same_entry_at_once(team, slow_locks, list_changes):
    entry = team.approved()
    first, second = at_once(
        admin_decision(team.curator, entry, "publish"),
        admin_decision(team.superuser, entry, "publish"),
    )
    assert first[0] == second[0] == 302  # both people get a page back, no server error
    messages = first[1] + second[1]
    assert sum("is published." in m for m in messages) == 1
    assert sum("already published" in m for m in messages) == 1
    entry.refresh_from_db()
    assert entry.status == S.PUBLISHED
    assert WorkflowEvent.objects.filter(entry=entry, action=Action.PUBLISH).count() == 1
    assert list_changes == [team.curated_list.pk]


def test_two_reviewers_approve_while_a_curator_publishes(team, slow_locks, list_changes):
    entry = team.entry(S.SUBMITTED)
    results = at_once(
        admin_decision(team.reviewer, entry, "approve"),
        admin_decision(team.reviewer2, entry, "approve"),
    )
    assert all(status == 302 for status, _ in results)
    entry.refresh_from_db()
    assert entry.status == S.APPROVED
    # One approval moved it; the other found it approved already and was told so.
    assert Review.objects.filter(entry=entry, verdict=Verdict.APPROVE).count() == 1
    assert WorkflowEvent.objects.filter(entry=entry, action=Action.APPROVE).count() == 1
    published = at_once(
        lambda: services.entry_publish(actor=team.curator, entry=entry),
        lambda: services.entry_publish(actor=team.superuser, entry=entry),
    )
    assert sum(isinstance(r, Entry) for r in published) == 1
    assert sum(isinstance(r, services.IllegalTransition) for r in published) == 1
    transitions = WorkflowEvent.objects.filter(entry=entry).order_by("pk")
    assert [(e.action, e.from_status, e.to_status) for e in transitions] == [
        (Action.APPROVE, S.SUBMITTED, S.APPROVED),
        (Action.PUBLISH, S.APPROVED, S.PUBLISHED),
    ]
    assert list_changes == [team.curated_list.pk]


def test_two_scheduled_runs_at_once_publish_each_entry_once(team, slow_locks, time_machine):
    at = timezone.now() + dt.timedelta(minutes=5)
    entries = [
        services.entry_publish(actor=team.curator, entry=team.approved(), publish_at=at)
        for _ in range(4)
    ]
    time_machine.move_to(at + dt.timedelta(minutes=1), tick=True)
    first, second = at_once(services.publish_due, services.publish_due)
    assert not isinstance(first, Exception)
    assert not isinstance(second, Exception)
    assert sorted(e.pk for e in [*first, *second]) == sorted(e.pk for e in entries)
    assert WorkflowEvent.objects.filter(entry__in=entries, action=Action.PUBLISH).count() == len(
        entries
    )
    assert Entry.objects.filter(pk__in=[e.pk for e in entries], status=S.PUBLISHED).count() == 4
