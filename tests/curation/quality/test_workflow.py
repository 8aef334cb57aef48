"""The checks run for every way in (admin, API, public form, sync), a blocking failure refuses
approval with its reason until a curator overrides it (audited), a new revision is checked
again, and a failure found later on a live entry shows in the same checklist."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.choices import EntrySource
from catalog.models import Entry, LinkHealth
from curation import services
from curation.health.links import check_links
from curation.models import Action, WorkflowEvent
from curation.quality.models import Level, QualityCheck
from curation.services import EntryContent, IllegalTransition
from curation.services.sync import entry_sync_publish_new
from tests.curation.quality.conftest import RECENT
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db
S = Entry.Status


def few_stars(quality, name="small/tool"):
    quality.forges.add_github(name, stars=37, pushed_at=RECENT, license="MIT")
    return name


# --- every way in runs the checks -------------------------------------------------------------


def test_admin_submission_runs_the_checks(quality, client):
    team = quality.team
    with quality.capture(execute=True):
        draft = services.entry_create(
            actor=team.author, content=quality.content(repo=few_stars(quality))
        )
    assert quality.checks(draft) == {}  # a draft is not checked
    client.force_login(team.author)
    page = client.get(reverse("admin:catalog_entry_change", args=[draft.pk])).content.decode()
    data = form_data(page, "entry_form")
    with quality.capture(execute=True):
        response = client.post(
            reverse("admin:catalog_entry_decide", args=[draft.pk]), {**data, "action": "submit"}
        )
    assert response.status_code == 302
    assert quality.checks(draft)["stars"] == ("fail", "★ 37 < 50")


def test_api_submission_runs_the_checks(quality):
    team = quality.team
    api = APIClient()
    api.force_authenticate(team.author)
    with quality.capture(execute=True):
        response = api.post(
            f"/api/lists/{team.curated_list.slug}/submissions/",
            {
                "section": team.frameworks.pk,
                "title": "Small",
                "url": quality.links.url("/ok"),
                "description": "A small tool.",
                "extra_links": [
                    {"label": "Source Code", "url": f"https://github.com/{few_stars(quality)}"}
                ],
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    entry = Entry.objects.get(pk=response.json()["id"])
    assert entry.source == EntrySource.API
    assert quality.checks(entry)["stars"] == ("fail", "★ 37 < 50")


def test_public_form_suggestion_runs_the_checks(quality, client):
    # A visitor's link must be public: the repository itself (its forge is the fake one); the
    # link rule is off so that nothing leaves this machine.
    quality.rules.link = Level.OFF
    quality.rules.save()
    cache.clear()  # the form's rate limit
    name = few_stars(quality)
    with quality.capture(execute=True):
        response = client.post(
            reverse("suggest:create", args=[quality.team.curated_list.slug]),
            {
                "url": f"https://github.com/{name}",
                "title": "Small",
                "description": "A small tool.",
                "section": quality.team.frameworks.pk,
                "email": "",
                "homepage": "",
            },
        )
    assert response.status_code == 302
    entry = Entry.objects.get(title="Small")
    assert entry.source == EntrySource.PUBLIC_FORM
    checks = quality.checks(entry)
    assert checks["stars"] == ("fail", "★ 37 < 50")
    assert "link" not in checks
    assert quality.links.requests == []


def test_sync_runs_the_checks_on_what_it_publishes_and_submits(quality):
    team = quality.team
    name = few_stars(quality)
    with quality.capture(execute=True):
        published = entry_sync_publish_new(
            actor=team.curator,
            content=quality.content(repo=name, title="Synced"),
            comment="README sync from README.md, line 3: added.",
        )
        submitted = services.entry_create(  # what ``sync_readme --as-submissions`` calls
            actor=team.curator,
            content=quality.content(repo=name, title="Also synced", url=quality.links.url("/x")),
            source=EntrySource.SYNC,
            submit=True,
        )
    assert published.status == S.PUBLISHED
    assert quality.checks(published)["stars"] == ("fail", "★ 37 < 50")
    assert quality.checks(submitted)["stars"] == ("fail", "★ 37 < 50")


# --- blocking, advisory, override --------------------------------------------------------------


def test_a_blocking_failure_refuses_approval_with_the_reason(quality):
    entry = quality.submit(repo=few_stars(quality))
    with pytest.raises(IllegalTransition) as refused:
        services.entry_approve(actor=quality.team.reviewer, entry=entry)
    assert refused.value.code == "blocking_checks"
    assert "blocking quality checks fail — Stars: ★ 37 < 50" in refused.value.messages[0]
    assert "A curator may override them with a comment." in refused.value.messages[0]
    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED
    assert not entry.reviews.exists()


def test_an_advisory_failure_is_shown_but_does_not_block(quality):
    quality.rules.stars = Level.ADVISORY
    quality.rules.save()
    entry = quality.submit(repo=few_stars(quality))
    row = QualityCheck.objects.of(entry).get(rule="stars")
    assert (row.outcome, row.blocking) == ("fail", False)
    approved = services.entry_approve(actor=quality.team.reviewer, entry=entry)
    assert approved.status == S.APPROVED


def test_a_curator_overrides_with_a_comment_and_it_is_audited(quality):
    team = quality.team
    entry = quality.submit(repo=few_stars(quality))
    with pytest.raises(PermissionDenied):
        services.entry_override_checks(actor=team.reviewer, entry=entry, comment="Fine by me.")
    with pytest.raises(ValidationError, match="Say why"):
        services.entry_override_checks(actor=team.curator, entry=entry, comment="  ")

    services.entry_override_checks(
        actor=team.curator, entry=entry, comment="A young project by a known author."
    )

    event = WorkflowEvent.objects.get(entry=entry, action=Action.OVERRIDE_CHECKS)
    assert event.actor == team.curator
    assert event.entry_revision == 1
    assert (event.from_status, event.to_status) == (S.SUBMITTED, S.SUBMITTED)
    assert event.comment.startswith("A young project by a known author.")
    assert "Overridden: Stars: ★ 37 < 50" in event.comment
    with pytest.raises(IllegalTransition, match="already overridden"):
        services.entry_override_checks(actor=team.curator, entry=entry, comment="Again.")
    assert services.entry_approve(actor=team.reviewer, entry=entry).status == S.APPROVED


def test_nothing_to_override_is_refused(quality):
    quality.forges.add_github("big/tool", stars=500, pushed_at=RECENT)
    entry = quality.submit(repo="big/tool")
    with pytest.raises(IllegalTransition, match="no failing blocking check"):
        services.entry_override_checks(actor=quality.team.curator, entry=entry, comment="Why.")


def test_a_new_revision_is_checked_again_and_needs_its_own_override(quality):
    team = quality.team
    entry = quality.submit(repo=few_stars(quality))
    services.entry_override_checks(actor=team.curator, entry=entry, comment="Known author.")
    with quality.capture(execute=True):
        edited = services.entry_update(
            actor=team.curator,
            entry=entry,
            content=quality.content(repo="small/tool", description="Now it says more."),
        )
    assert edited.revision == 2
    assert QualityCheck.objects.filter(entry=entry, entry_revision=1).count() == 9  # kept
    assert quality.checks(entry)["style"] == ("pass", "17 characters")
    assert quality.checks(entry)["stars"] == ("fail", "★ 37 < 50")
    with pytest.raises(IllegalTransition, match="blocking quality checks fail"):
        services.entry_approve(actor=team.reviewer, entry=edited)


def test_checks_of_an_older_revision_are_not_stored_over_a_newer_one(quality):
    from curation.quality.runner import run_for_entry

    entry = quality.submit(repo=few_stars(quality))
    Entry.objects.filter(pk=entry.pk).update(revision=2)  # edited while the checks ran
    assert run_for_entry(entry.pk, 1) == []
    assert not QualityCheck.objects.filter(entry=entry, entry_revision=2).exists()


# --- later failures on a live entry -----------------------------------------------------------


def test_a_link_that_dies_later_shows_in_the_live_entrys_checklist(quality):
    team = quality.team
    quality.forges.add_github("big/tool", stars=500, pushed_at=RECENT)
    flaky = quality.links.route("/later", lambda seen: quality_reply(seen))
    state["status"] = 200
    entry = quality.submit(repo="big/tool", url=flaky)
    services.entry_approve(actor=team.reviewer, entry=entry)
    services.entry_publish(actor=team.curator, entry=entry)
    assert quality.checks(entry)["link"] == ("pass", "HTTP 200")

    state["status"] = 404
    check_links(curated_list=team.curated_list, now=timezone.now())
    first = timezone.now() + timedelta(days=3)
    check_links(curated_list=team.curated_list, now=first)

    assert LinkHealth.objects.get(entry=entry).state == LinkHealth.State.DEAD
    outcome, figure = quality.checks(entry)["link"]
    assert outcome == "fail"
    assert figure == "dead: HTTP 404"


def test_an_archived_repository_found_by_the_refresh_shows_too(quality):
    from curation.health.metadata import refresh_metadata

    team = quality.team
    quality.forges.add_github("big/tool", stars=500, pushed_at=RECENT)
    entry = quality.submit(repo="big/tool")
    services.entry_approve(actor=team.reviewer, entry=entry)
    services.entry_publish(actor=team.curator, entry=entry)
    assert quality.checks(entry)["not_archived"] == ("pass", "not archived")

    quality.forges.repos["github"]["big/tool"]["archived"] = True
    quality.forges.github_extra["big/tool"]["archived_at"] = None
    refresh_metadata(curated_list=team.curated_list)

    assert quality.checks(entry)["not_archived"] == ("fail", "archived")
    assert quality.checks(entry)["stars"] == ("pass", "★ 500 ≥ 50")


state: dict[str, int] = {}


def quality_reply(seen):
    from tests.curation.health.servers import Reply

    return Reply(state["status"])


# --- the admin and the API show it --------------------------------------------------------------


def test_the_entry_page_shows_the_checklist_and_the_override_button(quality, client):
    team = quality.team
    entry = quality.submit(repo=few_stars(quality), description="the best tool")
    client.force_login(team.curator)
    page = client.get(reverse("admin:catalog_entry_change", args=[entry.pk])).content.decode()
    assert 'id="quality-checklist"' in page
    assert "★ 37 &lt; 50" in page or "★ 37 < 50" in page
    assert 'id="quality-blocked"' in page
    assert re.search(r'name="action" value="override_checks"', page)

    data = form_data(page, "entry_form")
    response = client.post(
        reverse("admin:catalog_entry_decide", args=[entry.pk]),
        {**data, "action": "approve"},
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("blocking quality checks fail — Stars: ★ 37 < 50" in m for m in messages)

    response = client.post(
        reverse("admin:catalog_entry_decide", args=[entry.pk]),
        {**data, "action": "override_checks", "comment": "Known author."},
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("are overridden" in m for m in messages), messages
    page = client.get(reverse("admin:catalog_entry_change", args=[entry.pk])).content.decode()
    assert 'id="quality-override"' in page
    assert 'value="override_checks"' not in page


def test_a_reviewer_sees_no_override_button(quality, client):
    entry = quality.submit(repo=few_stars(quality))
    client.force_login(quality.team.reviewer)
    page = client.get(reverse("admin:catalog_entry_change", args=[entry.pk])).content.decode()
    assert 'id="quality-blocked"' in page
    assert 'value="override_checks"' not in page


def test_the_queue_column_and_filter(quality, client):
    team = quality.team
    quality.forges.add_github("big/tool", stars=500, pushed_at=RECENT)
    blocked = quality.submit(repo=few_stars(quality), title="Blocked one")
    from tests.curation.health.servers import Reply

    other = quality.links.route("/ok2", Reply(200))
    passing = quality.submit(repo="big/tool", title="Passing one", url=other)
    client.force_login(team.reviewer)
    changelist = reverse("admin:catalog_entry_changelist")

    page = client.get(changelist).content.decode()
    assert "✖ 1 blocking" in page
    assert "✔ 9" in page

    page = client.get(changelist, {"checks": "blocked"}).content.decode()
    assert "Blocked one" in page
    assert "Passing one" not in page
    page = client.get(changelist, {"checks": "passing"}).content.decode()
    assert "Passing one" in page
    assert "Blocked one" not in page

    services.entry_override_checks(actor=team.curator, entry=blocked, comment="Known author.")
    page = client.get(changelist, {"checks": "blocked"}).content.decode()
    assert "Blocked one" not in page
    page = client.get(changelist, {"checks": "failing"}).content.decode()
    assert "Blocked one" in page
    assert "✖ 1 (overridden)" in page
    assert passing.pk


def test_the_api_shows_the_checklist_and_refuses_approval(quality):
    team = quality.team
    entry = quality.submit(repo=few_stars(quality))
    api = APIClient()
    api.force_authenticate(team.reviewer)

    body = api.get(f"/api/entries/{entry.pk}/checks/").json()
    assert body["revision"] == 1
    assert body["blocked"] is True
    assert body["override"] is None
    stars = next(check for check in body["checks"] if check["rule"] == "stars")
    assert stars == {
        "rule": "stars",
        "label": "Stars",
        "outcome": "fail",
        "blocking": True,
        "figure": "★ 37 < 50",
        "checked_at": stars["checked_at"],
    }
    refused = api.post(f"/api/entries/{entry.pk}/approve/", {}, format="json")
    assert refused.status_code == 409
    assert "★ 37 < 50" in refused.json()["detail"]

    api.force_authenticate(team.curator)
    done = api.post(
        f"/api/entries/{entry.pk}/override-checks/", {"comment": "Known author."}, format="json"
    )
    assert done.status_code == 200, done.json()
    body = api.get(f"/api/entries/{entry.pk}/checks/").json()
    assert body["blocked"] is False
    assert body["override"]["by"] == team.curator.get_username()
    assert APIClient().get(f"/api/entries/{entry.pk}/checks/").status_code in (401, 403)


def test_content_without_rules_is_not_checked(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.entry_create(
            actor=team.author,
            content=EntryContent(section=team.frameworks, title="T", url=""),
            submit=True,
        )
    assert not QualityCheck.objects.filter(entry=entry).exists()


def test_the_queue_column_costs_no_query_per_row(quality, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EntryFactory

    team = quality.team
    client.force_login(team.curator)
    changelist = reverse("admin:catalog_entry_changelist")

    made = []

    def add_checked(count: int) -> None:
        for _ in range(count):
            made.append(None)
            entry = EntryFactory(
                section=team.frameworks, status="submitted", title=f"Entry {len(made)}"
            )
            for rule, outcome in (("stars", "fail"), ("style", "pass"), ("link", "unknown")):
                QualityCheck.objects.create(
                    entry=entry,
                    entry_revision=1,
                    rule=rule,
                    outcome=outcome,
                    blocking=rule == "stars",
                    figure="★ 1 < 50" if rule == "stars" else "",
                    checked_at=timezone.now(),
                )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(changelist).content.decode()
        assert "✖ 1 blocking" in page
        return len(captured)

    add_checked(2)
    few = queries()
    add_checked(10)
    assert queries() == few


def test_a_submitted_revision_without_verdicts_shows_as_pending_a_draft_does_not(quality):
    from curation.quality.checklist import checklist_of

    team = quality.team
    draft = services.entry_create(actor=team.author, content=quality.content())
    assert checklist_of(draft).pending is False  # drafts are not checked
    submitted = services.entry_submit(actor=team.author, entry=draft)  # commit hooks not run
    checklist = checklist_of(submitted)
    assert checklist.pending is True
    assert checklist.blocked is False


@pytest.mark.parametrize("count", [3, 30])
def test_rejudging_the_stored_figures_costs_the_same_queries_for_any_number(
    quality, count, django_assert_max_num_queries
):
    from catalog.models import RepositoryInfo
    from curation.quality.runner import recheck_stored
    from tests.factories import EntryFactory, ExtraLinkFactory

    team = quality.team
    now = timezone.now()
    for n in range(count):
        entry = EntryFactory(section=team.frameworks, status="published", title=f"Live {n}")
        ExtraLinkFactory(entry=entry, label="Source Code", url=f"https://github.com/o/r{n}")
        RepositoryInfo.objects.create(
            entry=entry,
            forge="github",
            host="github.com",
            full_name=f"o/r{n}",
            url=f"https://github.com/o/r{n}",
            stars=n,
            archived=n % 2 == 0,
            license="MIT",
            last_activity_at=now,
            fetched_at=now,
        )
        LinkHealth.objects.create(
            entry=entry, state="dead", checked_url=entry.url, error="HTTP 404", checked_at=now
        )
    with django_assert_max_num_queries(5):
        written = recheck_stored(curated_list_id=team.curated_list.pk, now=now)
    assert written == count * 5  # archived, activity, stars, licence, link
    archived = QualityCheck.objects.filter(rule="not_archived", outcome="fail").count()
    assert archived == (count + 1) // 2
    assert QualityCheck.objects.filter(rule="link", figure="dead: HTTP 404").count() == count
