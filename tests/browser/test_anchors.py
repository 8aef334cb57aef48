"""Links that land: a jump to a section (by the README's anchor, or the old ``section-N`` id)
or to an entry (``#entry-N``, what "View on site" and the feeds link to) shows its target
below the sticky filter box, highlighted, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from catalog.models import Entry, Section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

TRANSPARENT = "rgba(0, 0, 0, 0)"
# The target's top edge, the sticky box's bottom edge, and the target's highlight.
GEOMETRY = """(id) => {
  const target = document.getElementById(id);
  const box = document.querySelector('.filter-box');
  return {
    top: target.getBoundingClientRect().top,
    boxBottom: box.hidden ? 0 : box.getBoundingClientRect().bottom,
    scrolled: window.scrollY,
    background: getComputedStyle(target.matches('section') ? target.firstElementChild : target)
      .backgroundColor,
    height: window.innerHeight,
  };
}"""


def _context(browser, live_server, viewport: dict):  # type: ignore[no-untyped-def]
    # Reduced motion: the page scrolls smoothly otherwise, and a measure would catch it midway.
    return browser.new_context(base_url=live_server.url, viewport=viewport, reduced_motion="reduce")


def _landing(browser, live_server, url: str, target_id: str, viewport: dict) -> dict:
    context = _context(browser, live_server, viewport)
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function("() => !document.querySelector('.filter-box').hidden")
        page.wait_for_timeout(100)
        return page.evaluate(GEOMETRY, target_id)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_jumps_land_below_the_sticky_box_and_are_highlighted(browser, live_server, demo, viewport):
    # Targets from the middle of the page, so that the page can scroll them to the top.
    entries = list(
        Entry.objects.published()
        .filter(curated_list=demo)
        .order_by("section__tree_path", "position")
    )
    entry = entries[len(entries) // 2]
    sections = list(Section.objects.filter(curated_list=demo).order_by("tree_path"))
    deep = sections[len(sections) // 2]
    page_url = demo.get_absolute_url()
    targets = [
        (entry.get_absolute_url(), entry.get_absolute_url().split("#")[1]),
        (deep.get_absolute_url(), deep.get_absolute_url().split("#")[1]),  # section-N, old id
    ]
    for url, target_id in targets:
        seen = _landing(browser, live_server, url, target_id, viewport)
        assert seen["scrolled"] > 0, url  # it did jump
        assert seen["top"] >= seen["boxBottom"], (url, seen)  # not hidden under the box
        assert seen["top"] < seen["height"] / 2, (url, seen)  # near the top of the screen
        assert seen["background"] != TRANSPARENT, (url, seen)  # highlighted as :target
    # The README's anchor of the same section lands the same way.
    context = _context(browser, live_server, viewport)
    page = context.new_page()
    page.goto(page_url)
    heading_id = page.locator(f"#{deep.anchor} > :first-child").get_attribute("id")
    context.close()
    assert heading_id
    assert not heading_id.startswith("section-")
    seen = _landing(browser, live_server, f"{page_url}#{heading_id}", heading_id, viewport)
    assert seen["boxBottom"] <= seen["top"] < seen["height"] / 2, seen
    assert seen["background"] != TRANSPARENT, seen


def test_contents_links_use_the_readmes_anchors_and_land(browser, live_server, demo):
    page = _context(browser, live_server, DESKTOP).new_page()
    page.goto(demo.get_absolute_url(), wait_until="load")
    readme = page.request.get(f"{demo.get_absolute_url()}README.md").text()
    link = page.locator(".contents a").nth(3)
    href = link.get_attribute("href")
    assert href.startswith("#")
    assert f"]({href})" in readme
    link.click()
    page.wait_for_timeout(200)
    seen = page.evaluate(GEOMETRY, href[1:])
    assert seen["boxBottom"] <= seen["top"] < seen["height"] / 2, seen
    assert seen["background"] != TRANSPARENT, seen
