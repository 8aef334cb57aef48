"""Issue 14, items 2, 3, 4, 6 and 7 in a real browser: what a curator does with the admin's own
buttons and forms, and what they then see (and what the database then holds).

2. an entry unpublished by mistake goes back with "Publish now", no dead end;
3. after a curator brought another README into the demo list, `load_demo` (`make run`) still
   runs and the site serves;
4. the import preview says what a replace deletes, with counts, wants the slug typed, and
   refuses a list with workflow history;
6. a rejected entry leaves the working views by "Archive"; no delete that always fails;
7. the history page shows whole texts, word by word, and tag changes.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from catalog.importer import read_readme, store_document
from catalog.models import CuratedList, Entry, Section
from curation.models import Membership, Review, Role
from tests.catalog.test_importer import README
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def messages_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("ul.messagelist").inner_text()


def status_line(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#workflow-panel p.state").inner_text()


def decision_labels(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator('#workflow-panel button[name="action"]').all_inner_texts()


# --- 2. unpublish is reversible ---------------------------------------------------------------


def test_curator_unpublishes_an_imported_entry_and_publishes_it_again(page, demo):
    """It used to stay "approved · 0 of 1 approvals": publish refused for lack of approvals,
    approve refused because it was already approved."""
    vim = Entry.objects.get(curated_list=demo, title="Vim", proposal_for=None)
    assert vim.status == Entry.Status.PUBLISHED
    assert vim.source == Entry.Source.IMPORT
    assert not Review.objects.filter(entry=vim).exists()  # came with the README, never reviewed

    sign_in(page, "curator")
    page.goto(f"/admin/catalog/entry/{vim.pk}/change/")
    page.locator("#workflow-panel").get_by_role("button", name="Unpublish").click()
    page.wait_for_url(f"**/entry/{vim.pk}/change/")
    vim.refresh_from_db()
    assert vim.status == Entry.Status.APPROVED
    assert re.search(r"Status:\s*Approved", status_line(page))
    assert "may be published again without a new review" in status_line(page)
    # Off the public list meanwhile.
    page.goto(demo.get_absolute_url())
    assert page.get_by_role("link", name="Vim", exact=True).count() == 0

    # Back on the entry: the way on is offered, and nothing that would only be refused.
    page.goto(f"/admin/catalog/entry/{vim.pk}/change/")
    buttons = decision_labels(page)
    assert "Publish now" in buttons
    assert "Approve" not in buttons
    page.locator("#workflow-panel").get_by_role("button", name="Publish now").click()
    page.wait_for_url(f"**/entry/{vim.pk}/change/")
    assert "is published." in messages_text(page)
    assert re.search(r"Status:\s*Published", status_line(page))
    vim.refresh_from_db()
    assert vim.status == Entry.Status.PUBLISHED
    assert not Review.objects.filter(entry=vim).exists()  # no review was made up for it

    page.goto(demo.get_absolute_url())
    assert page.get_by_role("link", name="Vim", exact=True).is_visible()


# --- 3. `make run` after a curator brought another README into the demo list -----------------


def test_load_demo_runs_again_after_a_curator_brought_another_readme_into_the_demo_list(
    page, browser, live_server, demo
):
    """`make run` died in load_demo on the section position constraint once the demo list held
    another README's sections. "Import README" over the demo list is refused now (it has
    history, item 4); the way the refusal points at, "Sync from README", changes the sections
    all the same, and load_demo must still run and the site serve."""
    sign_in(page, "curator")
    page.goto(f"/admin/catalog/curatedlist/{demo.pk}/change/")
    page.get_by_role("link", name="Import README").click()
    page.get_by_label("…or paste it").fill(README)
    page.get_by_role("button", name="Preview the import").click()
    refusal = page.locator("#import-refused")
    assert "editorial history that importing would destroy" in refusal.inner_text()

    refusal.get_by_role("link", name="Sync from README").click()
    page.wait_for_url("**/sync-readme/**")
    page.get_by_label("…or paste it").fill(README)
    page.get_by_role("button", name="Preview the change set").click()
    page.get_by_label("Publish at once (I vouch for these changes)").check()
    page.get_by_role("button", name="Apply the change set").click()
    page.wait_for_url(f"**/curatedlist/{demo.pk}/change/")
    titles = set(Section.objects.filter(curated_list=demo).values_list("title", flat=True))
    assert {"Brewing", "Kettles", "Reading"} <= titles  # the other README's sections are in
    assert Entry.objects.published().filter(curated_list=demo, title="Gongfu Timer").exists()

    # `make run` again: load_demo, in this process, on this database.
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "left as it stands" in text
    assert "make reset-demo" in text

    # The site serves: the list as the curator left it, and the demo accounts sign in.
    response = page.goto(demo.get_absolute_url())
    assert response is not None
    assert response.status == 200
    assert page.get_by_role("link", name="Gongfu Timer", exact=True).is_visible()
    response = page.goto("/admin/catalog/entry/")
    assert response is not None
    assert response.status == 200
    reviewer = browser.new_page(base_url=live_server.url)
    sign_in(reviewer, "reviewer")
    assert "Awaiting my review" in reviewer.locator("#review-queue").inner_text()
    reviewer.close()


# --- 4. the import preview says what a replace destroys ---------------------------------------


@pytest.fixture
def fresh_list(demo):
    """A list imported from a README that nobody has worked on since, of the demo's curator."""
    doc, _ = read_readme(README.encode())
    fresh = store_document(doc, slug="fresh-tea").curated_list
    curator = Membership.objects.get(curated_list=demo, user__username="curator", section=None)
    Membership.objects.create(user=curator.user, curated_list=fresh, role=Role.CURATOR)
    return fresh


