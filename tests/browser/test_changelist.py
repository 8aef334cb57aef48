"""The curator's entries changelist fits a 1366 px laptop screen: no sideways scrolling, even
with link-health and repository badges; proposals look unlike new submissions; the list column
shows only where it tells entries apart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from catalog.models import Entry, LinkHealth, RepositoryInfo
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
OVERFLOW = """() => {
  const results = document.querySelector('.results');
  return {scroll: results.scrollWidth, client: results.clientWidth,
          page: document.documentElement.scrollWidth, width: innerWidth};
}"""


def _headers(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Column titles as read, without the sort-order digits Django puts before them."""
    texts = page.locator("#result_list thead th").all_inner_texts()
    return [text.strip().splitlines()[-1].strip().lower() for text in texts if text.strip()]


def _badges(demo) -> None:
    """The widest values the link and repository columns show, on every published entry."""
    now = timezone.now()
    for n, entry in enumerate(Entry.objects.published().filter(curated_list=demo)):
        LinkHealth.objects.create(
            entry=entry,
            state=LinkHealth.State.FAILING if n % 2 else LinkHealth.State.REDIRECTED,
            checked_url=entry.url,
            status_code=503,
            error="Service unavailable after 3 tries",
            checked_at=now,
            first_failed_at=now,
        )
        RepositoryInfo.objects.create(
            entry=entry,
            forge=RepositoryInfo.Forge.GITHUB,
            host="github.com",
            full_name=f"someone-with-a-long-name/project-{n}",
            url=f"https://github.com/someone-with-a-long-name/project-{n}",
            stars=123_456,
            last_activity_at=now - dt.timedelta(days=900),
            fetched_at=now,
        )


def test_changelist_fits_a_laptop_and_marks_proposals(browser, live_server, demo):
    _badges(demo)
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP)
    context.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    page = context.new_page()
    sign_in(page, "curator")
    page.goto("/admin/catalog/entry/")
    seen = page.evaluate(OVERFLOW)
    assert seen["scroll"] <= seen["client"], seen  # the table needs no sideways scrolling
    assert seen["page"] <= seen["width"], seen
    headers = _headers(page)
    assert "curated list" not in headers  # a curator of one list
    assert {"title", "section", "status", "from", "updated", "link", "repository"} <= set(headers)

    # A proposed edit is marked; a new submission is not.
    proposal = Entry.objects.filter(curated_list=demo, proposal_for__isnull=False).first()
    row = page.locator("#result_list tbody tr").filter(
        has=page.locator(f'a[href$="/entry/{proposal.pk}/change/"]')
    )
    assert row.locator(".kind-proposal").inner_text() == "edit"
    submission = Entry.objects.get(curated_list=demo, title="goldmark")
    row = page.locator("#result_list tbody tr").filter(
        has=page.locator(f'a[href$="/entry/{submission.pk}/change/"]')
    )
    assert row.locator(".kind-proposal").count() == 0
    context.close()


def test_list_column_for_someone_on_several_lists_unless_filtered(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, "admin")  # a superuser reaches every list
    page.goto("/admin/catalog/entry/")
    assert "curated list" in _headers(page)
    page.goto(f"/admin/catalog/entry/?curated_list__id__exact={demo.pk}")
    assert "curated list" not in _headers(page)
    context.close()
