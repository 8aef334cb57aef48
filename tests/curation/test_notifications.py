"""Email: reviewers in reach hear of submissions, submitters of decisions; after commit only;
each user can opt out."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from catalog.models import Entry
from curation import notifications, services
from curation.models import NotificationPreference, Role, WorkflowEvent
from curation.services import EntryContent
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = Entry.Status


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_reviewers_in_reach_hear_of_a_submission(team, django_capture_on_commit_callbacks):
    entry = team.entry(S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(actor=team.author, entry=entry, comment="Used it for years.")
    # reviewers and curators of the list; not the scoped reviewer of another section, not the
    # curator of another list, not the submitter
    assert recipients() == sorted(u.email for u in (team.reviewer, team.reviewer2, team.curator))
    message = mail.outbox[0]
    assert entry.title in message.subject
    assert "Used it for years." in message.body
    assert f"/admin/catalog/entry/{entry.pk}/change/" in message.body


def test_a_section_reviewer_hears_of_submissions_in_their_section(
    team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(actor=team.author, entry=team.entry(S.DRAFT, section=team.cli))
    assert team.scoped.email in recipients()


def test_opted_out_reviewers_get_nothing(team, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=team.reviewer, new_submissions=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(actor=team.author, entry=team.entry(S.DRAFT))
    assert team.reviewer.email not in recipients()
    assert team.reviewer2.email in recipients()


def test_the_submitter_hears_each_decision_with_the_comment(
    team, django_capture_on_commit_callbacks
):
    entry = team.entry(S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_request_changes(
            actor=team.reviewer, entry=entry, comment="Please say what it does."
        )
    [message] = mail.outbox
    assert message.to == [team.author.email]
    assert "needs changes" in message.subject
    assert "Please say what it does." in message.body


def test_submitter_opt_out_and_visitors(team, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=team.author, decisions=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_reject(actor=team.reviewer, entry=team.entry(S.SUBMITTED), comment="No.")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = services.entry_create(
            actor=None,
            content=EntryContent(
                section=team.frameworks, title="Visitor's", url="https://v.example"
            ),
            source=Entry.Source.PUBLIC_FORM,
            submitter_email="visitor@example.org",
            submit=True,
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_reject(actor=team.reviewer, entry=suggestion, comment="Off topic.")
    assert recipients() == ["visitor@example.org"]


def test_nothing_is_sent_for_a_change_rolled_back(team, django_capture_on_commit_callbacks):
    def submit_then_fail() -> None:
        with transaction.atomic():
            services.entry_submit(actor=team.author, entry=team.entry(S.DRAFT))
            raise RuntimeError("the caller fails after the service")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        submit_then_fail()
    assert mail.outbox == []


def test_a_mail_server_failure_is_logged_not_raised(team, settings, caplog):
    settings.EMAIL_BACKEND = "tests.curation.test_notifications.FailingBackend"
    entry = services.entry_approve(actor=team.reviewer, entry=team.entry(S.SUBMITTED))
    event = WorkflowEvent.objects.filter(entry=entry).first()
    assert notifications.notify_submitter(event.pk) == 0  # after commit, nobody to raise to
    assert "Could not send" in caplog.text


def test_inactive_or_addressless_reviewers_are_skipped(team, django_capture_on_commit_callbacks):
    silent = MembershipFactory(curated_list=team.curated_list, role=Role.REVIEWER).user
    silent.email = ""
    silent.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(actor=team.author, entry=team.entry(S.DRAFT))
    assert "" not in recipients()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def open(self):
        raise ConnectionRefusedError("no mail server")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_a_newline_in_a_title_never_stops_the_mail(team, django_capture_on_commit_callbacks):
    """A title with line breaks and control characters (an import or an API client may bring
    one): reviewers and the submitter are still told, with a one-line subject."""
    entry = team.entry(S.DRAFT, title="Two\r\nlines\u2028and\x07 a bell")
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(actor=team.author, entry=entry)
    assert recipients() == sorted(u.email for u in (team.reviewer, team.reviewer2, team.curator))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_reject(actor=team.reviewer, entry=entry, comment="Not a fit.")
    assert recipients() == [team.author.email]
    subject = mail.outbox[0].subject
    assert "Two lines and a bell" in subject
    assert not any(c in subject for c in "\r\n\u2028\x07")
    assert mail.outbox[0].message()["Subject"]  # the header itself is written


def test_a_proposal_that_moves_an_entry_is_told_to_those_who_reach_both_sections(
    team, django_capture_on_commit_callbacks
):
    live = team.entry(S.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_propose_edit(
            actor=team.author,
            entry=live,
            content=EntryContent(section=team.cli, title="Moved", url=live.url),
        )
    # the reviewer of "CLI" alone cannot decide on it, so is not asked to
    assert team.scoped.email not in recipients()
    assert team.reviewer.email in recipients()
