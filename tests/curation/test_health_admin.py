"""Curators find dead, moved, archived and stale entries in the admin and fix them in bulk —
through the workflow services, so each fix is refused or audited like any other change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Entry, LinkHealth, RepositoryInfo
from catalog.signals import list_changed
from curation import services
from curation.models import Action, WorkflowEvent
from curation.services import DuplicateEntry, IllegalTransition
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
S = Entry.Status
CHANGELIST = reverse("admin:catalog_entry_changelist")


def health(entry, state, **fields):
    now = timezone.now()
    defaults = {
        "checked_url": entry.url,
        "checked_at": now,
        "status_code": 200 if state in ("ok", "redirected") else 404,
    }
    if state == "redirected":
        defaults["redirect_to"] = fields.pop("to", entry.url.rstrip("/") + "-moved")
        defaults["final_url"] = defaults["redirect_to"]
    if state in ("failing", "dead"):
        defaults.update(
            error="HTTP 404", consecutive_failures=2, first_failed_at=now - dt.timedelta(days=4)
        )
    return LinkHealth.objects.create(entry=entry, state=state, **{**defaults, **fields})


def repository(entry, *, archived=False, last_activity_at=None, **fields):
    return RepositoryInfo.objects.create(
        entry=entry,
        forge="github",
        host="github.com",
        full_name=fields.pop("full_name", f"owner/{entry.pk}"),
        url=entry.url,
        stars=fields.pop("stars", 42),
        archived=archived,
        last_activity_at=last_activity_at or timezone.now(),
        fetched_at=timezone.now(),
        **fields,
    )


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


class TestApplyRedirect:
    def test_a_curator_follows_a_permanent_redirect_and_it_is_audited(self, team):
        entry = team.entry(S.PUBLISHED, url="https://old.example.org/tool")
        health(entry, "redirected", to="https://new.example.org/tool")
        sent = []

        def receiver(**kwargs):
            sent.append(kwargs["curated_list"])

        list_changed.connect(receiver)
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                moved = services.entry_apply_redirect(actor=team.curator, entry=entry)
        finally:
            list_changed.disconnect(receiver)
        assert moved.url == "https://new.example.org/tool"
        assert moved.revision == 2
        assert moved.status == S.PUBLISHED
        event = WorkflowEvent.objects.get(entry=entry, action=Action.MOVE_LINK)
        assert event.actor == team.curator
        assert event.comment == "https://old.example.org/tool → https://new.example.org/tool"
        record = entry.history.first()
        assert record.url == moved.url
        assert record.history_change_reason == Action.MOVE_LINK.label
        fresh = LinkHealth.objects.get(entry=entry)
        assert (fresh.state, fresh.redirect_to, fresh.checked_url) == ("ok", "", moved.url)
        assert team.curated_list in sent

    def test_only_curators_may(self, team):
        entry = team.entry(S.PUBLISHED)
        health(entry, "redirected")
        with pytest.raises(PermissionDenied, match="Only curators"):
            services.entry_apply_redirect(actor=team.reviewer, entry=entry)
        assert Entry.objects.get(pk=entry.pk).url == entry.url

    @pytest.mark.parametrize(
        ("setup", "message"),
        [
            (lambda team, e: health(e, "ok"), "has no proposed redirect"),
            (lambda team, e: None, "has no proposed redirect"),
            (
                lambda team, e: health(e, "redirected", checked_url="https://elsewhere.org/"),
                "changed since it was checked",
            ),
            (
                lambda team, e: (
                    health(e, "redirected"),
                    EntryFactory(proposal_for=e, status=S.SUBMITTED),
                ),
                "open proposal",
            ),
        ],
        ids=["ok-link", "never-checked", "url-changed", "open-proposal"],
    )
    def test_refusals_say_why(self, team, setup, message):
        entry = team.entry(S.PUBLISHED)
        setup(team, entry)
        with pytest.raises(IllegalTransition, match=message):
            services.entry_apply_redirect(actor=team.curator, entry=entry)
        assert Entry.objects.get(pk=entry.pk).revision == 1

    def test_a_pending_entry_is_edited_instead(self, team):
        entry = team.entry(S.SUBMITTED)
        health(entry, "redirected")
        with pytest.raises(IllegalTransition, match="Edit its link instead"):
            services.entry_apply_redirect(actor=team.curator, entry=entry)

    def test_a_redirect_onto_another_entrys_link_is_refused_naming_it(self, team):
        other = team.entry(S.PUBLISHED, title="The other one", url="https://new.example.org/x")
        entry = team.entry(S.PUBLISHED, url="https://old.example.org/x")
        health(entry, "redirected", to=other.url)
        with pytest.raises(DuplicateEntry, match="The other one"):
            services.entry_apply_redirect(actor=team.curator, entry=entry)
        assert Entry.objects.get(pk=entry.pk).url == "https://old.example.org/x"


class TestFiltersAndColumns:
    def test_link_health_filter(self, client, team):
        ok, dead, moved, failing = (team.entry(S.PUBLISHED) for _ in range(4))
        unchecked = team.entry(S.PUBLISHED)
        health(ok, "ok"), health(dead, "dead"), health(moved, "redirected")
        health(failing, "failing")
        client.force_login(team.curator)
        for value, expected in [
            ("dead", {dead}),
            ("redirected", {moved}),
            ("failing", {failing}),
            ("ok", {ok}),
            ("unchecked", {unchecked}),
        ]:
            response = client.get(CHANGELIST, {"link": value})
            assert set(response.context["cl"].result_list) == expected, value

    def test_repository_filter(self, client, team, settings):
        settings.REPOSITORY_STALE_AFTER_DAYS = 365
        now = timezone.now()
        archived, stale, fresh, broken = (team.entry(S.PUBLISHED) for _ in range(4))
        elsewhere = team.entry(S.PUBLISHED)
        repository(archived, archived=True, last_activity_at=now - dt.timedelta(days=900))
        repository(stale, last_activity_at=now - dt.timedelta(days=400))
        repository(fresh, last_activity_at=now - dt.timedelta(days=30))
        repository(broken, error="rate limited until 12:00 UTC")
        client.force_login(team.curator)
        for value, expected in [
            ("archived", {archived}),
            ("stale", {stale}),
            ("maintained", {fresh, broken}),
            ("error", {broken}),
            ("none", {elsewhere}),
        ]:
            response = client.get(CHANGELIST, {"repository": value})
            assert set(response.context["cl"].result_list) == expected, value

    def test_columns_and_details_show_the_state(self, client, team):
        entry = team.entry(S.PUBLISHED, url="https://github.com/owner/tool")
        health(entry, "dead")
        repository(entry, archived=True, stars=1234, full_name="owner/tool")
        client.force_login(team.curator)
        page = client.get(CHANGELIST).content.decode()
        assert 'class="health health-dead"' in page
        assert "HTTP 404" in page
        assert 'class="health health-archived"' in page
        assert "★ 1,234" in page
        detail = client.get(reverse("admin:catalog_entry_change", args=[entry.pk]))
        text = detail.content.decode()
        assert "failed in 2 runs in a row" in text
        assert "owner/tool on GitHub" in text
        assert "archived: yes" in text

    def test_a_repository_without_an_activity_date_is_shown_not_an_error(self, client, team):
        entry = team.entry(S.PUBLISHED)
        repository(entry, full_name="owner/empty")
        RepositoryInfo.objects.filter(entry=entry).update(last_activity_at=None)
        client.force_login(team.curator)
        response = client.get(CHANGELIST)
        assert response.status_code == 200
        assert "no activity date" in response.content.decode()

    def test_the_changelist_costs_the_same_queries_at_any_size(self, client, team):
        def make(n):
            for _ in range(n):
                entry = team.entry(S.PUBLISHED)
                health(entry, "dead")
                repository(entry)

        client.force_login(team.curator)
        make(2)
        client.get(CHANGELIST)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as small:
            client.get(CHANGELIST)
        make(20)
        with CaptureQueriesContext(connection) as large:
            client.get(CHANGELIST)
        assert len(large) == len(small)


class TestBulkActions:
    def test_apply_redirects_reports_each_entry(self, client, team):
        moved = team.entry(S.PUBLISHED, url="https://old.example.org/a")
        health(moved, "redirected", to="https://new.example.org/a")
        not_moved = team.entry(S.PUBLISHED, title="Steady")
        health(not_moved, "ok")
        client.force_login(team.curator)
        response = client.post(
            CHANGELIST,
            {"action": "apply_redirects_selected", "_selected_action": [moved.pk, not_moved.pk]},
            follow=True,
        )
        [message] = texts(response)
        assert message.startswith("1 moved to their new address, 1 refused:")
        assert "“Steady”" in message
        assert "no proposed redirect" in message
        assert Entry.objects.get(pk=moved.pk).url == "https://new.example.org/a"
        assert WorkflowEvent.objects.filter(entry=moved, action=Action.MOVE_LINK).count() == 1

    def test_archive_dead_archives_only_confirmed_dead_links(self, client, team):
        dead = team.entry(S.PUBLISHED, title="Gone")
        health(dead, "dead")
        failing = team.entry(S.PUBLISHED, title="Wobbly")
        health(failing, "failing")
        client.force_login(team.curator)
        response = client.post(
            CHANGELIST,
            {"action": "archive_dead_selected", "_selected_action": [dead.pk, failing.pk]},
            follow=True,
        )
        assert texts(response) == [
            "1 selected entries were left alone: their link is not confirmed dead.",
            "1 archived.",
        ]
        assert Entry.objects.get(pk=dead.pk).status == S.ARCHIVED
        assert Entry.objects.get(pk=failing.pk).status == S.PUBLISHED
        event = WorkflowEvent.objects.get(entry=dead, action=Action.ARCHIVE)
        assert event.actor == team.curator
        assert event.comment.startswith("Link dead since ")
        assert event.comment.endswith("HTTP 404.")

    def test_reviewers_do_not_get_the_fixing_actions(self, client, team):
        client.force_login(team.reviewer)
        actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
        names = {name for name, _ in actions}
        assert "apply_redirects_selected" not in names
        assert "archive_dead_selected" not in names
