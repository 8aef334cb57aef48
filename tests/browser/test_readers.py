"""A reader sorts awesome-go by stars and keeps the maintained projects, in the real browser
(issue 16, "Readers"): the list imported from the corpus, each entry given stored repository
figures, the page sorted and filtered in place by its script, announced in a live region, and
clean under axe. Screenshot for the docs: docs/screenshots/public-list-sorted.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from catalog.importer import read_readme, store_document
from catalog.models import CuratedList, Entry, RepositoryInfo
from catalog.querysets import stale_before
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import audit
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.conftest import CORPUS, require_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AWESOME_GO = CORPUS / "avelino__awesome-go.md"


@pytest.fixture
def awesome_go() -> CuratedList:
    """awesome-go as imported, every entry with figures a forge might give: stars spread out,
    a third quiet for over a year, one in thirteen archived."""
    require_or_skip(AWESOME_GO.is_file(), f"the corpus is not at {CORPUS}")
    doc, _ = read_readme(AWESOME_GO.read_bytes())
    curated_list = store_document(doc, slug="awesome-go").curated_list
    curated_list.show_repository_figures = True
    curated_list.save()
    now = timezone.now()
    RepositoryInfo.objects.bulk_create(
        RepositoryInfo(
            entry_id=pk,
            forge="github",
            host="github.com",
            full_name=f"owner/{pk}",
            url=url,
            stars=(pk * 7919) % 50_000,
            last_activity_at=now - dt.timedelta(days=(pk * 31) % 1100),
            archived=pk % 13 == 0,
            license=("MIT", "Apache-2.0", "BSD-3-Clause")[pk % 3],
            fetched_at=now,
        )
        for pk, url in Entry.objects.for_list(curated_list).published().values_list("pk", "url")
    )
    cache.clear()
    return curated_list


def entry_pk(anchor: str) -> int:
    return int(re.fullmatch(r"entry-(\d+)(-in-\d+)?", anchor).group(1))


def test_reader_sorts_awesome_go_by_stars_and_keeps_the_maintained(page, awesome_go):
    figures = {
        info.entry_id: info
        for info in RepositoryInfo.objects.filter(entry__curated_list=awesome_go)
    }
    page.context.add_init_script(RECORD_VIOLATIONS)  # the script runs under the site's CSP
    page.goto(awesome_go.get_absolute_url())
    total = page.locator("li.entry").count()
    # The section with the most links, its entries in the list's order.
    lists = page.locator("ul.entries")
    sizes = lists.evaluate_all("uls => uls.map(ul => ul.children.length)")
    biggest = lists.nth(sizes.index(max(sizes)))

    def anchors() -> list[str]:
        return biggest.evaluate("ul => Array.from(ul.children, li => li.id)")

    list_order = anchors()
    assert len(list_order) > 20

    page.get_by_label("Sort by").select_option(label="Stars")
    status = page.locator("#filter-status")
    page.wait_for_function(
        "() => /sorted by stars/.test(document.getElementById('filter-status').textContent)"
    )
    by_stars = anchors()
    stars = [figures[entry_pk(anchor)].stars for anchor in by_stars]
    assert sorted(by_stars) == sorted(list_order)
    assert stars == sorted(stars, reverse=True), "most stars first, from the stored figures"
    assert by_stars != list_order
    # Each entry shows its figures (the list enables them).
    first = biggest.locator("li.entry").first
    assert f"{stars[0]:,}" in first.locator(".repo-figures").inner_text()

    page.get_by_label("Maintained only").check()
    cutoff = stale_before()
    maintained = {
        pk for pk, info in figures.items() if not info.archived and info.last_activity_at >= cutoff
    }
    shown = page.locator("li.entry:not([hidden])").evaluate_all("lis => lis.map(li => li.id)")
    assert {entry_pk(anchor) for anchor in shown} == maintained
    assert re.fullmatch(
        rf"{len(shown)} of {total} links shown, sorted by stars", status.inner_text()
    )
    assert status.get_attribute("role") == "status"
    # Still most stars first among those shown.
    visible = [a for a in anchors() if a in set(shown)]
    visible_stars = [figures[entry_pk(a)].stars for a in visible]
    assert visible_stars == sorted(visible_stars, reverse=True)
    screenshot(page, "public-list-sorted")

    # The choices are in the address: a reload (the same cached page) shows the same view.
    assert page.url.endswith("?sort=stars&maintained=1")
    page.reload()
    page.wait_for_function(
        "() => /sorted by stars/.test(document.getElementById('filter-status').textContent)"
    )
    assert page.get_by_label("Maintained only").is_checked()
    assert page.locator("li.entry:not([hidden])").count() == len(shown)

    problems = audit(page)
    assert problems == [], "\n".join(problems)
    assert page.evaluate("window.__cspViolations") == []

    # Back to the list's order, everything shown.
    page.get_by_label("Maintained only").uncheck()
    page.get_by_label("Sort by").select_option(label="List order")
    page.wait_for_function("() => document.getElementById('filter-status').textContent === ''")
    assert anchors() == list_order
    assert page.locator("li.entry:not([hidden])").count() == total
    assert page.url.endswith(awesome_go.get_absolute_url())


def test_without_script_the_form_asks_the_search_page(browser, live_server, awesome_go):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(awesome_go.get_absolute_url())
    page.get_by_label("Sort by").select_option(label="Stars")
    page.get_by_label("Maintained only").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/search/\?sort=stars&"))
    cutoff = stale_before()
    maintained = (
        RepositoryInfo.objects.filter(
            entry__curated_list=awesome_go, archived=False, last_activity_at__gte=cutoff
        )
        .order_by("-stars", "entry__section__tree_path", "entry__position", "entry_id")
        .values_list("entry_id", flat=True)
    )
    heading = page.locator("#results-heading").inner_text()
    assert heading == f"{len(maintained)} links"
    shown = page.locator("ol.results li.entry").evaluate_all("lis => lis.map(li => li.id)")
    assert [entry_pk(anchor) for anchor in shown] == list(maintained[: len(shown)])
    # (axe needs scripts: the search page is audited in test_accessibility.py.)
    context.close()