def test_import_preview_counts_what_is_lost_and_wants_the_slug_typed(page, fresh_list, tmp_path):
    """The preview said only "replaces the N entries"; one click then deleted everything and
    renamed the list."""
    sign_in(page, "curator")
    # The curator gave the list a title of their own.
    page.goto(f"/admin/catalog/curatedlist/{fresh_list.pk}/change/")
    page.get_by_label("Title:", exact=True).fill("My Tea Shelf")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert CuratedList.objects.get(pk=fresh_list.pk).title == "My Tea Shelf"
    before = set(Entry.objects.filter(curated_list=fresh_list).values_list("pk", flat=True))
    assert len(before) == 5

    # Then imports the README again, from a file.
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    page.get_by_role("link", name="Import README").click()
    page.get_by_label("README file").set_input_files(str(readme))
    page.get_by_role("button", name="Preview the import").click()
    deleted = page.locator("#import-deleted").inner_text()
    for line in (
        "5 published entries",
        "0 visitor suggestions",
        "0 reviews",
        "0 workflow events",
    ):
        assert line in deleted
    title_row = page.locator("#import-changes tbody tr").filter(has_text="Title")
    assert title_row.locator("td").all_inner_texts() == ["My Tea Shelf", "Awesome Tea"]

    # A slug typed wrong: the same preview again, nothing replaced.
    page.get_by_label(re.compile("Type the list's slug")).fill("fresh")
    page.get_by_role("button", name="Replace with 5 entries").click()
    page.wait_for_load_state()
    error = page.locator("#confirm-slug-error").inner_text()
    assert "Type the list's slug “fresh-tea” to confirm" in error
    assert "Nothing was replaced." in error
    assert page.locator("#import-deleted").is_visible()
    assert set(Entry.objects.filter(curated_list=fresh_list).values_list("pk", flat=True)) == before
    assert CuratedList.objects.get(pk=fresh_list.pk).title == "My Tea Shelf"

    # Typed right, it is replaced.
    page.get_by_label(re.compile("Type the list's slug")).fill("fresh-tea")
    page.get_by_role("button", name="Replace with 5 entries").click()
    page.wait_for_url(f"**/curatedlist/{fresh_list.pk}/change/")
    assert "Imported 5 entries in 3 sections, replacing 5." in messages_text(page)
    after = set(Entry.objects.filter(curated_list=fresh_list).values_list("pk", flat=True))
    assert len(after) == 5
    assert not after & before
    assert CuratedList.objects.get(pk=fresh_list.pk).title == "Awesome Tea"


