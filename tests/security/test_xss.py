"""Hostile input through every way in, inert through every way out.

Ways in: the admin (list settings with legend and footer, sections, entries with tags and extra
links), the API's submissions, the public suggestion form, and README import (the parser, the
admin's Import README, ``manage.py import_readme``). Ways out: the public pages, the Atom and
JSON feeds, the API (JSON and the browsable HTML), the list document, the exported README
(rendered by the most trusting renderer, and checked for its shape), and the admin's pages.

A way in may refuse a payload: then the test checks that it says so.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.document_json import document_from_json
from catalog.export import export_files
from catalog.importer import read_readme, store_document
from catalog.markdown.render import render_files
from catalog.markdown.safety import REPAIR_KIND
from catalog.models import CuratedList, Entry, Section
from curation.models import Role
from tests.factories import (
    CuratedListFactory,
    FooterBlockFactory,
    MarkerFactory,
    MembershipFactory,
    SectionFactory,
    UserFactory,
)
from tests.htmlforms import form_data
from tests.security.inert import (
    active_markup,
    atom_active_markup,
    readme_active_markup,
    readme_outline,
)

pytestmark = pytest.mark.django_db

# Script and link injection, in HTML and in Markdown.
XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<javascript:alert(1)>",
    "<iframe src=https://evil.example/></iframe>",
    "<style>body{display:none}</style>",
]
# Markdown that would change the README's structure from a one-line field.
BREAKERS = [
    "Broken\n# Injected heading",
    "Broken\n- [Injected item](https://injected.example/) - Added.",
    "Broken\n\n| a | b |\n| - | - |\n| c | d |",
    "Broken ``` fence",
    "Broken `tick",
    "Broken <!-- never closed",
    "Broken | pipe | row",
    "# Heading at the start",
    "> Quote at the start",
    "- Item at the start",
    "1. Number at the start",
]
# One-line fields (titles, labels, tags) refuse a line break outright (catalog.validation);
# the rest of the breakers must be stored as typed and stay inert.
LINE_PAYLOADS = XSS + [payload for payload in BREAKERS if "\n" not in payload]
NEWLINE_PAYLOADS = [payload for payload in BREAKERS if "\n" in payload]
REFUSED_LINE_BREAK = "It contains a line break"
# Block fields (intro, section descriptions, footers) are Markdown with headings and lists on
# purpose; what they must not do is run, or stay open and swallow what follows them.
BLOCK_PAYLOADS = [
    *XSS,
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "<!-- a comment that never ends",
    "```\na fence that never ends",
    "<pre>\nnever closed",
]
TAG_PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)"]
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "java\tscript:alert(1)",
]
ENTRY_URL = "https://payload.example/"


def one_line(text: str) -> str:
    return " ".join(text.split())


def publish_everything(curated_list: CuratedList) -> None:
    """Publishing is not what these tests are about: every entry goes live at once."""
    Entry.objects.filter(curated_list=curated_list, proposal_for=None).update(
        status=Entry.Status.PUBLISHED, published_at=timezone.now()
    )
    cache.clear()


# --- the ways out ---------------------------------------------------------------------------


def assert_inert_everywhere(client, curated_list: CuratedList, *, admin=None) -> None:
    """Every page, feed, API answer, README and admin screen that shows the list is inert."""
    cache.clear()
    curated_list = CuratedList.objects.get(pk=curated_list.pk)  # as the ways in left it
    published = list(Entry.objects.published().filter(curated_list=curated_list))
    assert published, "nothing published: the test would check nothing"
    slug = curated_list.slug
    list_url = curated_list.get_absolute_url()
    tags = {tag.slug for entry in published for tag in entry.tags.all()}
    pages = [
        "/",
        list_url,
        f"{list_url}search/?q=Broken",
        f"{list_url}search/?q=alert",
        f"{list_url}search/?q=%3Cscript%3Ealert(1)%3C/script%3E",
        *(f"{list_url}tags/{tag}/" for tag in tags),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert active_markup(response.content.decode()) == [], url

    for url in (f"{list_url}feed.atom", "/feed.atom"):
        response = client.get(url)
        assert response.status_code == 200
        assert atom_active_markup(response.content) == [], url
    for url in (f"{list_url}feed.json", "/feed.json"):
        items = client.get(url).json()["items"]
        assert items
        for item in items:
            assert active_markup(item["content_html"], own_scripts=False) == [], item

    for url in (
        f"/api/lists/{slug}/",
        f"/api/entries/?list={slug}",
        f"/api/lists/{slug}/document/",
        f"/api/lists/{slug}/sections/",
    ):
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff"
        json.loads(response.content)  # data, in a container a browser will not run
        browsable = client.get(url, HTTP_ACCEPT="text/html")
        assert active_markup(browsable.content.decode()) == [], url

    readme = client.get(f"{list_url}README.md").content.decode()
    assert readme == export_files(curated_list)["README.md"]
    assert_readme_inert_and_intact(readme, curated_list)
    document = client.get(f"/api/lists/{slug}/document/").json()
    assert_regenerated_readme_is_the_export(document, readme)

    if admin is not None:
        assert_admin_inert(admin, curated_list)


def assert_readme_inert_and_intact(readme: str, curated_list: CuratedList) -> None:
    """Nothing runs in the README, and it has exactly the list's headings and entries, each
    entry's title whole inside its own list item."""
    assert readme_active_markup(readme) == []
    outline = readme_outline(readme)
    sections = list(Section.objects.for_list(curated_list).in_tree_order())
    heading_texts = [text for _, text in outline.headings]
    for section in sections:
        assert one_line(section.title) in heading_texts
    footers = [b for b in curated_list.footer_blocks.all() if b.title != "License"]
    has_contents = len(sections) + len(footers) > 0
    assert len(outline.headings) == 1 + has_contents + len(sections) + len(footers), (
        outline.headings
    )
    # Every list item is an entry or a line of the table of contents; each entry is one
    # top-level item that starts with its whole title (and links its URL first, if it has one).
    contents = [item for item in outline.items if item.hrefs[:1] and item.hrefs[0][:1] == "#"]
    items = [item for item in outline.items if all(item is not line for line in contents)]
    published = list(Entry.objects.published().filter(curated_list=curated_list))
    assert len(items) == len(published), [item.text for item in items]
    for entry in published:
        title = one_line(entry.title)
        found = [
            item
            for item in items
            if (item.hrefs[:1] == [entry.url] if entry.url else item.text.startswith(title))
        ]
        assert found, (entry.title, entry.url)
        assert found[0].depth == 0
        assert found[0].text.startswith(title), (found[0].text, title)


