"""axe-core over the public pages and three admin pages, in the real browser: no violation at
any impact, and nothing that axe could not decide ("needs review") of serious or critical
impact. axe-core is the copy shipped in the axe-playwright-python wheel (pinned in
pyproject.toml), injected into each page by Playwright."""

from __future__ import annotations

import pytest

from catalog.models import Entry
from tests.demo import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def audit(page) -> list[str]:  # type: ignore[no-untyped-def]
    """What axe finds on the page as it stands: one line per problem, empty when clean."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    found = [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results["violations"]
    ]
    found += [
        f"{page.url} needs review {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results["incomplete"]
        if v["impact"] in SERIOUS
    ]
    return found


def test_public_pages_have_no_accessibility_problems(page, demo):
    entry = Entry.objects.published().filter(curated_list=demo).first()
    tag = entry.tags.first()
    urls = [
        "/",
        demo.get_absolute_url(),
        f"{demo.get_absolute_url()}search/?q=editor",
        f"{demo.get_absolute_url()}search/?q=%20&section=999999",  # a form with an error
        f"{demo.get_absolute_url()}tags/{tag.slug}/",
        f"{demo.get_absolute_url()}suggest/",
    ]
    problems = []
    for url in urls:
        page.goto(url)
        problems += audit(page)
    # The suggest form after a refused attempt shows its errors.
    page.goto(f"{demo.get_absolute_url()}suggest/")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    problems += audit(page)
    assert problems == [], "\n".join(problems)


def test_admin_pages_have_no_accessibility_problems(page, demo):
    sign_in(page, "curator")
    entry = Entry.objects.filter(curated_list=demo, title="goldmark").first()
    problems = []
    for url in ("/admin/", "/admin/catalog/entry/", f"/admin/catalog/entry/{entry.pk}/change/"):
        page.goto(url)
        problems += audit(page)
    assert problems == [], "\n".join(problems)


def test_text_between_two_lists_reads_well_and_its_link_lands(page):
    """Issue 12: a section's list cut by text (``Entry.lead_in``) has no accessibility problem,
    and the text's link to another section (stored by identity) lands on its heading."""
    from catalog.importer import read_readme, store_document
    from tests.catalog.test_importer import BETWEEN_LISTS

    doc, _ = read_readme(BETWEEN_LISTS.encode())
    curated_list = store_document(doc, slug="awesome-teapots").curated_list
    page.goto(curated_list.get_absolute_url())
    lead_in = page.locator(".section-lead-in").first
    assert lead_in.inner_text().startswith("The ones below need a stove")
    assert audit(page) == []
    lead_in.locator("a").click()
    page.wait_for_timeout(200)
    assert page.url.endswith("#glass")
    assert page.locator("h2#glass").is_visible()
