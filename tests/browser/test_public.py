"""The public site in a real browser: read a list, search and filter, follow a tag, suggest a
link; a reviewer approves and a curator publishes it in the admin; it shows on the page and in
both feeds. Screenshots for the README (docs/screenshots/public-*.png)."""

from __future__ import annotations

import json
import re

import pytest

from catalog.models import Entry
from tests.browser.conftest import screenshot
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_visitor_browses_searches_filters_and_follows_a_tag(page, browser, live_server, demo):
    page.goto("/")
    screenshot(page, "public-home")
    page.get_by_role("link", name=demo.title).click()
    page.wait_for_url(f"**{demo.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == demo.title
    published = Entry.objects.published().filter(curated_list=demo).count()
    assert page.locator("li.entry").count() == published
    screenshot(page, "public-list")

    # The skip link is the first stop of the keyboard and lands on the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")

    # Filter as you type (the only script of the page): other entries hide.
    page.get_by_label("Filter this page").fill("neovim")
    page.wait_for_function("() => document.querySelectorAll('li.entry:not([hidden])').length === 1")
    assert page.get_by_role("status").filter(has_text="links shown").inner_text().startswith("1 of")
    page.get_by_label("Filter this page").fill("")

    # Search, then narrow with a filter: both stay in the address, the results agree.
    page.get_by_label(f"Search {demo.title}").fill("editor")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=editor")
    found = page.locator("ol.results li.entry").count()
    assert found >= 2
    page.get_by_label("Marker").select_option(label="⭐ Editor's pick")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*q=editor.*marker=editors-pick.*"))
    picks = page.locator("ol.results li.entry")
    assert 1 <= picks.count() < found
    assert "Vim" in picks.all_inner_texts()[0] or "Vim" in " ".join(picks.all_inner_texts())

    # Follow a tag from the list page.
    page.goto(demo.get_absolute_url())
    page.locator(
        "#" + Entry.objects.get(curated_list=demo, title="Neovim").get_absolute_url().split("#")[1]
    ).get_by_role("link", name="Lua").click()
    page.wait_for_url("**/tags/lua/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tagged Lua"
    assert page.locator("li.entry").filter(has_text="Neovim").count() == 1

    # The same page on a phone: one column, nothing wider than the screen.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, device_scale_factor=2)
    small = phone.new_page()
    small.goto(demo.get_absolute_url())
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(small, "public-list-phone")
    phone.close()


def test_dark_mode_follows_the_system(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, color_scheme="dark")
    page = context.new_page()
    page.goto(demo.get_absolute_url())
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(13, 17, 23)"
    context.close()


def test_suggestion_is_reviewed_published_and_shown_in_page_and_feeds(
    page, browser, live_server, demo
):
    # A visitor without an account suggests a link.
    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="Suggest a link").click()
    page.get_by_label("Link").fill("https://lite-xl.com")
    page.get_by_label("Title").fill("Lite XL")
    page.get_by_label("Description").fill("A lightweight editor, *extensible* in Lua.")
    page.get_by_label("Section").select_option(label="Editors")
    page.get_by_label("Your email (optional)").fill("lite.fan@example.org")
    screenshot(page, "public-suggest", full_page=True)
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_url(re.compile(r".*/suggest/[\w-]+/\?sent=1$"))
    assert page.locator("#suggestion-status").inner_text() == "Waiting for review"
    status_link = page.locator("code.status-link").inner_text()
    entry = Entry.objects.get(curated_list=demo, title="Lite XL")
    assert entry.status == Entry.Status.SUBMITTED

    # A reviewer approves it in the admin, with the decision buttons of the entry page.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    admin = context.new_page()
    sign_in(admin, "reviewer")
    admin.goto(f"/admin/catalog/entry/{entry.pk}/change/")
    panel = admin.locator("#workflow-panel")
    panel.get_by_label("Comment").fill("A fine modal editor; welcome.")
    panel.get_by_role("button", name="Approve").click()
    assert "ready to publish" in admin.locator("ul.messagelist").inner_text()
    context.close()

    # A curator publishes it.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    admin = context.new_page()
    sign_in(admin, "curator")
    admin.goto(f"/admin/catalog/entry/{entry.pk}/change/")
    admin.locator("#workflow-panel").get_by_role("button", name="Publish now").click()
    assert "is published." in admin.locator("ul.messagelist").inner_text()
    context.close()

    # On the public page (the cached copy was dropped), with its Markdown rendered…
    page.goto(demo.get_absolute_url())
    item = page.locator(f"#entry-{entry.pk}")
    assert item.get_by_role("link", name="Lite XL", exact=True).get_attribute("href") == (
        "https://lite-xl.com"
    )
    assert item.locator("em").inner_text() == "extensible"
    # …in both feeds, first…
    atom = page.request.get(f"{demo.get_absolute_url()}feed.atom").text()
    assert re.search(r"<entry><title>Lite XL</title>", atom)
    feed = json.loads(page.request.get(f"{demo.get_absolute_url()}feed.json").text())
    assert feed["items"][0]["title"] == "Lite XL"
    site = json.loads(page.request.get("/feed.json").text())
    assert site["items"][0]["external_url"] == "https://lite-xl.com"
    # …and the visitor's status link says so.
    page.goto(status_link)
    assert page.locator("#suggestion-status").inner_text() == "Published"
