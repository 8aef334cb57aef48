"""The reviewer's quality checklist in a real browser: the queue's checks column and filter,
the checklist on the entry's page, approval refused with the reason, and axe over both pages.

The checks run against the fake forge (tests/curation/health/fakeforges.py) as the background
task would run them; the link rule is off, so nothing leaves this machine."""

from __future__ import annotations

import pytest

from catalog.models import Entry
from curation.quality.models import Level, QualityRules
from curation.quality.runner import run_for_entry
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import audit
from tests.browser.test_changelist import LAPTOP, OVERFLOW, _badges
from tests.curation.health.fakeforges import FakeForges
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_sees_the_checklist_and_the_queue_column(page, demo, settings):
    QualityRules.objects.create(
        curated_list=demo,
        repository=Level.BLOCKING,
        not_archived=Level.BLOCKING,
        activity=Level.ADVISORY,
        activity_days=3650,
        stars=Level.BLOCKING,
        min_stars=5000,
        licence=Level.ADVISORY,
        style=Level.ADVISORY,
    )
    submission = Entry.objects.get(curated_list=demo, title="goldmark")
    with FakeForges() as forges:
        settings.REPOSITORY_FORGES = forges.forge_settings(tokens=True)
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        forges.add_github("yuin/goldmark", stars=3700, license="MIT")
        verdicts = run_for_entry(submission.pk, submission.revision)
    assert {v.rule: v.outcome for v in verdicts}["stars"] == "fail"

    sign_in(page, "reviewer")
    page.set_viewport_size(LAPTOP)
    _badges(demo)  # the widest link and repository badges
    page.goto("/admin/catalog/entry/?queue=review")
    row = page.locator("#result_list tbody tr", has_text="goldmark")
    assert row.locator(".field-status_and_checks .checks-blocked").inner_text() == "✖ 1 blocking"
    problems = audit(page)
    screenshot(page, "admin-queue-checks")
    page.goto("/admin/catalog/entry/")  # every entry: the column still fits a laptop
    size = page.evaluate(OVERFLOW)
    assert size["scroll"] <= size["client"], size
    assert size["page"] <= size["width"], size
    page.goto("/admin/catalog/entry/?queue=review")

    # The filter narrows the queue to what is blocked.
    page.get_by_role("link", name="Blocked (blocking check fails)").click()
    page.wait_for_url("**checks=blocked**")
    names = page.locator("#result_list tbody th a, #result_list tbody td a").all_inner_texts()
    assert any("goldmark" in name for name in names)
    assert page.locator("#result_list tbody tr").count() == 1

    page.get_by_role("link", name="goldmark", exact=True).click()
    page.wait_for_url(f"**/entry/{submission.pk}/change/**")
    checklist = page.locator("#quality-checklist")
    assert checklist.is_visible()
    assert "cannot be approved" in checklist.locator("#quality-blocked").inner_text()
    stars = checklist.locator("tr", has_text="Stars")
    assert "★ 3700 < 5000" in stars.inner_text()
    assert "(blocking)" in stars.inner_text()
    assert "github.com/yuin/goldmark" in checklist.locator("tr", has_text="Repository").inner_text()
    problems += audit(page)
    checklist.scroll_into_view_if_needed()
    screenshot(page, "admin-quality-checklist")

    # A reviewer has no override; approving is refused with the reason.
    panel = page.locator("#workflow-panel")
    assert panel.get_by_role("button", name="Override blocking checks").count() == 0
    panel.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    message = page.locator("ul.messagelist").inner_text()
    assert "blocking quality checks fail — Stars: ★ 3700 < 5000" in message
    assert problems == [], "\n".join(problems)
