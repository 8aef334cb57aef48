"""The workflow services: each transition, its guards, its audit record and its side effects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.models import Entry
from catalog.signals import list_changed
from curation import services
from curation.access import Access
from curation.models import Action, Review, Verdict, WorkflowEvent
from curation.services import (
    DuplicateEntry,
    EntryContent,
    IllegalTransition,
    LinkData,
    StaleRevision,
)
from tests.factories import MarkerFactory

pytestmark = pytest.mark.django_db
S = Entry.Status


def content_of(entry: Entry, **changes) -> EntryContent:
    return EntryContent(**{**EntryContent.of(entry).__dict__, **changes})


@pytest.fixture
def list_changes():
    calls = []

    def receiver(sender, curated_list, **kwargs):
        calls.append(curated_list.pk)

    list_changed.connect(receiver, dispatch_uid="test-list-changes")
    yield calls
    list_changed.disconnect(dispatch_uid="test-list-changes")


class TestSubmitAndReview:
    def test_a_draft_goes_through_review_to_publication(self, team, list_changes):
        entry = services.entry_create(
            actor=team.author,
            content=EntryContent(section=team.frameworks, title="Flask", url="https://flask.dev"),
        )
        assert (entry.status, entry.submitted_by, entry.revision) == (S.DRAFT, team.author, 1)
        entry = services.entry_submit(actor=team.author, entry=entry)
        entry = services.entry_approve(actor=team.reviewer, entry=entry)
        assert entry.status == S.APPROVED
        entry = services.entry_publish(actor=team.curator, entry=entry)
        assert entry.status == S.PUBLISHED
        assert entry.published_at is not None
        assert list(Entry.objects.published()) == [entry]
        trail = list(WorkflowEvent.objects.filter(entry=entry).order_by("pk"))
        assert [(e.action, e.from_status, e.to_status, e.actor) for e in trail] == [
            (Action.CREATE, "", S.DRAFT, team.author),
            (Action.SUBMIT, S.DRAFT, S.SUBMITTED, team.author),
            (Action.APPROVE, S.SUBMITTED, S.APPROVED, team.reviewer),
            (Action.PUBLISH, S.APPROVED, S.PUBLISHED, team.curator),
        ]

    def test_the_list_changes_after_commit_only(
        self, team, list_changes, django_capture_on_commit_callbacks
    ):
        entry = team.approved()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.entry_publish(actor=team.curator, entry=entry)
            assert list_changes == []  # not before the transaction commits
        assert list_changes == [team.curated_list.pk]
        assert callbacks

    def test_submitter_cannot_approve_their_own_entry(self, team):
        entry = team.entry(S.SUBMITTED, submitted_by=team.reviewer)
        with pytest.raises(PermissionDenied, match="another reviewer"):
            services.entry_approve(actor=team.reviewer, entry=entry)
        assert not Review.objects.filter(entry=entry).exists()
        entry.refresh_from_db()
        assert entry.status == S.SUBMITTED

    def test_superuser_cannot_approve_their_own_entry_either(self, team):
        entry = team.entry(S.SUBMITTED, submitted_by=team.superuser)
        with pytest.raises(PermissionDenied):
            services.entry_approve(actor=team.superuser, entry=entry)

    def test_two_approvals_from_distinct_reviewers_before_publishing(self, team):
        team.curated_list.approvals_required = 2
        team.curated_list.save()
        entry = team.entry(S.SUBMITTED)
        entry = services.entry_approve(actor=team.reviewer, entry=entry)
        assert entry.status == S.SUBMITTED  # one of two
        with pytest.raises(IllegalTransition, match="already approved revision 1"):
            services.entry_approve(actor=team.reviewer, entry=entry)
        with pytest.raises(IllegalTransition):
            services.entry_publish(actor=team.curator, entry=entry)
        entry = services.entry_approve(actor=team.reviewer2, entry=entry)
        assert entry.status == S.APPROVED
        entry = services.entry_publish(actor=team.curator, entry=entry)
        assert entry.status == S.PUBLISHED
        assert services.approvals_of(entry) == 2

    def test_a_new_revision_resets_the_approvals(self, team):
        team.curated_list.approvals_required = 2
        team.curated_list.save()
        entry = services.entry_approve(actor=team.reviewer, entry=team.entry(S.SUBMITTED))
        assert services.approvals_of(entry) == 1
        entry = services.entry_request_changes(
            actor=team.reviewer2, entry=entry, comment="Say what it does."
        )
        entry = services.entry_update(
            actor=team.author, entry=entry, content=content_of(entry, description="It serves.")
        )
        assert entry.revision == 2
        entry = services.entry_submit(actor=team.author, entry=entry)
        assert services.approvals_of(entry) == 0
        entry = services.entry_approve(actor=team.reviewer, entry=entry)
        assert entry.status == S.SUBMITTED  # the approval of revision 1 no longer counts

    def test_a_curator_edit_of_an_approved_entry_sends_it_back_to_review(self, team):
        entry = team.approved()
        entry = services.entry_update(
            actor=team.curator, entry=entry, content=content_of(entry, title="Renamed")
        )
        assert (entry.status, entry.revision, services.approvals_of(entry)) == (
            S.SUBMITTED,
            2,
            0,
        )

    def test_saving_unchanged_content_is_not_a_revision(self, team):
        entry = team.entry()
        same = services.entry_update(actor=team.author, entry=entry, content=content_of(entry))
        assert same.revision == 1
        assert not WorkflowEvent.objects.filter(entry=entry).exists()

    @pytest.mark.parametrize("service", ["entry_request_changes", "entry_reject"])
    def test_decisions_against_need_a_comment(self, team, service):
        entry = team.entry(S.SUBMITTED)
        with pytest.raises(ValidationError, match="Say why"):
            getattr(services, service)(actor=team.reviewer, entry=entry, comment="  ")
        entry.refresh_from_db()
        assert entry.status == S.SUBMITTED

    def test_reject_and_comment_are_in_the_trail(self, team):
        entry = team.entry(S.SUBMITTED)
        services.entry_comment(actor=team.author, entry=entry, comment="Happy to add a demo.")
        entry = services.entry_reject(actor=team.reviewer, entry=entry, comment="Off topic.")
        assert entry.status == S.REJECTED
        verdicts = list(Review.objects.filter(entry=entry).values_list("verdict", "comment"))
        assert (Verdict.REJECT, "Off topic.") in verdicts
        assert (Verdict.COMMENT, "Happy to add a demo.") in verdicts
        with pytest.raises(IllegalTransition, match="it was rejected"):
            services.entry_submit(actor=team.author, entry=entry)


class TestPublishing:
    def test_publish_needs_approval_first(self, team):
        with pytest.raises(IllegalTransition, match="needs its approvals"):
            services.entry_publish(actor=team.curator, entry=team.entry(S.SUBMITTED))

    def test_a_future_time_schedules_and_the_command_publishes_when_due(self, team, time_machine):
        entry = team.approved()
        at = timezone.now() + dt.timedelta(hours=2)
        entry = services.entry_publish(actor=team.curator, entry=entry, publish_at=at)
        assert (entry.status, entry.publish_at) == (S.SCHEDULED, at)
        assert services.publish_due() == []
        time_machine.move_to(at + dt.timedelta(minutes=1))
        assert [e.pk for e in services.publish_due()] == [entry.pk]
        assert services.publish_due() == []  # idempotent
        entry.refresh_from_db()
        assert entry.status == S.PUBLISHED
        event = WorkflowEvent.objects.filter(entry=entry).first()
        assert (event.action, event.actor, event.from_status) == (
            Action.PUBLISH,
            None,
            S.SCHEDULED,
        )

    def test_unpublish_and_archive_change_the_list(
        self, team, list_changes, django_capture_on_commit_callbacks
    ):
        entry = team.entry(S.PUBLISHED)
        with django_capture_on_commit_callbacks(execute=True):
            entry = services.entry_unpublish(actor=team.curator, entry=entry)
        assert entry.status == S.APPROVED
        with django_capture_on_commit_callbacks(execute=True):
            entry = services.entry_publish(actor=team.curator, entry=team.approved())
        with django_capture_on_commit_callbacks(execute=True):
            services.entry_archive(actor=team.curator, entry=entry)
        assert list_changes == [team.curated_list.pk] * 3

    def test_one_transaction_changes_the_list_once(
        self, team, list_changes, django_capture_on_commit_callbacks
    ):
        """A sync or a bulk action publishing many entries in one transaction regenerates (and
        pushes) the list once; a change rolled back with its savepoint takes its signal along,
        and the next change still sends one."""
        first, second, third = team.approved(), team.approved(), team.approved()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            services.entry_publish(actor=team.curator, entry=first)
            services.entry_publish(actor=team.curator, entry=second)
        assert list_changes == [team.curated_list.pk]
        list_changes.clear()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            try:
                with transaction.atomic():
                    services.entry_archive(actor=team.curator, entry=first)
                    raise RuntimeError("refused after the write")
            except RuntimeError:
                pass
            services.entry_publish(actor=team.curator, entry=third)
        assert list_changes == [team.curated_list.pk]
        first.refresh_from_db()
        assert first.status == S.PUBLISHED

    def test_reviewers_do_not_publish(self, team):
        with pytest.raises(PermissionDenied, match="Only curators"):
            services.entry_publish(actor=team.reviewer, entry=team.approved())

    def test_unpublish_is_reversible_without_a_new_review(self, team):
        """An imported entry (published, never reviewed) is unpublished, then published again
        by the same curator: it used to be stuck at 'approved · 0 of 1 approvals'."""
        imported = team.entry(S.PUBLISHED, submitted_by=None, source=Entry.Source.IMPORT)
        assert services.approvals_of(imported) == 0
        unpublished = services.entry_unpublish(actor=team.curator, entry=imported)
        assert unpublished.status == S.APPROVED
        decisions = [
            d.action
            for d in services.available_decisions(
                access=Access.for_user(team.curator), entry=unpublished
            )
        ]
        assert Action.PUBLISH in decisions
        again = services.entry_publish(actor=team.curator, entry=unpublished)
        assert again.status == S.PUBLISHED
        # Unpublished and then edited: a new revision, which needs its review again.
        unpublished = services.entry_unpublish(actor=team.curator, entry=again)
        edited = services.entry_update(
            actor=team.curator,
            entry=unpublished,
            content=content_of(unpublished, description="Changed while off the list."),
        )
        assert edited.status == S.SUBMITTED
        with pytest.raises(IllegalTransition):
            services.entry_publish(actor=team.curator, entry=edited)

    def test_an_approved_entry_short_of_approvals_takes_more(self, team):
        """The list asked for two approvals after this one was approved with one: a second
        reviewer can approve it (it was stuck: approve said 'already approved', publish said
        'not enough approvals')."""
        entry = team.approved()
        team.curated_list.approvals_required = 2
        team.curated_list.save()
        entry.refresh_from_db()
        with pytest.raises(IllegalTransition, match="1 of the 2 approvals"):
            services.entry_publish(actor=team.curator, entry=entry)
        entry = services.entry_approve(actor=team.reviewer2, entry=entry)
        assert services.approvals_of(entry) == 2
        with pytest.raises(IllegalTransition, match="already approved"):
            services.entry_approve(actor=team.curator, entry=entry)
        assert services.entry_publish(actor=team.curator, entry=entry).status == S.PUBLISHED


class TestProposals:
    def test_an_edit_of_a_published_entry_waits_for_review(
        self, team, django_capture_on_commit_callbacks
    ):
        marker = MarkerFactory(curated_list=team.curated_list)
        live = team.entry(S.PUBLISHED, description="Old words.", tags=["MIT"])
        proposal = services.entry_propose_edit(
            actor=team.author,
            entry=live,
            content=content_of(
                live,
                description="Better words.",
                tags=("MIT", "Python"),
                marker_ids=frozenset({marker.pk}),
                extra_links=(LinkData("Demo", "https://demo.example.org/"),),
            ),
        )
        assert (proposal.proposal_for, proposal.status) == (live, S.SUBMITTED)
        live.refresh_from_db()
        assert live.description == "Old words."
        assert Entry.objects.published().get() == live
        proposal = services.entry_approve(actor=team.reviewer, entry=proposal)
        with django_capture_on_commit_callbacks(execute=True):
            services.entry_publish(actor=team.curator, entry=proposal)
        live.refresh_from_db()
        assert live.description == "Better words."
        assert sorted(live.tags.names()) == ["MIT", "Python"]
        assert list(live.markers.all()) == [marker]
        assert [(x.label, x.url) for x in live.extra_links.all()] == [
            ("Demo", "https://demo.example.org/")
        ]
        assert live.revision == 2
        assert Entry.objects.published().get() == live
        assert WorkflowEvent.objects.filter(entry=live, action=Action.MERGE).count() == 1

    def test_a_second_proposal_by_someone_else_is_refused_with_a_link(self, team):
        live = team.entry(S.PUBLISHED)
        first = services.entry_propose_edit(
            actor=team.author, entry=live, content=content_of(live, title="Better")
        )
        with pytest.raises(IllegalTransition, match="already has an open proposal") as refused:
            services.entry_propose_edit(
                actor=team.reviewer, entry=live, content=content_of(live, title="Other")
            )
        assert f"/entry/{first.pk}/" in refused.value.messages[0]

    def test_a_curator_edits_the_open_proposal_instead(self, team):
        live = team.entry(S.PUBLISHED)
        first = services.entry_propose_edit(
            actor=team.author, entry=live, content=content_of(live, title="Better")
        )
        again = services.entry_propose_edit(
            actor=team.curator, entry=live, content=content_of(live, title="Best")
        )
        assert again.pk == first.pk
        assert (again.title, again.revision) == ("Best", 2)

    def test_nothing_to_propose(self, team):
        live = team.entry(S.PUBLISHED)
        with pytest.raises(ValidationError, match="Nothing to propose"):
            services.entry_propose_edit(actor=team.author, entry=live, content=content_of(live))

    def test_published_entries_are_not_edited_in_place(self, team):
        live = team.entry(S.PUBLISHED)
        with pytest.raises((IllegalTransition, PermissionDenied)):
            services.entry_update(
                actor=team.curator, entry=live, content=content_of(live, title="X")
            )


class TestGuards:
    def test_a_stale_edit_is_refused_with_who_changed_it(self, team):
        entry = team.entry()
        opened_at = entry.revision
        services.entry_update(
            actor=team.curator, entry=entry, content=content_of(entry, title="First")
        )
        with pytest.raises(StaleRevision, match="changed since you opened it") as refused:
            services.entry_update(
                actor=team.author,
                entry=entry,
                content=content_of(entry, title="Second"),
                revision=opened_at,
            )
        assert team.curator.username in refused.value.messages[0]
        entry.refresh_from_db()
        assert entry.title == "First"

    def test_a_stale_approval_is_refused(self, team):
        entry = team.entry(S.SUBMITTED)
        with pytest.raises(StaleRevision):
            services.entry_approve(actor=team.reviewer, entry=entry, revision=entry.revision - 1)

    def test_submitting_a_link_already_live_names_the_entry(self, team):
        live = team.entry(S.PUBLISHED, url="https://www.example.org/tool/")
        draft = team.entry(url="http://example.org/tool?utm_source=feed")
        with pytest.raises(DuplicateEntry) as refused:
            services.entry_submit(actor=team.author, entry=draft)
        assert refused.value.existing == live
        assert f"/admin/catalog/entry/{live.pk}/change/" in refused.value.messages[0]
        draft.refresh_from_db()
        assert draft.status == S.DRAFT

    def test_a_visitor_suggests_through_the_public_form_only(self, team):
        content = EntryContent(section=team.frameworks, title="Bottle", url="https://bottle.dev")
        with pytest.raises(PermissionDenied):
            services.entry_create(actor=None, content=content)
        entry = services.entry_create(
            actor=None,
            content=content,
            source=Entry.Source.PUBLIC_FORM,
            submitter_email="reader@example.org",
            submit=True,
        )
        assert (entry.status, entry.source, entry.submitted_by) == (
            S.SUBMITTED,
            Entry.Source.PUBLIC_FORM,
            None,
        )
        with pytest.raises(DuplicateEntry):
            services.entry_create(
                actor=None,
                content=content,
                source=Entry.Source.PUBLIC_FORM,
                submitter_email="other@example.org",
                submit=True,
            )

    def test_markers_come_from_the_lists_legend(self, team):
        foreign = MarkerFactory()
        with pytest.raises(ValidationError, match="legend"):
            services.entry_create(
                actor=team.curator,
                content=EntryContent(
                    section=team.frameworks, title="X", marker_ids=frozenset({foreign.pk})
                ),
            )


class TestHistory:
    def test_every_service_write_is_a_version_with_its_author(self, team):
        entry = services.entry_create(
            actor=team.author,
            content=EntryContent(section=team.frameworks, title="One", tags=("A",)),
        )
        services.entry_update(
            actor=team.author, entry=entry, content=content_of(entry, title="Two")
        )
        versions = list(entry.history.order_by("history_date"))
        assert [v.title for v in versions] == ["One", "Two"]
        assert {v.history_user for v in versions} == {team.author}
        assert [v.history_change_reason for v in versions] == ["Created", "Edited"]

    def test_revert_restores_fields_tags_markers_and_links(self, team):
        marker = MarkerFactory(curated_list=team.curated_list)
        entry = services.entry_create(
            actor=team.curator,
            content=EntryContent(
                section=team.frameworks,
                title="Original",
                description="First words.",
                tags=("MIT",),
                marker_ids=frozenset({marker.pk}),
                extra_links=(LinkData("Source Code", "https://src.example.org/"),),
            ),
        )
        first = entry.history.latest()
        entry = services.entry_update(
            actor=team.curator,
            entry=entry,
            content=content_of(
                entry, title="Changed", tags=("GPL",), marker_ids=frozenset(), extra_links=()
            ),
        )
        entry = services.entry_revert(actor=team.curator, entry=entry, history_id=first.history_id)
        entry.refresh_from_db()
        assert (entry.title, entry.description, entry.revision) == ("Original", "First words.", 3)
        assert list(entry.tags.names()) == ["MIT"]
        assert list(entry.markers.all()) == [marker]
        assert [x.label for x in entry.extra_links.all()] == ["Source Code"]
        assert WorkflowEvent.objects.filter(entry=entry, action=Action.REVERT).exists()

    def test_reverting_a_published_entry_makes_a_proposal(self, team):
        live = team.entry(S.PUBLISHED, title="Old title")
        first = live.history.latest()
        proposal = services.entry_propose_edit(
            actor=team.author, entry=live, content=content_of(live, title="New title")
        )
        services.entry_publish(
            actor=team.curator, entry=services.entry_approve(actor=team.reviewer, entry=proposal)
        )
        live.refresh_from_db()
        assert live.title == "New title"
        revert = services.entry_revert(actor=team.curator, entry=live, history_id=first.history_id)
        assert (revert.proposal_for, revert.title) == (live, "Old title")
        live.refresh_from_db()
        assert live.title == "New title"
