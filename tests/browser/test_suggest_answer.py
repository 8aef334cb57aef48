"""A visitor answers a reviewer's change request through the private status link their
acknowledgement email carried, in a real browser (issue 14, item 5)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from catalog.models import Entry
from curation.models import WorkflowEvent
from tests.browser.test_accessibility import audit
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_answers_a_change_request_through_the_status_link(
    page, browser, live_server, demo, settings
):
    settings.SITE_URL = live_server.url
    mail.outbox.clear()
    # A visitor suggests a link, with their address.
    page.goto(f"{demo.get_absolute_url()}suggest/")
    page.get_by_label("Link").fill("https://lite-xl.com")
    page.get_by_label("Title").fill("Lite XL")
    page.get_by_label("Description").fill("An editor.")
    page.get_by_label("Section").select_option(label="Editors")
    page.get_by_label("Your email (optional)").fill("lite.fan@example.org")
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_url(re.compile(r".*/suggest/[\w-]+/\?sent=1$"))
    entry = Entry.objects.get(curated_list=demo, title="Lite XL")

    # The acknowledgement email carries the status link.
    [thanks] = [m for m in mail.outbox if m.to == ["lite.fan@example.org"]]
    [link] = re.findall(r"https?://\S+/suggest/[\w-]+/", thanks.body)
    assert link.startswith(live_server.url)

    # A reviewer asks for changes in the admin.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    admin = context.new_page()
    sign_in(admin, "reviewer")
    admin.goto(f"/admin/catalog/entry/{entry.pk}/change/")
    panel = admin.locator("#workflow-panel")
    panel.get_by_label("Comment").fill("Please say what makes it different from the others.")
    panel.get_by_role("button", name="Request changes").click()
    admin.wait_for_load_state()
    context.close()
    entry.refresh_from_db()
    assert entry.status == Entry.Status.CHANGES_REQUESTED

    # The visitor opens the link, reads the request and answers it on the page.
    page.goto(link)
    assert page.locator("#suggestion-status").inner_text() == "Changes requested"
    assert "what makes it different" in page.locator("blockquote").inner_text()
    form = page.locator("#resubmit-form")
    assert form.get_by_label("Title").input_value() == "Lite XL"
    assert audit(page) == []
    form.get_by_label("Description").fill("A lightweight editor, extensible in Lua.")
    form.get_by_label("Note to the reviewers (optional)").fill("Said what it is.")
    form.get_by_role("button", name="Send changes for review").click()
    page.wait_for_url(re.compile(r".*/suggest/[\w-]+/\?resent=1$"))
    assert page.locator("#suggestion-status").inner_text() == "Waiting for review"
    assert "back in the review queue" in page.get_by_role("status").first.inner_text()
    assert page.locator("#resubmit-form").count() == 0

    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
    assert entry.description == "A lightweight editor, extensible in Lua."
    last = WorkflowEvent.objects.filter(entry=entry).first()
    assert (last.action, last.actor) == ("submit", None)
    assert "visitor who suggested it" in last.comment
