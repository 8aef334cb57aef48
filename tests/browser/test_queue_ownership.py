"""Owning the queue and the "What changed" page in a real browser, with axe-core: a reviewer
takes a submission, sees it as theirs in the page and the queue, and releases it; a reader
follows the list's "What changed" link to this week's archive and edit."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Entry
from curation import services
from curation.services import EntryContent
from tests.browser.test_accessibility import audit
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_takes_a_submission_and_releases_it(page, demo):
    submission = Entry.objects.get(curated_list=demo, title="goldmark")
    sign_in(page, "reviewer")
    page.goto(f"/admin/catalog/entry/{submission.pk}/change/")
    claim = page.locator("#claim-panel")
    assert "Nobody has taken it yet." in claim.inner_text()
    claim.get_by_role("button", name="I’m reviewing this").click()
    page.wait_for_load_state()
    assert "You are reviewing “goldmark”" in page.locator("ul.messagelist").inner_text()
    assert "Taken by you for 0 days" in page.locator("#claim-state").inner_text()
    # Audited without the one-off message: axe cannot decide the contrast of Django's own
    # success message over its icon ("needs review"), which is not this page's doing.
    page.reload()
    assert "Taken by you for 0 days" in page.locator("#claim-state").inner_text()
    problems = audit(page)

    # The queue shows who has what.
    page.goto("/admin/catalog/entry/?queue=review")
    row = page.locator("#result_list tr", has_text="goldmark")
    assert "taken by you for 0 days" in row.inner_text()
    problems += audit(page)

    page.goto(f"/admin/catalog/entry/{submission.pk}/change/")
    page.locator("#claim-panel").get_by_role("button", name="Release").click()
    page.wait_for_load_state()
    assert "is back in the queue" in page.locator("ul.messagelist").inner_text()
    assert "Nobody has taken it yet." in page.locator("#claim-state").inner_text()
    assert problems == [], "\n".join(problems)


def test_the_what_changed_page_shows_this_weeks_archive_and_edit(page, demo):
    curator = get_user_model().objects.get(username="curator")
    reviewer = get_user_model().objects.get(username="reviewer")
    live = Entry.objects.published().filter(curated_list=demo).order_by("pk")
    gone, edited = live[0], live[1]
    services.entry_archive(actor=curator, entry=gone, comment="Unmaintained for years.")
    proposal = services.entry_propose_edit(
        actor=curator,
        entry=edited,
        content=EntryContent(
            section=edited.section,
            title=f"{edited.title} (renamed)",
            url=edited.url,
            description=edited.description,
        ),
    )
    services.entry_approve(actor=reviewer, entry=proposal)
    services.entry_publish(actor=curator, entry=proposal, comment="Its new name.")

    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="What changed").click()
    page.wait_for_url("**/changes/")
    assert page.get_by_role("heading", name="What changed").is_visible()
    week = page.locator(".changes-week").first
    assert week.locator("h2").inner_text().startswith("Week of ")
    archived = week.locator(".change-archived", has_text=gone.title)
    assert "Unmaintained for years." in archived.inner_text()
    edit = week.locator(".change-edited", has_text=f"{edited.title} (renamed)")
    assert "Its new name." in edit.inner_text()
    assert edit.locator("del").first.inner_text() == edited.title
    problems = audit(page)
    assert problems == [], "\n".join(problems)
