"""Issue 14, items 8, 11, 13, 14 and 15, as people meet them in a real browser: a curator
reverting an entry to its first version, a visitor filtering by a tag's shown name, a
contributor reading the reviewer's request where they act, the admin's messages, and the small
things a visitor notices (favicon, time zones, links, accessible names, the suggest form, the
Atom feed)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from catalog.models import CuratedList, Entry, Section
from curation.public.models import Suggestion
from curation.services import EntryContent
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"


def messages_of(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("ul.messagelist").inner_text()


def relations(entry: Entry) -> tuple:
    """What a revert must give back besides the text: tags, markers and extra links."""
    content = EntryContent.of(Entry.objects.get(pk=entry.pk))
    return (content.tags, content.marker_ids, content.extra_links)


def choose(page, field_id: str, typed: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick a value in one of the admin's autocomplete (select2) fields, as a person does."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


# Item 8 ----------------------------------------------------------------------------------------


def edit_everything_away_then_revert_to_the_first_version(page, entry: Entry) -> None:  # type: ignore[no-untyped-def]
    """On the entry's page: take a published entry off the list (so the edit is in place), then
    empty its tags, markers and extra links and reword it; then, on the history page, revert to
    the first version."""
    page.goto(f"/admin/catalog/entry/{entry.pk}/change/")
    panel = page.locator("#workflow-panel")
    if entry.status == Entry.Status.PUBLISHED:
        panel.get_by_role("button", name="Unpublish").click()
        page.wait_for_load_state()
        assert re.search(r"Status:\s*Approved", panel.inner_text())
    page.get_by_label("Description").fill("Reworded, and stripped of its tags, markers and links.")
    page.get_by_label("Tags").fill("")
    removes = page.locator("#id_markers + .select2 .select2-selection__choice__remove")
    for _ in range(removes.count()):
        removes.first.click()
        page.keyboard.press("Escape")  # select2 opens its menu after a removal
    for delete in page.locator('#extra_links-group input[name$="-DELETE"]').all():
        delete.check()
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert "errornote" not in page.content(), page.locator(".errornote").all_inner_texts()
    assert relations(entry) == ((), frozenset(), ())

    page.get_by_role("link", name="History").click()
    page.wait_for_url(f"**/entry/{entry.pk}/history/")
    rows = page.locator("#version-list tbody tr")
    first = rows.last
    assert "first version" in first.inner_text()
    first.get_by_role("button", name="Revert to this version").click()
    page.wait_for_url(f"**/entry/{entry.pk}/change/")
    assert "is back to that version" in messages_of(page)


def assert_back_as_first_written(page, entry: Entry, written: tuple) -> None:  # type: ignore[no-untyped-def]
    tags, markers, links = written
    assert relations(entry) == written
    # What the curator sees on the form: the tags, markers and links are back.
    shown_tags = page.get_by_label("Tags").input_value()
    assert sorted(t.strip().strip('"') for t in shown_tags.split(",")) == sorted(tags)
    chips = page.locator("#id_markers + .select2 .select2-selection__choice").all_inner_texts()
    assert len(chips) == len(markers)
    for link in links:
        row = page.locator("#extra_links-group tr.form-row").filter(
            has=page.locator(f'input[value="{link.url}"]')
        )
        assert row.count() == 1, f"extra link {link.url} is not on the form"


def test_reverting_a_loaded_entry_to_its_first_version_gives_back_tags_markers_links(page, demo):
    entry = Entry.objects.get(curated_list=demo, title="Pandoc", proposal_for=None)
    written = relations(entry)
    assert all(written), "Pandoc is loaded with tags, a marker and an extra link"
    sign_in(page, "curator")
    edit_everything_away_then_revert_to_the_first_version(page, entry)
    assert_back_as_first_written(page, entry, written)


def test_reverting_an_entry_added_in_the_admin_to_its_first_version(page, demo):
    sign_in(page, "curator")
    page.goto("/admin/catalog/entry/add/")
    choose(page, "id_section", "Parsers", "Parsers")
    page.get_by_label("Title").fill("Comrak")
    page.get_by_label("URL").fill("https://github.com/kivikakk/comrak")
    page.get_by_label("Description").fill("A CommonMark and GFM parser in Rust.")
    choose(page, "id_markers", "pick", "Editor")
    page.get_by_label("Tags").fill("BSD-2-Clause, Rust")
    page.locator("#extra_links-group").get_by_role("button", name=re.compile("Add another")).click()
    page.locator("#id_extra_links-0-label").fill("Demo")
    page.locator("#id_extra_links-0-url").fill("https://comrak.ee/")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(re.compile(r".*/entry/\d+/change/$"))
    entry = Entry.objects.get(curated_list=demo, title="Comrak")
    written = relations(entry)
    assert written[0] == ("BSD-2-Clause", "Rust")
    assert written[1]
    assert written[2]
    edit_everything_away_then_revert_to_the_first_version(page, entry)
    assert_back_as_first_written(page, entry, written)


VERSIONS_README = (
    "# Awesome Versions\n\n> Tools that keep versions.\n\n## Tools\n\n"
    "- ⚠ [Kept](https://kept.example/) - Has everything. "
    "([Demo](https://kept.example/demo)) `MIT` `Go`\n"
)


@pytest.mark.parametrize(
    "part",
    [
        "tags and extra links",
        "markers",
    ],
)
def test_reverting_an_imported_entry_to_its_first_version(page, demo, part):
    empty = CuratedList.objects.create(slug="versions", title="Versions")
    sign_in(page, "admin")
    page.goto(f"/admin/catalog/curatedlist/{empty.pk}/change/")
    page.get_by_role("link", name="Import README").click()
    page.get_by_label("…or paste it").fill(VERSIONS_README)
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("button", name="Import 1 entries").click()
    assert "Imported 1 entries" in messages_of(page)
    entry = Entry.objects.get(curated_list=empty, title="Kept")
    written = relations(entry)
    assert written[0] == ("Go", "MIT")
    assert written[1]
    assert written[2]
    edit_everything_away_then_revert_to_the_first_version(page, entry)
    tags, markers, links = relations(entry)
    if part == "markers":
        assert markers == written[1]
    else:
        assert (tags, links) == (written[0], written[2])
        assert_back_as_first_written(page, entry, (tags, markers, links))


# Item 11 ---------------------------------------------------------------------------------------


def test_the_tag_filter_takes_the_name_on_the_pill_and_offers_the_lists_tags(page, demo):
    page.goto(f"{demo.get_absolute_url()}search/")
    field = page.get_by_label("Tag")
    # The field offers the list's tags by the names their pills show.
    offered = page.locator(f"datalist#{field.get_attribute('list')} option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert {"GPL-3.0", "Emacs Lisp", "Rust"} <= set(offered)

    gpl = set(
        Entry.objects.published()
        .filter(curated_list=demo, tags__name="GPL-3.0")
        .values_list("title", flat=True)
    )
    assert len(gpl) >= 2
    field.fill("GPL-3.0")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?**tag=GPL-3.0**")
    found = page.locator("ol.results li.entry")
    assert found.count() == len(gpl)
    for title in gpl:
        assert found.filter(has_text=title).count() == 1

    page.get_by_label("Tag").fill("Emacs Lisp")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**tag=Emacs+Lisp**")
    lisp = Entry.objects.published().filter(curated_list=demo, tags__name="Emacs Lisp")
    assert page.locator("ol.results li.entry").count() == lisp.count()
    assert page.locator("ol.results li.entry").filter(has_text="GNU Emacs").count() == 1

    # The pill itself leads to a readable address.
    page.goto(demo.get_absolute_url())
    nano = Entry.objects.get(curated_list=demo, title="GNU nano")
    page.locator(f"#entry-{nano.pk}").get_by_role("link", name="GPL-3.0").click()
    page.wait_for_url("**/tags/gpl-3.0/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tagged GPL-3.0"


# Item 13 ---------------------------------------------------------------------------------------


def test_the_contributor_reads_the_latest_request_where_they_act(page, browser, live_server, demo):
    entry = Entry.objects.get(curated_list=demo, title="goldmark", proposal_for=None)
    assert entry.status == Entry.Status.SUBMITTED
    assert entry.submitted_by.username == "contributor"

    # A reviewer asks for changes.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    reviewer = context.new_page()
    sign_in(reviewer, "reviewer")
    reviewer.goto(f"/admin/catalog/entry/{entry.pk}/change/")
    reviewer.locator("#workflow-panel").get_by_label("Comment").fill(
        "Please name the CommonMark version it passes."
    )
    reviewer.locator("#workflow-panel").get_by_role("button", name="Request changes").click()
    reviewer.wait_for_load_state()
    context.close()

    # The contributor opens the entry: the request is in the workflow panel, on the first screen,
    # beside the button they press next.
    sign_in(page, "contributor")
    page.goto(f"/admin/catalog/entry/{entry.pk}/change/")
    panel = page.locator("#workflow-panel")
    latest = panel.locator("#latest-decision")
    assert "reviewer requested changes" in latest.inner_text()
    assert latest.locator("blockquote").inner_text() == (
        "Please name the CommonMark version it passes."
    )
    box = latest.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 800
    assert panel.get_by_role("button", name="Submit for review").is_visible()

    # They answer and send it back; another reviewer asks again: the panel shows the new request.
    page.get_by_label("Description").fill(
        "A Markdown parser written in Go, CommonMark 0.31 compliant."
    )
    panel.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(f"**/entry/{entry.pk}/change/")
    assert page.locator("#latest-decision").count() == 0  # submitted: nothing to answer now
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    reviewer2 = context.new_page()
    sign_in(reviewer2, "reviewer2")
    reviewer2.goto(f"/admin/catalog/entry/{entry.pk}/change/")
    reviewer2.locator("#workflow-panel").get_by_label("Comment").fill("Link the spec, please.")
    reviewer2.locator("#workflow-panel").get_by_role("button", name="Request changes").click()
    reviewer2.wait_for_load_state()
    context.close()
    page.reload()
    latest = page.locator("#workflow-panel #latest-decision")
    assert "reviewer2 requested changes" in latest.inner_text()
    assert latest.locator("blockquote").inner_text() == "Link the spec, please."


def test_a_reviewer_on_their_own_submission_is_told_why_only_comment(page, demo):
    own = Entry.objects.get(curated_list=demo, title="Kakoune")
    assert own.status == Entry.Status.SUBMITTED
    assert own.submitted_by.username == "reviewer"
    sign_in(page, "reviewer")
    page.goto(f"/admin/catalog/entry/{own.pk}/change/")
    panel = page.locator("#workflow-panel")
    assert panel.locator('button[name="action"]').all_inner_texts() == ["Comment"]
    why = panel.locator("#why-no-verdict").inner_text()
    assert why.startswith("You submitted this entry, so you cannot approve")
    assert "another reviewer decides" in why


# Item 14 ---------------------------------------------------------------------------------------


def test_decision_messages_read_naturally(page, demo):
    draft = Entry.objects.get(curated_list=demo, title="Zed", proposal_for=None)
    sign_in(page, "contributor")
    page.goto(f"/admin/catalog/entry/{draft.pk}/change/")
    page.locator("#workflow-panel").get_by_role("button", name="Submit for review").click()
    page.wait_for_url(f"**/entry/{draft.pk}/change/")
    assert messages_of(page) == "“Zed” submitted for review."


def test_the_rename_message_names_the_section_by_its_new_name(page, demo):
    section = Section.objects.get(curated_list=demo, slug="parsers")
    old = str(section)
    assert old.endswith("Parsers")
    sign_in(page, "curator")
    page.goto(f"/admin/catalog/section/{section.pk}/change/")
    page.get_by_label("Title").fill("Markdown parsers")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/catalog/section/")
    said = messages_of(page)
    assert "Markdown parsers" in said
    assert f"“{old}”" not in said


def test_an_address_outside_ones_sections_says_not_in_your_sections(page, demo):
    vim = Entry.objects.get(curated_list=demo, title="Vim")
    editors = Section.objects.get(curated_list=demo, slug="editors")
    sign_in(page, "section-editor")  # a curator of Markup only
    page.goto(f"/admin/catalog/entry/{vim.pk}/change/")
    page.wait_for_url("**/admin/catalog/entry/")
    assert messages_of(page) == f"Entry {vim.pk} is not in your sections."
    page.goto(f"/admin/catalog/entry/{vim.pk}/history/")
    assert messages_of(page) == f"Entry {vim.pk} is not in your sections."
    page.goto(f"/admin/catalog/section/{editors.pk}/change/")
    page.wait_for_url("**/admin/catalog/section/")
    assert messages_of(page) == f"Section {editors.pk} is not in your sections."


# Item 15 ---------------------------------------------------------------------------------------


def test_the_site_has_a_favicon(page, demo):
    page.goto(demo.get_absolute_url())
    href = page.locator('link[rel="icon"]').get_attribute("href")
    icon = page.request.get(href)
    assert icon.ok
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in icon.text()
    # Browsers and feed readers ask for /favicon.ico whatever the page names.
    fallback = page.request.get("/favicon.ico")
    assert fallback.ok
    assert fallback.headers["content-type"].startswith("image/svg+xml")


def test_a_scheduled_time_names_its_time_zone(page, demo):
    approved = Entry.objects.get(curated_list=demo, title="Typst")
    assert approved.status == Entry.Status.APPROVED
    at = timezone.localtime() + dt.timedelta(days=3)
    sign_in(page, "curator")
    page.goto(f"/admin/catalog/entry/{approved.pk}/change/")
    panel = page.locator("#workflow-panel")
    zone = at.strftime("%Z")
    assert zone
    # The field says which clock it follows before anything is typed.
    assert panel.locator("label[for=id_publish_at]").inner_text() == f"Publish at ({zone})"
    panel.get_by_label("Publish at").fill(at.strftime("%Y-%m-%dT%H:%M"))
    panel.get_by_role("button", name="Schedule").click()
    page.wait_for_load_state()
    assert messages_of(page) == f"“Typst” is scheduled for {at:%Y-%m-%d %H:%M} {zone}."


def test_a_scheduled_entrys_page_names_the_time_zone_of_its_publish_time(page, demo):
    scheduled = Entry.objects.get(curated_list=demo, title="delta")
    assert scheduled.status == Entry.Status.SCHEDULED
    zone = timezone.localtime(scheduled.publish_at).strftime("%Z")
    sign_in(page, "curator")
    page.goto(f"/admin/catalog/entry/{scheduled.pk}/change/")
    state = page.locator("#workflow-panel p.state").inner_text()
    assert "goes live" in state
    assert zone in state.split("goes live", 1)[1]
    assert zone in page.locator(".field-publish_at").inner_text()


def test_the_readmes_contributing_link_resolves(page, demo):
    readme_url = f"{demo.get_absolute_url()}README.md"
    readme = page.request.get(readme_url)
    assert readme.ok
    [target] = set(re.findall(r"\]\((contributing\.md)\)", readme.text()))
    contributing = page.request.get(f"{demo.get_absolute_url()}{target}")
    assert contributing.ok
    assert contributing.headers["content-type"].startswith("text/markdown")
    assert "contribut" in contributing.text().lower()


def test_the_suggest_forms_descriptions_point_at_texts_that_exist(page, demo):
    page.goto(f"{demo.get_absolute_url()}suggest/")
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_load_state()
    assert page.locator("#form-errors").is_visible()
    described = page.locator("[aria-describedby]")
    assert described.count() >= 3
    dangling = described.evaluate_all(
        """fields => fields.flatMap(field => field.getAttribute('aria-describedby').split(/\\s+/)
            .filter(id => id && !document.getElementById(id)).map(id => field.name + ' → ' + id))"""
    )
    assert dangling == []
    # The link field's description reads its error out.
    link = page.get_by_label("Link")
    description = link.evaluate(
        """field => field.getAttribute('aria-describedby').split(/\\s+/)
            .map(id => document.getElementById(id).textContent.trim()).join(' ')"""
    )
    assert "required" in description.lower()


def test_permalinks_accessible_names_include_their_visible_text(page, demo):
    page.goto(demo.get_absolute_url())
    permalinks = page.locator("a.permalink")
    assert permalinks.count() >= 5
    editors = page.get_by_role("link", name="# link to section Editors", exact=True)
    assert editors.count() == 1
    assert editors.inner_text().startswith("#")
    # Every one: the name a screen reader announces starts with what is seen.
    names = permalinks.evaluate_all(
        "links => links.map(a => [a.getAttribute('aria-label'), a.textContent.trim()])"
    )
    for label, text in names:
        assert label is None or label.startswith("#"), (label, text)
        assert text.startswith("#")


def suggest(page, demo, url: str, title: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{demo.get_absolute_url()}suggest/")
    page.get_by_label("Link").fill(url)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Suggested in a test.")
    page.get_by_label("Section").select_option(label="Editors")
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_load_state()


def test_refused_suggestions_do_not_use_up_the_hourly_allowance(page, demo, settings):
    settings.SUGGESTION_RATE_LIMIT = (2, 60 * 60)
    # Three refused attempts: a duplicate, a link that is no web link, a private address.
    for url in ("https://www.vim.org", "ftp://files.example.org/", "http://10.1.2.3/"):
        suggest(page, demo, url, "Refused")
        assert page.locator("#form-errors").is_visible(), url
        assert "Too many suggestions" not in page.content()
    # The visitor's two accepted suggestions still go through.
    for n, url in enumerate(("https://lite-xl.com", "https://lapce.dev"), start=1):
        suggest(page, demo, url, f"Accepted {n}")
        page.wait_for_url(re.compile(r".*/suggest/[\w-]+/\?sent=1$"))
    # And the allowance is what it says: a third is too many.
    suggest(page, demo, "https://kate-editor.org", "Accepted 3")
    assert "Too many suggestions" in page.get_by_role("alert").first.inner_text()
    assert Suggestion.objects.filter(entry__curated_list=demo).count() >= 2
    assert set(
        Entry.objects.filter(curated_list=demo, title__startswith="Accepted").values_list(
            "title", flat=True
        )
    ) == {"Accepted 1", "Accepted 2"}


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://127.0.0.1:8000/admin/", "127.0.0.1 is not a public address"),
        ("http://192.168.1.1/", "192.168.1.1 is not a public address"),
        ("http://localhost/", "Links to this machine (localhost) cannot be suggested"),
    ],
)
def test_the_suggest_form_refuses_loopback_and_private_addresses(page, demo, url, said):
    suggest(page, demo, url, "Inside")
    errors = page.locator("#form-errors").inner_text()
    assert said in errors
    assert said in page.locator("#id_url_error").inner_text()
    assert not Entry.objects.filter(curated_list=demo, title="Inside").exists()


def test_the_atom_feed_has_iri_ids_an_author_and_links_to_the_tools(page, demo):
    page.goto(demo.get_absolute_url())
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').first
    feed = page.request.get(href.get_attribute("href"))
    assert feed.ok
    root = ET.fromstring(feed.body())
    assert root.findtext(f"{ATOM}author/{ATOM}name")
    entries = root.findall(f"{ATOM}entry")
    assert entries
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert all(re.match(r"^tag:[^,\s]+,\d{4}-\d{2}-\d{2}:entry/\d+$", i) for i in ids), ids
    assert len(set(ids)) == len(ids)
    for entry in entries:
        pk = int(entry.findtext(f"{ATOM}id").rsplit("/", 1)[1])
        tool = Entry.objects.get(pk=pk)
        related = [
            link.get("href")
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel") == "related"
        ]
        assert related == ([tool.url] if tool.url else [])
    # The feed reader's link to the tool opens it; the entry link lands on its place in the list.
    first = entries[0]
    alternate = next(
        link.get("href")
        for link in first.findall(f"{ATOM}link")
        if link.get("rel") in (None, "alternate")
    )
    page.goto(alternate)
    anchor = alternate.split("#", 1)[1]
    assert page.locator(f"#{anchor}").is_visible()