def assert_regenerated_readme_is_the_export(document: dict, readme: str) -> None:
    """An integrator's README, rendered from the list document, is the same inert file."""
    doc = document_from_json(document)
    assert render_files(doc)["README.md"] == readme


def assert_admin_inert(client, curated_list: CuratedList) -> None:
    entries = Entry.objects.filter(curated_list=curated_list)
    pages = [
        reverse("admin:index"),
        reverse("admin:catalog_entry_changelist") + f"?curated_list__id__exact={curated_list.pk}",
        reverse("admin:catalog_entry_changelist") + "?q=alert",
        reverse("admin:catalog_entry_changelist") + "?queue=review",
        reverse("admin:catalog_entry_changelist") + "?queue=mine",
        reverse("admin:catalog_section_changelist"),
        reverse("admin:catalog_curatedlist_change", args=[curated_list.pk]),
        *(reverse("admin:catalog_entry_change", args=[entry.pk]) for entry in entries[:8]),
        *(reverse("admin:catalog_entry_history", args=[entry.pk]) for entry in entries[:4]),
        # A proposed edit shows its diff against the live entry.
        *(
            reverse("admin:catalog_entry_change", args=[proposal.pk])
            for proposal in entries.filter(proposal_for__isnull=False)
        ),
        *(
            reverse("admin:catalog_section_change", args=[section.pk])
            for section in Section.objects.for_list(curated_list)[:4]
        ),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert active_markup(response.content.decode()) == [], url


# --- the ways in ----------------------------------------------------------------------------


@pytest.fixture
def superuser_client():
    """Signed in as a superuser; the ``client`` fixture stays an anonymous visitor."""
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    return admin


def admin_form(client, url: str, form_id: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return form_data(page.content.decode(), form_id)


def entry_form(section: Section, n: int, **fields) -> dict:
    data = {
        "section": section.pk,
        "title": f"Tool {n}",
        "url": f"{ENTRY_URL}{n}",
        "description": "",
        "tags": "",
        "position": "",
        "based_on_revision": "",
        "proposal_of": "",
        "extra_links-TOTAL_FORMS": "1",
        "extra_links-INITIAL_FORMS": "0",
        "extra_links-MIN_NUM_FORMS": "0",
        "extra_links-MAX_NUM_FORMS": "1000",
        "extra_links-0-label": "Demo",
        "extra_links-0-url": f"{ENTRY_URL}extra/{n}",
        "extra_links-0-position": "0",
    }
    data.update(fields)
    return data


def test_through_the_admin(superuser_client, client):
    admin = superuser_client
    curated_list = CuratedListFactory(slug="hostile-admin")
    MarkerFactory(curated_list=curated_list, symbol="⭐", slug="star")
    FooterBlockFactory(curated_list=curated_list, title="Contributing", body="Send links.")
    tools = SectionFactory(curated_list=curated_list, title="Tools")

    # List settings, with its legend and footer inlines.
    url = reverse("admin:catalog_curatedlist_change", args=[curated_list.pk])
    data = admin_form(admin, url, "curatedlist_form")
    data.update(
        {
            "tagline": " ".join(XSS),
            "intro": "\n\n".join(BLOCK_PAYLOADS),
            "markers-0-label": "<img src=x onerror=alert(1)> [x](javascript:alert(1))",
            "footer_blocks-0-body": "\n\n".join(BLOCK_PAYLOADS),
        }
    )
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]

    # Sections: payloads in titles and descriptions.
    for n, payload in enumerate(LINE_PAYLOADS):
        response = admin.post(
            reverse("admin:catalog_section_add"),
            {
                "curated_list": curated_list.pk,
                "parent": "",
                "title": payload,
                "slug": f"hostile-{n}",
                "description": BLOCK_PAYLOADS[n % len(BLOCK_PAYLOADS)],
                "position": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[-2000:]

    # Entries: payloads in titles, descriptions, tags and extra link labels.
    for n, payload in enumerate(LINE_PAYLOADS):
        fields = {
            "title": payload,
            "description": LINE_PAYLOADS[-n - 1],
            "tags": TAG_PAYLOADS[n % len(TAG_PAYLOADS)] + ",",
            "extra_links-0-label": payload[:100],
        }
        response = admin.post(reverse("admin:catalog_entry_add"), entry_form(tools, n, **fields))
        assert response.status_code == 302, response.content.decode()[-2000:]

    # A line break in a one-line field is refused, with the reason.
    for n, payload in enumerate(NEWLINE_PAYLOADS):
        response = admin.post(
            reverse("admin:catalog_entry_add"), entry_form(tools, 200 + n, title=payload)
        )
        assert response.status_code == 200
        assert REFUSED_LINE_BREAK in response.content.decode()

    # A link that would run is refused, with the reason.
    for n, bad in enumerate(BAD_URLS):
        for fields in ({"url": bad}, {"extra_links-0-url": bad}):
            response = admin.post(
                reverse("admin:catalog_entry_add"), entry_form(tools, 100 + n, **fields)
            )
            assert response.status_code == 200
            assert "Enter a valid URL." in response.content.decode()
    assert Entry.objects.filter(curated_list=curated_list).count() == len(LINE_PAYLOADS)

    publish_everything(curated_list)
    # An edit of a published entry is a proposal, shown to reviewers as a diff.
    live = Entry.objects.filter(curated_list=curated_list).first()
    url = reverse("admin:catalog_entry_change", args=[live.pk])
    data = admin_form(admin, url, "entry_form")
    data.update(title=XSS[1], description=XSS[2] + " " + XSS[0], tags="<svg onload=alert(1)>,")
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    proposal = Entry.objects.get(proposal_for=live, title=XSS[1])
    diff = admin.get(reverse("admin:catalog_entry_change", args=[proposal.pk])).content.decode()
    assert 'id="proposal-diff"' in diff
    assert "&lt;img src=x onerror=alert(1)&gt;" in diff  # shown, as text
    assert_inert_everywhere(client, curated_list, admin=admin)


def test_through_the_api(client):
    curated_list = CuratedListFactory(slug="hostile-api")
    section = SectionFactory(curated_list=curated_list, title="Tools")
    membership = MembershipFactory(curated_list=curated_list, role=Role.CONTRIBUTOR)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=membership.user).key}")
    submissions = f"/api/lists/{curated_list.slug}/submissions/"

    for n, payload in enumerate(LINE_PAYLOADS):
        body = {
            "section": section.pk,
            "title": payload,
            "url": f"{ENTRY_URL}{n}",
            "description": LINE_PAYLOADS[-n - 1],
            "tags": [TAG_PAYLOADS[n % len(TAG_PAYLOADS)], "Tag # Heading"],
            "extra_links": [{"label": payload[:100], "url": f"{ENTRY_URL}extra/{n}"}],
            "comment": payload,
        }
        response = api.post(submissions, body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["title"] == payload  # stored as typed; inert when shown

    for n, payload in enumerate(NEWLINE_PAYLOADS):
        response = api.post(
            submissions,
            {"section": section.pk, "title": payload, "url": f"{ENTRY_URL}nl/{n}"},
            format="json",
        )
        assert response.status_code == 400
        assert REFUSED_LINE_BREAK in " ".join(response.json()["errors"]["title"])

    for n, bad in enumerate(BAD_URLS):
        response = api.post(
            submissions,
            {"section": section.pk, "title": f"Bad {n}", "url": bad},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {"url": ["Enter a valid URL."]}

    publish_everything(curated_list)
    assert_inert_everywhere(client, curated_list)


def test_through_the_public_suggestion_form(client, settings):
    settings.SUGGESTION_RATE_LIMIT = (1000, 3600)
    curated_list = CuratedListFactory(slug="hostile-public")
    section = SectionFactory(curated_list=curated_list, title="Tools")
    url = reverse("suggest:create", args=[curated_list.slug])

    def suggest(n: int, **fields):  # type: ignore[no-untyped-def]
        data = {
            "url": f"{ENTRY_URL}{n}",
            "title": f"Tool {n}",
            "description": "",
            "section": section.pk,
            "email": "",
            "homepage": "",
        }
        return client.post(url, {**data, **fields})

    for n, payload in enumerate(LINE_PAYLOADS):
        response = suggest(n, title=payload[:120], description=LINE_PAYLOADS[-n - 1])
        assert response.status_code == 302, response.content.decode()[-2000:]
        status = client.get(response["Location"])
        assert status.status_code == 200
        assert active_markup(status.content.decode()) == []

    for n, payload in enumerate(NEWLINE_PAYLOADS):
        response = suggest(200 + n, title=payload)
        assert response.status_code == 200
        assert REFUSED_LINE_BREAK in response.content.decode()

    for n, bad in enumerate(BAD_URLS):
        response = suggest(100 + n, url=bad)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Enter a valid URL." in html or "Only http:// and https:// links" in html
        assert active_markup(html) == []

    publish_everything(curated_list)
    assert_inert_everywhere(client, curated_list)


def hostile_readme() -> str:
    """A README whose every part carries a payload."""
    items = "\n".join(
        f"- [{one_line(payload)}]({ENTRY_URL}{n}) - Does {one_line(payload)}"
        for n, payload in enumerate(LINE_PAYLOADS)
    )
    raw_html = "\n\n".join(BLOCK_PAYLOADS[:3])
    return f"""# Awesome Hostile <script>alert(1)</script>

> A tagline <img src=x onerror=alert(1)> [x](javascript:alert(1)).

{raw_html}

## Tools <svg onload=alert(1)>

<script>alert("section")</script>

{items}
- [Evil link](javascript:alert(1)) - A javascript: link as an entry.
- [Evil data](data:text/html,hi) - A data: link as an entry.
- <a href="javascript:alert(1)">Raw</a> - A raw HTML link as an entry.

## Contributing

<!-- never closed
"""


def test_through_readme_import(client):
    doc, report = read_readme(hostile_readme().encode())
    repairs = [repair for repair in report.repairs if repair.kind == REPAIR_KIND]
    assert repairs, report.format()
    assert any("<script> element" in repair.detail for repair in repairs)
    outcome = store_document(doc, slug="hostile-import")
    cache.clear()
    assert_inert_everywhere(client, outcome.curated_list)
    # Importing the export again (a list moved between sites) keeps it inert.
    again, _ = read_readme(export_files(outcome.curated_list)["README.md"].encode())
    assert readme_active_markup(render_files(again)["README.md"]) == []


def test_through_the_admins_readme_import(superuser_client, client):
    curated_list = CuratedListFactory(slug="hostile-admin-import")
    url = reverse("admin:catalog_curatedlist_import_readme", args=[curated_list.pk])
    upload = SimpleUploadedFile("README.md", hostile_readme().encode(), "text/markdown")
    preview = superuser_client.post(url, {"file": upload, "text": ""})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert REPAIR_KIND in html
    assert active_markup(html) == []
    readme = form_data(html)["readme"]
    confirmed = superuser_client.post(url, {"readme": readme, "confirm": "1"})
    assert confirmed.status_code == 302
    assert_inert_everywhere(client, curated_list, admin=superuser_client)


def test_through_the_import_command(client, tmp_path):
    path = tmp_path / "README.md"
    path.write_text(hostile_readme(), encoding="utf-8")
    out = StringIO()
    call_command("import_readme", str(path), "--list", "hostile-command", stdout=out)
    assert REPAIR_KIND in out.getvalue()
    assert_inert_everywhere(client, CuratedList.objects.get(slug="hostile-command"))
