"""The editorial workflow in a real browser: a reviewer approves a submission from their review
queue, a curator publishes it, and the public list shows it. Screenshots for the README."""

from __future__ import annotations

import re

import pytest

from catalog.models import Entry
from tests.browser.conftest import screenshot
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_approves_and_curator_publishes(page, browser, live_server, demo):
    submission = Entry.objects.get(curated_list=demo, title="goldmark")
    assert submission.status == Entry.Status.SUBMITTED

    # The reviewer finds it in their queue, from the admin index.
    sign_in(page, "reviewer")
    queue = page.locator("#review-queue")
    assert queue.is_visible()
    assert queue.locator("#queue-review").inner_text() == "3"
    screenshot(page, "admin-index-queue")
    queue.get_by_role("link", name="Awaiting my review").click()
    page.wait_for_url("**queue=review**")
    screenshot(page, "admin-review-queue")
    page.get_by_role("link", name="goldmark", exact=True).click()
    page.wait_for_url(f"**/entry/{submission.pk}/change/**")

    # Only the decisions a reviewer may take, with a comment box.
    panel = page.locator("#workflow-panel")
    buttons = panel.locator('button[name="action"]').all_inner_texts()
    assert buttons == ["Approve", "Request changes", "Reject", "Comment"]
    panel.get_by_label("Comment").fill("Checked: active, documented, CommonMark compliant.")
    panel.scroll_into_view_if_needed()
    screenshot(page, "admin-decision-buttons")
    panel.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "ready to publish" in page.locator("ul.messagelist").inner_text()

    # The curator publishes it.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    curator = context.new_page()
    sign_in(curator, "curator")
    curator.goto(f"/admin/catalog/entry/{submission.pk}/change/")
    curator.locator("#workflow-panel").get_by_role("button", name="Publish now").click()
    assert "is published." in curator.locator("ul.messagelist").inner_text()
    assert re.search(r"Status:\s*Published", curator.locator("#workflow-panel").inner_text())
    trail = curator.locator("#events-group").inner_text()
    assert "Checked: active, documented" in trail

    # Its history: every version, who saved it and what changed.
    curator.goto(f"/admin/catalog/entry/{submission.pk}/history/")
    versions = curator.locator("#version-list tbody tr")
    assert versions.count() == 3  # loaded, approved, published
    assert "Published" in versions.first.inner_text()
    screenshot(curator, "admin-history")

    # The public list shows it.
    curator.goto(demo.get_absolute_url())
    assert curator.get_by_role("link", name="goldmark", exact=True).is_visible()

    # A proposal shows its diff against the live entry.
    proposal = Entry.objects.get(curated_list=demo, proposal_for__isnull=False)
    curator.goto(f"/admin/catalog/entry/{proposal.pk}/change/")
    diff = curator.locator("#proposal-diff")
    assert diff.locator("ins").count() >= 1
    diff.scroll_into_view_if_needed()
    screenshot(curator, "admin-proposal-diff")
    context.close()


def test_contributor_types_a_change_then_submits_and_nothing_is_lost(page, demo):
    """Typing in the form, then pressing "Submit for review": the typing is saved first."""
    draft = Entry.objects.get(curated_list=demo, title="Zed", proposal_for=None)
    assert draft.status == Entry.Status.DRAFT
    sign_in(page, "contributor")
    page.goto(f"/admin/catalog/entry/{draft.pk}/change/")
    page.get_by_label("Description").fill("A fast editor written in Rust, typed before submitting.")
    page.locator("#workflow-panel").get_by_role("button", name="Submit for review").click()
    page.wait_for_url(f"**/entry/{draft.pk}/change/")
    messages = page.locator("ul.messagelist").inner_text()
    assert "are saved (revision" in messages
    assert "submitted for review" in messages
    draft.refresh_from_db()
    assert draft.status == Entry.Status.SUBMITTED
    assert draft.description == "A fast editor written in Rust, typed before submitting."
