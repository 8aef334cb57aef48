"""The workflow in the admin: decision buttons, stale forms, proposals, bulk actions, the queue,
history with revert and the email opt-out — each through the services, refusals as messages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from catalog.models import Entry
from curation import services
from curation.models import Action, NotificationPreference, WorkflowEvent
from curation.services import EntryContent, LinkData
from tests.factories import ExtraLinkFactory, MarkerFactory
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db
S = Entry.Status


def change_url(entry):
    return reverse("admin:catalog_entry_change", args=[entry.pk])


def decide_url(entry):
    return reverse("admin:catalog_entry_decide", args=[entry.pk])


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def as_user(client, user):
    client.force_login(user)
    return client


def decision_buttons(client, entry):
    """What the decision buttons post: their own small form on a read-only page, the whole
    change form (which they are tied to) where the person may edit."""
    html = client.get(change_url(entry)).content.decode()
    if f'<form method="post" action="{decide_url(entry)}" id="decision_form">' in html:
        data = form_data(html, "decision_form")
    elif 'id="decision_form"' in html:
        data = form_data(html, "entry_form")
    else:
        data = {}
    return data, re.findall(r'name="action" value="([a-z_]+)"', html)


class TestDecisionButtons:
    def test_each_role_sees_the_decisions_it_may_take(self, client, team):
        entry = team.entry(S.SUBMITTED)
        assert decision_buttons(as_user(client, team.reviewer), entry)[1] == [
            "approve",
            "request_changes",
            "reject",
            "comment",
        ]
        assert decision_buttons(as_user(client, team.author), entry)[1] == ["comment"]
        approved = team.approved()
        assert decision_buttons(as_user(client, team.curator), approved)[1] == [
            "request_changes",
            "reject",
            "publish",
            "schedule",
            "archive",
            "comment",
        ]
        assert "publish" not in decision_buttons(as_user(client, team.reviewer), approved)[1]

    def test_reviewer_approves_and_curator_publishes(self, client, team):
        entry = team.entry(S.SUBMITTED)
        data, _ = decision_buttons(as_user(client, team.reviewer), entry)
        response = client.post(decide_url(entry), {**data, "action": "approve"})
        assert response.status_code == 302
        assert response.url == change_url(entry)
        entry.refresh_from_db()
        assert entry.status == S.APPROVED
        data, _ = decision_buttons(as_user(client, team.curator), entry)
        response = client.post(decide_url(entry), {**data, "action": "publish"}, follow=True)
        entry.refresh_from_db()
        assert entry.status == S.PUBLISHED
        assert any("is published." in m for m in texts(response))

    def test_a_reviewer_cannot_approve_their_own_submission_and_two_approvals_count(
        self, client, team
    ):
        team.curated_list.approvals_required = 2
        team.curated_list.save()
        entry = team.entry(S.SUBMITTED, submitted_by=team.reviewer)
        data, buttons = decision_buttons(as_user(client, team.reviewer), entry)
        assert buttons == ["comment"]
        response = client.post(decide_url(entry), {**data, "action": "approve"})
        assert any("another reviewer has to decide" in m for m in texts(response))
        for reviewer in (team.reviewer2, team.curator):
            data, _ = decision_buttons(as_user(client, reviewer), entry)
            client.post(decide_url(entry), {**data, "action": "approve"})
            entry.refresh_from_db()
        assert entry.status == S.APPROVED
        assert services.approvals_of(entry) == 2

    def test_a_refusal_is_a_message_not_an_error_page(self, client, team):
        entry = team.entry(S.SUBMITTED)
        data, _ = decision_buttons(as_user(client, team.reviewer), entry)
        response = client.post(decide_url(entry), {**data, "action": "reject", "comment": ""})
        assert response.status_code == 302
        assert any("Say why" in m for m in texts(response))
        entry.refresh_from_db()
        assert entry.status == S.SUBMITTED

    def test_a_decision_on_a_revision_that_changed_meanwhile_is_refused(self, client, team):
        entry = team.entry(S.SUBMITTED)
        data, _ = decision_buttons(as_user(client, team.reviewer), entry)
        services.entry_update(
            actor=team.curator,
            entry=entry,
            content=EntryContent(section=entry.section, title="Changed under the reviewer"),
        )
        response = client.post(decide_url(entry), {**data, "action": "approve"})
        assert any("changed since you opened it" in m for m in texts(response))
        assert services.approvals_of(Entry.objects.get(pk=entry.pk)) == 0

    def test_decisions_are_post_only(self, client, team):
        entry = team.entry(S.SUBMITTED)
        response = as_user(client, team.reviewer).get(decide_url(entry), {"action": "approve"})
        assert response.status_code == 405

    def test_scheduling_from_the_page(self, client, team):
        entry = team.approved()
        data, _ = decision_buttons(as_user(client, team.curator), entry)
        at = timezone.localtime() + dt.timedelta(days=1)
        response = client.post(
            decide_url(entry),
            {**data, "action": "schedule", "publish_at": at.strftime("%Y-%m-%dT%H:%M")},
        )
        zone = at.strftime("%Z")
        assert f"“{entry.title}” is scheduled for {at:%Y-%m-%d %H:%M} {zone}." in texts(response)
        entry.refresh_from_db()
        assert entry.status == S.SCHEDULED

    def test_messages_read_naturally(self, client, team):
        """“Visidata” submitted for review — not “Visidata”: submitted; it is now submitted."""
        draft = team.entry(S.DRAFT)
        data, _ = decision_buttons(as_user(client, team.author), draft)
        response = client.post(decide_url(draft), {**data, "action": "submit"})
        assert texts(response) == [f"“{draft.title}” submitted for review."]
        data, _ = decision_buttons(as_user(client, team.reviewer), draft)
        response = client.post(
            decide_url(draft), {**data, "action": "request_changes", "comment": "Add a licence."}
        )
        assert texts(response) == [
            f"You asked for changes to “{draft.title}”; its author has been told."
        ]
        approved = team.approved()
        data, _ = decision_buttons(as_user(client, team.curator), approved)
        response = client.post(decide_url(approved), {**data, "action": "publish"})
        assert texts(response) == [f"“{approved.title}” is published."]

    def test_reviews_and_audit_trail_are_on_the_entry_page(self, client, team):
        entry = services.entry_reject(
            actor=team.reviewer, entry=team.entry(S.SUBMITTED), comment="Off topic here."
        )
        html = as_user(client, team.curator).get(change_url(entry)).content.decode()
        assert "Off topic here." in html
        assert "audit trail" in html.lower()
        # rejected is final: a comment, or archive to take it out of the working views
        assert decision_buttons(client, entry)[1] == ["archive", "comment"]


class TestEditing:
    def test_a_stale_form_is_refused_with_a_clear_message(self, client, team):
        entry = team.entry(S.DRAFT)
        first = form_data(
            as_user(client, team.curator).get(change_url(entry)).content.decode(), "entry_form"
        )
        second = dict(first)
        first["title"] = "Saved first"
        assert client.post(change_url(entry), first).status_code == 302
        second["title"] = "Saved second, from a stale form"
        response = client.post(change_url(entry), second)
        assert response.status_code == 200
        assert "changed since you opened this form" in response.content.decode()
        entry.refresh_from_db()
        assert (entry.title, entry.revision) == ("Saved first", 2)

    def test_a_curator_edit_of_a_published_entry_becomes_a_proposal(self, client, team):
        live = team.entry(S.PUBLISHED, description="The live words.")
        data = form_data(
            as_user(client, team.curator).get(change_url(live)).content.decode(), "entry_form"
        )
        data["description"] = "The proposed words."
        response = client.post(change_url(live), data)
        proposal = live.proposals.get()
        assert response.status_code == 302
        assert response.url == change_url(proposal)
        live.refresh_from_db()
        assert live.description == "The live words."
        page = client.get(change_url(proposal)).content.decode()
        assert 'id="proposal-diff"' in page
        assert "<del>live</del>" in page
        assert "<ins>proposed</ins>" in page

    def test_a_second_open_proposal_is_a_form_error(self, client, team):
        live = team.entry(S.PUBLISHED)
        services.entry_propose_edit(
            actor=team.author,
            entry=live,
            content=EntryContent(section=live.section, title="Author idea", url=live.url),
        )
        link = reverse("admin:catalog_entry_add") + f"?proposal_for={live.pk}"
        client = as_user(client, team.reviewer)
        data = form_data(client.get(link).content.decode(), "entry_form")
        data["title"] = "Reviewer idea"
        response = client.post(link, data)
        assert response.status_code == 200
        assert "already has an open proposal" in response.content.decode()
        assert [p.title for p in live.proposals.all()] == ["Author idea"]

    def test_a_refusal_at_save_time_is_a_message_and_nothing_is_saved(
        self, client, team, monkeypatch
    ):
        entry = team.entry(S.DRAFT, title="Before")

        def refuse(**kwargs):
            raise services.StaleRevision("Someone saved it a moment ago; reload.")

        monkeypatch.setattr(services, "entry_update", refuse)  # a race after validation
        client = as_user(client, team.curator)
        data = form_data(client.get(change_url(entry)).content.decode(), "entry_form")
        data["title"] = "After"
        response = client.post(change_url(entry), data)
        assert response.status_code == 302
        assert response.url == change_url(entry)
        assert texts(response) == ["Someone saved it a moment ago; reload."]
        entry.refresh_from_db()
        assert entry.title == "Before"

    def test_a_contributor_proposes_an_edit_through_the_link(self, client, team):
        live = team.entry(S.PUBLISHED, tags=["MIT"])
        ExtraLinkFactory(entry=live, label="Demo", url="https://demo.example.org/")
        page = as_user(client, team.author).get(change_url(live)).content.decode()
        link = reverse("admin:catalog_entry_add") + f"?proposal_for={live.pk}"
        assert link in page
        form = client.get(link).content.decode()
        data = form_data(form, "entry_form")
        assert data["title"] == live.title
        data["title"] = "A better title"
        response = client.post(link, data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        proposal = live.proposals.get()
        assert (proposal.title, proposal.status, proposal.submitted_by) == (
            "A better title",
            S.SUBMITTED,
            team.author,
        )
        assert list(proposal.tags.names()) == ["MIT"]
        assert [(x.label, x.url) for x in proposal.extra_links.all()] == [
            ("Demo", "https://demo.example.org/")
        ]
        live.refresh_from_db()
        assert live.title != "A better title"


class TestBulkActions:
    def test_publish_reports_per_item(self, client, team):
        ready = [team.approved() for _ in range(3)]
        not_ready = [team.entry(S.SUBMITTED), team.entry(S.DRAFT)]
        response = as_user(client, team.curator).post(
            reverse("admin:catalog_entry_changelist"),
            {
                "action": "publish_selected",
                "_selected_action": [e.pk for e in ready + not_ready],
                "comment": "",
            },
            follow=True,
        )
        [message] = texts(response)
        assert message.startswith("3 published, 2 refused: ")
        assert f"“{not_ready[0]}”: Cannot publish" in message
        assert Entry.objects.published().count() == 3

    def test_reject_needs_the_comment_from_the_action_bar(self, client, team):
        entries = [team.entry(S.SUBMITTED) for _ in range(2)]
        url = reverse("admin:catalog_entry_changelist")
        selected = {"action": "reject_selected", "_selected_action": [e.pk for e in entries]}
        response = as_user(client, team.reviewer).post(
            url, {**selected, "comment": ""}, follow=True
        )
        assert texts(response)[0].startswith("0 rejected, 2 refused")
        response = client.post(url, {**selected, "comment": "Not about this topic."}, follow=True)
        assert texts(response)[-1] == "2 rejected."

    def test_contributors_have_no_workflow_actions(self, client, team):
        team.entry(S.SUBMITTED)
        html = (
            as_user(client, team.author)
            .get(reverse("admin:catalog_entry_changelist"))
            .content.decode()
        )
        assert "approve_selected" not in html
        assert "publish_selected" not in html


class TestQueue:
    def test_awaiting_my_review_and_my_submissions(self, client, team):
        waiting = team.entry(S.SUBMITTED, title="Waits for review")
        own = team.entry(S.SUBMITTED, title="By the reviewer", submitted_by=team.reviewer)
        done = team.entry(S.SUBMITTED, title="Already approved by me")
        team.curated_list.approvals_required = 2
        team.curated_list.save()
        services.entry_approve(actor=team.reviewer, entry=done)
        client = as_user(client, team.reviewer)
        url = reverse("admin:catalog_entry_changelist")
        review = client.get(url, {"queue": "review"}).content.decode()
        assert waiting.title in review
        assert own.title not in review
        assert done.title not in review
        mine = client.get(url, {"queue": "mine"}).content.decode()
        assert own.title in mine
        assert waiting.title not in mine
        index = client.get(reverse("admin:index")).content.decode()
        assert 'id="queue-review">1<' in index
        assert 'id="queue-mine">1<' in index

    def test_scoped_reviewer_sees_only_their_section_in_the_queue(self, client, team):
        inside = team.entry(S.SUBMITTED, section=team.cli, title="In CLI")
        outside = team.entry(S.SUBMITTED, title="In Frameworks")
        html = (
            as_user(client, team.scoped)
            .get(reverse("admin:catalog_entry_changelist"), {"queue": "review"})
            .content.decode()
        )
        assert inside.title in html
        assert outside.title not in html


class TestHistory:
    def test_history_lists_versions_and_reverts(self, client, team):
        entry = services.entry_create(
            actor=team.author, content=EntryContent(section=team.frameworks, title="First")
        )
        services.entry_update(
            actor=team.author,
            entry=entry,
            content=EntryContent(section=team.frameworks, title="Second"),
        )
        history = reverse("admin:catalog_entry_history", args=[entry.pk])
        html = as_user(client, team.author).get(history).content.decode()
        assert "Revert to this version" in html
        assert "First" in html
        assert "Second" in html
        first = entry.history.order_by("history_date").first()
        revert = reverse("admin:catalog_entry_revert", args=[entry.pk, first.history_id])
        response = client.post(revert, {"revision": "2"})
        assert response.status_code == 302
        entry.refresh_from_db()
        assert (entry.title, entry.revision) == ("First", 3)
        assert WorkflowEvent.objects.filter(entry=entry, action=Action.REVERT).exists()

    def test_history_names_sections_and_markers(self, client, team):
        marker = MarkerFactory(curated_list=team.curated_list, symbol="⭐")
        entry = services.entry_create(
            actor=team.curator, content=EntryContent(section=team.frameworks, title="Moved")
        )
        services.entry_update(
            actor=team.curator,
            entry=entry,
            content=EntryContent(
                section=team.cli, title="Moved", marker_ids=frozenset({marker.pk})
            ),
        )
        html = (
            as_user(client, team.curator)
            .get(reverse("admin:catalog_entry_history", args=[entry.pk]))
            .content.decode()
        )
        assert (
            '<span class="old"><del>Web › Frameworks</del></span> → '
            '<span class="new"><ins>CLI</ins></span>' in html
        )
        assert '→ <span class="new"><ins>⭐</ins></span>' in html

    def test_history_shows_whole_texts_word_by_word_and_tags(self, client, team):
        """A change past the 80th character used to read as no change (both sides cut at
        80), and tag changes did not appear at all."""
        start = "A long description that says the same thing for a good while, " * 2
        entry = services.entry_create(
            actor=team.curator,
            content=EntryContent(
                section=team.frameworks,
                title="Long",
                description=start + "ending one way.",
                tags=("mit",),
            ),
        )
        services.entry_update(
            actor=team.curator,
            entry=entry,
            content=EntryContent(
                section=team.frameworks,
                title="Long",
                description=start + "ending another way.",
                tags=("gpl-3.0", "mit"),
                extra_links=(LinkData("Demo", "https://demo.example/"),),
            ),
        )
        html = (
            as_user(client, team.curator)
            .get(reverse("admin:catalog_entry_history", args=[entry.pk]))
            .content.decode()
        )
        assert "<del>one</del>" in html
        assert "<ins>another</ins>" in html
        assert start.strip() in html  # not cut
        assert "<strong>tags</strong>" in html
        assert "<ins>gpl-3.0</ins>" in html
        assert "<ins>Demo: https://demo.example/</ins>" in html

    def test_the_audit_trail_has_its_own_read_only_list(self, client, team):
        entry = services.entry_reject(
            actor=team.reviewer, entry=team.entry(S.SUBMITTED), comment="Off topic."
        )
        url = reverse("admin:curation_workflowevent_changelist")
        html = as_user(client, team.curator).get(url).content.decode()
        assert entry.title in html
        assert as_user(client, team.outsider).get(url).content.decode().count(entry.title) == 0

    def test_reviewers_see_history_without_revert(self, client, team):
        entry = team.entry(S.SUBMITTED)
        html = (
            as_user(client, team.reviewer)
            .get(reverse("admin:catalog_entry_history", args=[entry.pk]))
            .content.decode()
        )
        assert "Revert to this version" not in html


class TestNotificationPreferences:
    def test_each_user_edits_their_own_opt_out(self, client, team):
        client = as_user(client, team.reviewer)
        url = reverse("admin:curation_notificationpreference_changelist")
        add = client.get(url)
        assert add.status_code == 302
        response = client.post(add.url, {"decisions": "on"})  # new_submissions unticked
        assert response.status_code == 302
        pref = NotificationPreference.objects.get(user=team.reviewer)
        assert (pref.new_submissions, pref.decisions) == (False, True)
        other = NotificationPreference.objects.create(user=team.curator)
        change_other = reverse("admin:curation_notificationpreference_change", args=[other.pk])
        assert client.get(change_other).status_code == 302  # not theirs: not found
        assert client.post(change_other, {}).status_code in (302, 403)
        other.refresh_from_db()
        assert other.new_submissions is True


class TestDecisionsOnAFormWithChanges:
    """A decision button pressed after typing in the form saves the typing first, through the
    services ("Save and submit"), or refuses and gives the form back — never drops it."""

    def test_save_and_submit(self, client, team):
        draft = team.entry(S.DRAFT, description="Old words.")
        data, buttons = decision_buttons(as_user(client, team.author), draft)
        assert "submit" in buttons
        data["description"] = "New words, typed just now."
        response = client.post(decide_url(draft), {**data, "action": "submit"})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.description == "New words, typed just now."
        assert draft.status == S.SUBMITTED
        assert draft.revision == 2
        assert texts(response) == [
            f"Your changes to “{draft.title}” are saved (revision 2).",
            f"“{draft.title}” submitted for review.",
        ]
        actions = list(draft.events.order_by("pk").values_list("action", flat=True))
        assert actions[-2:] == [Action.EDIT, Action.SUBMIT]

    def test_save_and_publish_goes_back_to_review_when_the_content_changed(self, client, team):
        """A curator's edit of an approved entry is a new revision: the approvals were for the
        old one, so it is saved and publishing is refused with the reason, not lost."""
        approved = team.approved(description="Approved words.")
        data, _ = decision_buttons(as_user(client, team.curator), approved)
        data["description"] = "Curator's late change."
        response = client.post(decide_url(approved), {**data, "action": "publish"})
        approved.refresh_from_db()
        assert approved.description == "Curator's late change."
        assert approved.status == S.SUBMITTED
        assert any("are saved (revision 2)" in m for m in texts(response))
        assert any("approval" in m.lower() for m in texts(response)[1:])

    def test_unchanged_form_decides_without_a_new_revision(self, client, team):
        approved = team.approved()
        data, _ = decision_buttons(as_user(client, team.curator), approved)
        response = client.post(decide_url(approved), {**data, "action": "publish"})
        approved.refresh_from_db()
        assert approved.status == S.PUBLISHED
        assert approved.revision == 1
        assert texts(response) == [f"“{approved.title}” is published."]

    def test_changes_to_a_published_entry_are_given_back_not_decided(self, client, team):
        live = team.entry(S.PUBLISHED, description="Live words.")
        data, buttons = decision_buttons(as_user(client, team.curator), live)
        assert "archive" in buttons
        data["description"] = "An edit typed before pressing Archive."
        response = client.post(decide_url(live), {**data, "action": "archive"})
        assert response.status_code == 200  # the form again, with the reason and the typing
        html = response.content.decode()
        assert "nothing was decided and nothing saved" in html
        assert "An edit typed before pressing Archive." in html
        live.refresh_from_db()
        assert live.status == S.PUBLISHED
        assert live.description == "Live words."
        assert not live.proposals.exists()

    def test_invalid_changes_are_given_back_with_their_errors(self, client, team):
        draft = team.entry(S.DRAFT)
        data, _ = decision_buttons(as_user(client, team.author), draft)
        data["title"] = ""
        data["description"] = "Kept while the title is fixed."
        response = client.post(decide_url(draft), {**data, "action": "submit"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nothing was decided: your changes need fixing first." in html
        assert "This field is required." in html
        assert "Kept while the title is fixed." in html
        draft.refresh_from_db()
        assert draft.status == S.DRAFT


class TestWorkflowPanelContext:
    def test_the_reviewers_request_is_shown_where_the_contributor_acts(self, client, team):
        entry = services.entry_request_changes(
            actor=team.reviewer,
            entry=team.entry(S.SUBMITTED),
            comment="Please say which licence it uses.",
        )
        html = as_user(client, team.author).get(change_url(entry)).content.decode()
        panel = html[
            html.index('id="workflow-panel"') : html.index(
                "</section>", html.index('id="workflow-panel"')
            )
        ]
        assert 'id="latest-decision"' in panel
        assert "requested changes" in panel
        assert "Please say which licence it uses." in panel
        assert team.reviewer.get_username() in panel

    def test_a_reviewer_is_told_why_only_comment_is_offered_on_their_own_submission(
        self, client, team
    ):
        own = team.entry(S.SUBMITTED, submitted_by=team.reviewer)
        _, buttons = decision_buttons(as_user(client, team.reviewer), own)
        assert buttons == ["comment"]
        html = client.get(change_url(own)).content.decode()
        assert "You submitted this entry, so you cannot approve" in html
        other = team.entry(S.SUBMITTED)
        html = client.get(change_url(other)).content.decode()
        assert 'id="why-no-verdict"' not in html


def test_unpublish_then_publish_again_from_the_page(client, team):
    """The same curator takes an entry off the list and puts it back, with the buttons."""
    live = team.entry(S.PUBLISHED, submitted_by=None, source=Entry.Source.IMPORT)
    data, buttons = decision_buttons(as_user(client, team.curator), live)
    client.post(decide_url(live), {**data, "action": "unpublish"})
    live.refresh_from_db()
    assert live.status == S.APPROVED
    data, buttons = decision_buttons(client, live)
    assert "publish" in buttons
    assert (
        "may be published again without a new review"
        in client.get(change_url(live)).content.decode()
    )
    client.post(decide_url(live), {**data, "action": "publish"})
    live.refresh_from_db()
    assert live.status == S.PUBLISHED


def test_rejected_entries_and_drafts_are_archived_and_no_delete_is_offered(client, team):
    """Rejected entries had no way out of the working views: archive refused, and the offered
    "Delete selected entries" always failed on their reviews."""
    rejected = services.entry_reject(
        actor=team.reviewer, entry=team.entry(S.SUBMITTED), comment="Not a fit."
    )
    as_user(client, team.curator)
    changelist = client.get(reverse("admin:catalog_entry_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist
    assert f"/entry/{rejected.pk}/delete/" not in client.get(change_url(rejected)).content.decode()
    data, buttons = decision_buttons(client, rejected)
    assert "archive" in buttons
    client.post(decide_url(rejected), {**data, "action": "archive"})
    rejected.refresh_from_db()
    assert rejected.status == S.ARCHIVED
    assert rejected.reviews.count() == 1  # kept, with its audit trail
    draft = team.entry(S.DRAFT)
    assert services.entry_archive(actor=team.curator, entry=draft).status == S.ARCHIVED
    # The bulk action too.
    other = services.entry_reject(
        actor=team.reviewer, entry=team.entry(S.SUBMITTED), comment="Duplicate of another."
    )
    response = client.post(
        reverse("admin:catalog_entry_changelist"),
        {"action": "archive_selected", "_selected_action": [other.pk]},
        follow=True,
    )
    other.refresh_from_db()
    assert other.status == S.ARCHIVED, texts(response)
