"""``manage.py publish_scheduled``: publishes what is due, once, however often it runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Entry
from curation import services
from curation.models import Action, WorkflowEvent

pytestmark = pytest.mark.django_db
S = Entry.Status


def run() -> str:
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def test_publishes_what_is_due_and_only_once(team, time_machine):
    due = services.entry_publish(
        actor=team.curator, entry=team.approved(), publish_at=timezone.now() + dt.timedelta(hours=1)
    )
    later = services.entry_publish(
        actor=team.curator, entry=team.approved(), publish_at=timezone.now() + dt.timedelta(days=3)
    )
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))
    assert "1 scheduled entries published." in run()
    assert "0 scheduled entries published." in run()
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (S.PUBLISHED, S.SCHEDULED)
    assert WorkflowEvent.objects.filter(entry=due, action=Action.PUBLISH).count() == 1


def test_a_scheduled_proposal_is_merged_when_due(team, time_machine):
    live = team.entry(S.PUBLISHED, description="Old.")
    proposal = services.entry_propose_edit(
        actor=team.author,
        entry=live,
        content=services.EntryContent(
            section=live.section, title=live.title, url=live.url, description="New."
        ),
    )
    proposal = services.entry_approve(actor=team.reviewer, entry=proposal)
    services.entry_publish(
        actor=team.curator, entry=proposal, publish_at=timezone.now() + dt.timedelta(minutes=5)
    )
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=10))
    assert "proposal merged into" in run()
    live.refresh_from_db()
    assert live.description == "New."


def test_quiet_prints_nothing_when_nothing_is_due(db):
    out = StringIO()
    call_command("publish_scheduled", "--quiet", stdout=out)
    assert out.getvalue() == ""


def test_approvals_are_counted_again_when_due(team, time_machine):
    """Scheduled with one approval; the list then requires two: it is not published, stays
    scheduled, says why (once in its history, at every run in the log and the command's
    output), and goes live at the first run after it has its second approval."""
    from curation.models import Review, Verdict

    entry = services.entry_publish(
        actor=team.curator, entry=team.approved(), publish_at=timezone.now() + dt.timedelta(hours=1)
    )
    team.curated_list.approvals_required = 2
    team.curated_list.save()
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))

    err = StringIO()
    out = StringIO()
    call_command("publish_scheduled", stdout=out, stderr=err)
    call_command("publish_scheduled", stdout=out, stderr=err)
    entry.refresh_from_db()
    assert entry.status == S.SCHEDULED
    assert "0 scheduled entries published." in out.getvalue()
    assert err.getvalue().count("held back:") == 2
    notes = WorkflowEvent.objects.filter(entry=entry, action=Action.COMMENT, actor=None)
    assert notes.count() == 1
    assert "has 1 of the 2 approvals" in notes.get().comment
    assert not WorkflowEvent.objects.filter(entry=entry, action=Action.PUBLISH).exists()

    # A direct publish is refused as well; a second approval lets the next run publish it.
    Review.objects.create(
        entry=entry, reviewer=team.reviewer2, verdict=Verdict.APPROVE, entry_revision=1
    )
    assert "1 scheduled entries published." in run()
    entry.refresh_from_db()
    assert entry.status == S.PUBLISHED
