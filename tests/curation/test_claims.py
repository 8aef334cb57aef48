"""Owning the queue: take, assign, release, a decision ends the claim, and the list's days
release a forgotten one with an email to its holder."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Entry
from curation import services
from curation.access import Access, authors_of
from curation.models import Action, Claim, ClaimEnd, QueueSettings, WorkflowEvent
from curation.services import IllegalTransition

pytestmark = pytest.mark.django_db
S = Entry.Status


def events(entry: Entry) -> list[tuple[str, str]]:
    return [
        (e.action, e.actor.get_username() if e.actor else "system")
        for e in WorkflowEvent.objects.filter(entry=entry).order_by("pk")
    ]


def test_a_reviewer_takes_a_submission_and_others_see_who(team):
    entry = team.entry(S.SUBMITTED)
    claim = services.entry_take(actor=team.reviewer, entry=entry)
    assert services.open_claim(entry) == claim
    assert claim.holder == team.reviewer
    assert claim.assigned_by is None
    assert events(entry) == [(Action.TAKE, team.reviewer.get_username())]
    with pytest.raises(IllegalTransition, match=f"{team.reviewer.get_username()} is reviewing"):
        services.entry_take(actor=team.reviewer2, entry=entry)
    with pytest.raises(IllegalTransition, match="already"):
        services.entry_take(actor=team.reviewer, entry=entry)


@pytest.mark.parametrize("who", ["author", "outsider", "scoped", "anonymous"])
def test_only_members_who_may_review_it_take_it(team, who):
    entry = team.entry(S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.entry_take(actor=team.actor(who), entry=entry)
    assert not Claim.objects.exists()


def test_only_submissions_waiting_for_review_are_taken(team):
    for status in (S.DRAFT, S.APPROVED, S.PUBLISHED):
        with pytest.raises(IllegalTransition, match="only a submission"):
            services.entry_take(actor=team.reviewer, entry=team.entry(status))


def test_taking_never_makes_the_reviewer_an_author(team):
    entry = team.entry(S.SUBMITTED)
    services.entry_take(actor=team.reviewer, entry=entry)
    assert team.reviewer.pk not in authors_of(entry)
    services.entry_approve(actor=team.reviewer, entry=entry)  # still allowed to approve


def test_a_curator_assigns_to_a_reviewer_replacing_the_holder(team):
    entry = team.entry(S.SUBMITTED)
    first = services.entry_take(actor=team.reviewer, entry=entry)
    claim = services.entry_assign(actor=team.curator, entry=entry, assignee=team.reviewer2)
    first.refresh_from_db()
    assert (first.end, claim.holder, claim.assigned_by) == (
        ClaimEnd.REASSIGNED,
        team.reviewer2,
        team.curator,
    )
    last = WorkflowEvent.objects.filter(entry=entry).first()
    assert last.action == Action.ASSIGN
    assert team.reviewer2.get_username() in last.comment
    assert team.reviewer.get_username() in last.comment


def test_assignment_is_refused_to_non_curators_and_to_members_who_may_not_review_it(team):
    entry = team.entry(S.SUBMITTED)
    with pytest.raises(PermissionDenied, match="Only curators"):
        services.entry_assign(actor=team.reviewer, entry=entry, assignee=team.reviewer2)
    for assignee in (team.author, team.scoped, team.outsider):  # submitter, out of reach
        with pytest.raises(ValidationError, match="cannot review"):
            services.entry_assign(actor=team.curator, entry=entry, assignee=assignee)
    assert not Claim.objects.exists()


def test_the_holder_or_a_curator_releases_nobody_else(team):
    entry = team.entry(S.SUBMITTED)
    services.entry_take(actor=team.reviewer, entry=entry)
    with pytest.raises(PermissionDenied, match="only they or a curator"):
        services.entry_release(actor=team.reviewer2, entry=entry)
    services.entry_release(actor=team.reviewer, entry=entry)
    assert services.open_claim(entry) is None
    services.entry_take(actor=team.reviewer2, entry=entry)
    released = services.entry_release(actor=team.curator, entry=entry)
    assert released.end == ClaimEnd.RELEASED
    with pytest.raises(IllegalTransition, match="Nobody"):
        services.entry_release(actor=team.curator, entry=entry)
    assert [a for a, _who in events(entry)] == ["take", "release", "take", "release"]
    assert Claim.objects.filter(entry=entry).count() == 2  # kept, never deleted


@pytest.mark.parametrize("decide", ["approve", "request_changes", "reject"])
def test_a_decision_ends_the_claim(team, decide):
    entry = team.entry(S.SUBMITTED)
    services.entry_take(actor=team.reviewer, entry=entry)
    service = getattr(services, f"entry_{decide}")
    kwargs = {} if decide == "approve" else {"comment": "Because."}
    service(actor=team.reviewer2, entry=entry, **kwargs)
    assert services.open_claim(entry) is None
    assert Claim.objects.get(entry=entry).end == ClaimEnd.DECIDED


def test_a_comment_does_not_end_the_claim(team):
    entry = team.entry(S.SUBMITTED)
    services.entry_take(actor=team.reviewer, entry=entry)
    services.entry_comment(actor=team.reviewer2, entry=entry, comment="Looks fine to me.")
    assert services.open_claim(entry) is not None


def release(quiet: bool = False) -> str:
    out = StringIO()
    call_command("release_claims", stdout=out, **({"quiet": True} if quiet else {}))
    return out.getvalue()


def test_a_claim_is_released_after_the_lists_days_with_an_email(
    team, time_machine, django_capture_on_commit_callbacks
):
    QueueSettings.objects.create(curated_list=team.curated_list, claim_days=3)
    team.reviewer.email = "rev@example.org"
    team.reviewer.save()
    entry = team.entry(S.SUBMITTED, title="Visidata")
    services.entry_take(actor=team.reviewer, entry=entry)
    time_machine.move_to(timezone.now() + dt.timedelta(days=2, hours=23))
    assert "0 review claims released." in release()
    assert services.open_claim(entry) is not None
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 review claims released." in release()
    assert services.open_claim(entry) is None
    assert Claim.objects.get(entry=entry).end == ClaimEnd.EXPIRED
    assert events(entry)[-1] == (Action.RELEASE, "system")
    assert [m.to for m in mail.outbox] == [["rev@example.org"]]
    assert "Visidata" in mail.outbox[0].subject
    assert "3 days" in mail.outbox[0].body
    assert release(quiet=True) == ""  # idempotent


def test_zero_days_never_releases_and_the_default_is_seven(team, time_machine):
    other = team.entry(S.SUBMITTED)
    services.entry_take(actor=team.reviewer, entry=other)
    time_machine.move_to(timezone.now() + dt.timedelta(days=6, hours=23))
    assert services.release_stale_claims() == []
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))
    QueueSettings.objects.create(curated_list=team.curated_list, claim_days=0)
    assert services.release_stale_claims() == []
    QueueSettings.objects.filter(curated_list=team.curated_list).update(claim_days=7)
    assert [c.entry for c in services.release_stale_claims()] == [other]


def test_an_assignee_is_told_by_email(team, django_capture_on_commit_callbacks):
    team.reviewer2.email = "rev2@example.org"
    team.reviewer2.save()
    entry = team.entry(S.SUBMITTED, title="Visidata")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_assign(actor=team.curator, entry=entry, assignee=team.reviewer2)
    assert [m.to for m in mail.outbox] == [["rev2@example.org"]]
    assert "review" in mail.outbox[0].subject.lower()


def test_the_access_of_a_holder_is_unchanged(team):
    """Taking gives no rights: a scoped reviewer still cannot decide outside their section."""
    entry = team.entry(S.SUBMITTED)
    services.entry_take(actor=team.reviewer, entry=entry)
    assert not Access.for_user(team.scoped).can_decide_on_entry(entry)
