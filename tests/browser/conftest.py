"""A real browser for the public pages and the admin: Playwright driving Debian's chromium.

Playwright's own browser download cannot run here (no internet); the tests use the chromium
package instead (`apt-get install chromium`, which .ci/run does when it is missing). Outside CI
a machine without it skips these tests with that message; in CI they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import REPO_ROOT, require_or_skip

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
# Chromium calls home at start-up unless told not to; this machine has no network to spare.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Package scope: Playwright's event loop stops when the browser tests are done, instead of
# running under every later test (code that starts its own loop would refuse to).
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    require_or_skip(
        os.path.exists(CHROMIUM), f"no chromium at {CHROMIUM} (apt-get install chromium)"
    )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the tests' own ORM
    # calls (fixtures, assertions) are still plain synchronous code, which Django must allow.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser context per test, aimed at the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    # The admin's navigation sidebar halves a screenshot; start with it folded.
    context.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str, *, full_page: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Take a screenshot; with UPDATE_SCREENSHOTS=1 (`make screenshots`) save it for the docs.

    Every run takes it (a page that cannot be captured fails the test), but only an explicit
    update rewrites docs/screenshots/NAME.png, so running the suite leaves the tree clean.
    """
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
    else:
        assert page.screenshot(full_page=full_page)