def test_import_over_a_list_with_workflow_history_is_refused_in_the_preview(page, demo):
    entries = set(Entry.objects.filter(curated_list=demo).values_list("pk", flat=True))
    reviews = Review.objects.filter(entry__curated_list=demo).count()
    assert reviews
    sign_in(page, "curator")
    page.goto(f"/admin/catalog/curatedlist/{demo.pk}/change/")
    page.get_by_role("link", name="Import README").click()
    page.get_by_label("…or paste it").fill(README)
    page.get_by_role("button", name="Preview the import").click()
    refusal = page.locator("#import-refused").inner_text()
    assert "editorial history that importing would destroy" in refusal
    assert "entries that are not simply published" in refusal
    assert "review" in refusal
    assert page.get_by_role("button", name=re.compile("^Replace with")).count() == 0
    assert page.locator("#id_confirm_slug").count() == 0
    assert page.get_by_role("link", name="Sync from README").first.is_visible()
    assert set(Entry.objects.filter(curated_list=demo).values_list("pk", flat=True)) == entries
    assert Review.objects.filter(entry__curated_list=demo).count() == reviews
    assert CuratedList.objects.get(pk=demo.pk).title == demo.title


# --- 6. rejected entries leave the working views ----------------------------------------------


def test_curator_archives_rejected_entries_and_is_offered_no_delete(page, demo):
    """Archive refused rejected entries, and "Delete selected entries" was offered, then always
    failed on their reviews."""
    sublime = Entry.objects.get(curated_list=demo, title="Sublime Text")
    simplenote = Entry.objects.get(curated_list=demo, title="Simplenote")
    assert sublime.status == simplenote.status == Entry.Status.REJECTED
    sign_in(page, "curator")

    # From the entry's page.
    page.goto(f"/admin/catalog/entry/{sublime.pk}/change/")
    assert decision_labels(page) == ["Archive", "Comment"]
    assert page.locator("a.deletelink").count() == 0
    page.locator("#workflow-panel").get_by_role("button", name="Archive").click()
    page.wait_for_load_state()
    sublime.refresh_from_db()
    assert sublime.status == Entry.Status.ARCHIVED
    assert sublime.reviews.count() == 1  # kept, with the reason it was rejected

    # From the changelist, in bulk; no delete among the actions.
    page.goto("/admin/catalog/entry/?status__exact=rejected")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Simplenote" in rows.first.inner_text()
    action = page.locator('select[name="action"]')
    options = action.locator("option").all_inner_texts()
    assert "Archive selected entries" in options
    assert not [option for option in options if "Delete" in option]
    rows.first.locator("input.action-select").check()
    action.select_option(label="Archive selected entries")
    page.get_by_role("button", name="Go").click()
    page.wait_for_load_state()
    assert "archived" in messages_text(page)
    simplenote.refresh_from_db()
    assert simplenote.status == Entry.Status.ARCHIVED
    assert simplenote.reviews.count() == 1

    page.goto("/admin/catalog/entry/?status__exact=rejected")
    assert page.locator("#result_list").count() == 0  # nothing rejected left to clean up


# --- 7. the history tells the truth -----------------------------------------------------------


def test_history_shows_a_late_change_word_by_word_and_tag_changes(page, demo):
    """Both sides were cut at 80 characters, so a change past that point read as no change;
    tag changes did not appear at all."""
    kakoune = Entry.objects.get(curated_list=demo, title="Kakoune", proposal_for=None)
    old = kakoune.description
    assert len(old) > 80
    assert old.endswith("before it runs.")
    new = old.replace("before it runs.", "before it is carried out.")
    sign_in(page, "curator")
    page.goto(f"/admin/catalog/entry/{kakoune.pk}/change/")
    page.get_by_label("Description").fill(new)
    tags = page.get_by_label("Tags")
    tags.fill(tags.input_value() + ", Selections")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(f"**/entry/{kakoune.pk}/change/")
    kakoune.refresh_from_db()
    assert kakoune.description == new
    assert "Selections" in kakoune.tags.names()

    page.get_by_role("link", name="History").click()
    page.wait_for_url(f"**/entry/{kakoune.pk}/history/")
    latest = page.locator("#version-list tbody tr").first
    description = latest.locator("li.version-change").filter(has_text="description")
    # Both sides in full, past the 80th character.
    assert description.locator(".old").inner_text() == old
    assert description.locator(".new").inner_text() == new
    assert description.locator(".old del").all_inner_texts() == ["runs."]
    assert description.locator(".new ins").all_inner_texts() == ["is carried out."]
    tag_change = latest.locator("li.version-change").filter(has_text="tags")
    assert tag_change.count() == 1
    assert "Selections" in tag_change.locator(".new ins").all_inner_texts()
