"""Every kind of page under the Content-Security-Policy, in a real browser: nothing refused.

A page that needs an inline script or style, a CDN font or an eval would log "Refused to …"
and fire a ``securitypolicyviolation`` event; either fails the test, with what was refused.
"""

from __future__ import annotations

import pytest

from catalog.models import Entry
from tests.demo import sign_in
from tests.factories import CuratedListFactory, EntryFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any script of a page runs, so violations during loading are caught too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} at ` +
    `${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def watched(page):  # type: ignore[no-untyped-def]
    """The page, with every CSP complaint of the console and the DOM collected."""
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(f"console: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.complaints = complaints
    return page


def visit(page, path: str, *, ready: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Open ``path``, wait until it is settled (and ``ready`` shows), return its complaints."""
    page.complaints.clear()
    response = page.goto(path)
    assert response is not None
    assert response.status < 400, f"{path}: HTTP {response.status}"
    assert "content-security-policy" in response.headers, f"{path} has no CSP header"
    if ready:
        page.locator(ready).first.wait_for(state="visible", timeout=30_000)
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__cspViolations || []")
    return [f"{path}: {complaint}" for complaint in [*page.complaints, *found]]


def test_recorder_reports_a_violation(watched, live_server, demo):
    """The check can fail: an inline script injected into a page is refused and reported."""
    visit(watched, "/")
    watched.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.append(s); }"""
    )
    watched.wait_for_function("() => window.__cspViolations.length > 0")
    assert watched.evaluate("window.ran") is None
    assert "script-src" in watched.evaluate("window.__cspViolations")[0]


def test_public_pages_load_without_csp_violations(watched, live_server, demo):
    entry = Entry.objects.published().filter(curated_list=demo, tags__name="Rust").first()
    assert entry is not None
    pages = [
        "/",
        demo.get_absolute_url(),
        f"/lists/{demo.slug}/search/?q=editor",
        f"/lists/{demo.slug}/tags/{entry.tags.get(name='Rust').slug}/",
        f"/lists/{demo.slug}/suggest/",
        "/admin/login/",
    ]
    complaints = [complaint for path in pages for complaint in visit(watched, path)]
    # The list page's filter script ran: its box is shown only by JavaScript.
    visit(watched, demo.get_absolute_url())
    assert watched.get_by_label("Filter this page").is_visible()
    assert complaints == [], "\n".join(complaints)


def test_suggestion_and_its_status_page_without_csp_violations(watched, live_server, demo):
    visit(watched, f"/lists/{demo.slug}/suggest/")
    watched.get_by_label("Link").fill("https://csp.example.org/tool")
    watched.get_by_label("Title").fill("CSP Tool")
    watched.get_by_role("button", name="Send suggestion").click()
    watched.wait_for_url("**/suggest/*/?sent=1")
    watched.wait_for_load_state("networkidle")
    assert watched.evaluate("window.__cspViolations") == []
    assert watched.complaints == []


def test_admin_pages_as_a_curator_without_csp_violations(watched, live_server, demo):
    sign_in(watched, "curator")
    entry = Entry.objects.filter(curated_list=demo, status=Entry.Status.PUBLISHED).first()
    assert entry is not None
    pages = [
        ("/admin/", "#review-queue"),
        ("/admin/catalog/entry/", "#result_list"),
        (f"/admin/catalog/entry/{entry.pk}/change/", "#entry_form"),
        (f"/admin/catalog/entry/{entry.pk}/history/", "#version-list"),
        ("/admin/catalog/entry/add/", "#entry_form"),
        ("/admin/catalog/section/", "#result_list"),
        (f"/admin/catalog/curatedlist/{demo.pk}/change/", "#curatedlist_form"),
        (f"/admin/catalog/curatedlist/{demo.pk}/import-readme/", "#import-readme-form"),
    ]
    complaints = [c for path, ready in pages for c in visit(watched, path, ready=ready)]
    # The admin's own scripts run: the entry form's tag and section widgets are alive.
    visit(watched, f"/admin/catalog/entry/{entry.pk}/change/")
    assert watched.locator("#workflow-panel").is_visible()
    assert complaints == [], "\n".join(complaints)


def test_api_docs_render_without_csp_violations(watched, live_server, demo):
    complaints = visit(watched, "/api/docs/", ready=".swagger-ui .info .title")
    assert "Awesome Curator API" in watched.locator(".swagger-ui .info .title").inner_text()
    complaints += visit(watched, "/api/redoc/", ready="redoc h1")
    assert "Awesome Curator API" in watched.locator("redoc h1").first.inner_text()
    complaints += visit(watched, "/api/lists/", ready="#content")
    assert complaints == [], "\n".join(complaints)


def test_list_page_shows_curators_https_images_without_csp_violations(watched, live_server):
    """Prose may show an image from anywhere (the README does); only the list page allows it."""
    intro = "Our logo: ![logo](https://images.example.org/logo.png)"
    curated_list = CuratedListFactory(slug="with-logo", intro=intro)
    EntryFactory(section=SectionFactory(curated_list=curated_list))
    assert visit(watched, curated_list.get_absolute_url()) == []
    assert watched.locator(".intro img").get_attribute("src") == (
        "https://images.example.org/logo.png"
    )
    # Elsewhere the policy is 'self' and data: only: the same image would be refused.
    visit(watched, "/")
    watched.evaluate(
        """() => { const img = new Image();
                   img.src = "https://images.example.org/logo.png"; document.body.append(img); }"""
    )
    watched.wait_for_function("() => window.__cspViolations.length > 0")
    assert "img-src" in watched.evaluate("window.__cspViolations")[0]


def test_lockout_page_without_csp_violations(watched, live_server, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        watched.goto("/admin/login/")
        watched.get_by_label("Username").fill("curator")
        watched.get_by_label("Password").fill("not the password")
        watched.get_by_role("button", name="Log in").click()
        watched.wait_for_load_state("networkidle")
    assert watched.get_by_role("heading", name="Too many failed sign-ins").is_visible()
    assert watched.evaluate("window.__cspViolations") == []
    assert watched.complaints == []
