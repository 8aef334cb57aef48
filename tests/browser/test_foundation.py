"""In a real browser: the home page, a list page, and the admin as each demo account sees it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_demo_list(page, demo):
    page.goto("/")
    link = page.get_by_role("link", name=demo.title)
    link.focus()
    screenshot(page, "home")
    link.click()
    page.wait_for_url(f"**{demo.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == demo.title
    page.get_by_role("link", name="Markup", exact=True).click()
    assert page.url.endswith("#markup")  # the README's anchor for the section
    screenshot(page, "list-page")


@pytest.mark.parametrize(
    ("username", "can_edit_list_settings", "sees_memberships"),
    [
        ("admin", True, True),
        ("curator", True, True),
        ("section-editor", False, True),
        ("reviewer", False, False),
        ("contributor", False, False),
    ],
)
def test_each_demo_account_sees_what_its_role_allows(
    page, demo, username, can_edit_list_settings, sees_memberships
):
    sign_in(page, username)
    assert page.get_by_role("link", name="Entries", exact=True).is_visible()
    assert page.get_by_role("link", name="Memberships").count() == (1 if sees_memberships else 0)
    page.goto(f"/admin/catalog/curatedlist/{demo.pk}/change/")
    assert (page.locator('input[name="_save"]').count() == 1) is can_edit_list_settings
    page.goto("/admin/catalog/entry/")
    assert page.locator("#result_list").is_visible()
    if username == "curator":
        screenshot(page, "admin-entries")
        page.goto(f"/admin/catalog/curatedlist/{demo.pk}/change/")
        page.locator("#sections-group").scroll_into_view_if_needed()
        screenshot(page, "admin-section-tree")
