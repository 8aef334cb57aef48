"""The list page: the README's content in the README's order, a fixed number of queries,
cached per list, dropped when the list changes, and conditional GETs answered with 304."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.export import export_files
from catalog.models import CuratedList, Entry, Section
from curation import services
from curation.services import EntryContent
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    ExtraLinkFactory,
    FooterBlockFactory,
    MarkerFactory,
    MembershipFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def nested_list(ordering: str = CuratedList.Ordering.MANUAL) -> CuratedList:
    curated_list = CuratedListFactory(
        slug="nested", ordering=ordering, intro="Read **this** first."
    )
    star = MarkerFactory(curated_list=curated_list, symbol="⭐", slug="pick", label="Pick")
    web = SectionFactory(curated_list=curated_list, title="Web")
    frameworks = SectionFactory(parent=web, title="Frameworks")
    deep = SectionFactory(parent=frameworks, title="Micro")
    cli = SectionFactory(curated_list=curated_list, title="CLI")
    for section, titles in [
        (web, ["Zeta", "alpha", "Mid"]),
        (frameworks, ["Django", "bottle", "Flask"]),
        (deep, ["Tiny"]),
        (cli, ["rich", "Click"]),
    ]:
        for title in titles:
            entry = EntryFactory(section=section, title=title, tags=["Python"], markers=[star])
            ExtraLinkFactory(entry=entry, label="Demo")
    EntryFactory(section=cli, title="Hidden draft", status=Entry.Status.DRAFT)
    FooterBlockFactory(curated_list=curated_list, title="Contributing", body="Open a PR.")
    return curated_list


def test_section_anchors_are_the_readmes_even_for_repeated_and_reserved_titles(client):
    """Two sections of one title get GitHub's ``tools`` / ``tools-1``; a section called
    "Contents" comes after the README's own Contents heading; a title whose anchor the page
    already uses for something else ("Main") keeps the old ``section-N`` id, so no id repeats."""
    curated_list = CuratedListFactory(slug="anchors")
    first = SectionFactory(curated_list=curated_list, title="Tools")
    SectionFactory(parent=first, title="Tools")
    contents = SectionFactory(curated_list=curated_list, title="Contents")
    main = SectionFactory(curated_list=curated_list, title="Main")
    for section in Section.objects.filter(curated_list=curated_list):
        EntryFactory(section=section, title=f"In {section.pk}")
    readme = export_files(curated_list)["README.md"]
    html = client.get(curated_list.get_absolute_url()).content.decode()

    assert "](#tools-1)" in readme
    assert "](#contents-1)" in readme
    assert '<h2 id="tools">' in html
    assert '<h3 id="tools-1">' in html
    assert '<h2 id="contents-1">' in html
    assert f'id="section-{contents.pk}"' in html  # the old id still lands
    assert f'<h2 id="section-{main.pk}">' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def readme_titles(readme: str) -> list[str]:
    return re.findall(r"^\s*- \[([^\]]+)\]\(https://example\.com/tools/", readme, re.M)


def page_titles(html: str) -> list[str]:
    return re.findall(r'class="entry-title" href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("ordering", list(CuratedList.Ordering.values))
def test_list_page_has_the_readmes_entries_in_the_readmes_order(client, ordering):
    curated_list = nested_list(ordering)
    readme = export_files(curated_list)["README.md"]
    html = client.get(curated_list.get_absolute_url()).content.decode()
    assert page_titles(html) == readme_titles(readme)
    assert len(page_titles(html)) == 9
    assert "Hidden draft" not in html
    # sections nest as headings with the README's anchors, the contents link to them, and the
    # ids sections had before (section-N, still used by "View on site") keep landing
    for section in curated_list.sections.all():
        assert f'id="{section.anchor}"' in html
    assert '<a href="#web">Web</a>' in html
    assert '<h4 id="micro">' in html  # Web › Frameworks › Micro
    readme_anchors = re.findall(r"\]\(#([^)]+)\)", readme)
    assert readme_anchors
    for anchor in readme_anchors:
        assert f'id="{anchor}"' in html, anchor
    assert "<strong>this</strong>" in html  # the intro is Markdown
    assert 'href="/lists/nested/tags/python/"' in html
    assert ">Demo</a>" in html
    assert 'title="Pick"' in html
    assert "Open a PR." in html


def test_readme_url_serves_exactly_the_export(client):
    curated_list = nested_list()
    response = client.get(reverse("catalog:list-readme", args=[curated_list.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode("utf-8") == export_files(curated_list)["README.md"]


def test_files_the_served_readme_links_are_served_beside_it(client):
    """The README links "contributing.md" relatively: at /lists/<slug>/contributing.md it exists
    (and license.md when the list has a License section), byte for byte the export's files."""
    curated_list = nested_list()
    readme_url = reverse("catalog:list-readme", args=[curated_list.slug])
    readme = client.get(readme_url).content.decode()
    assert "](contributing.md)" in readme
    neighbour = readme_url.rsplit("/", 1)[0] + "/contributing.md"
    response = client.get(neighbour)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == export_files(curated_list)["contributing.md"]
    assert "Open a PR." in response.content.decode()

    licence_url = readme_url.rsplit("/", 1)[0] + "/license.md"
    assert client.get(licence_url).status_code == 404
    FooterBlockFactory(curated_list=curated_list, title="License", body="CC0, *of course*.")
    response = client.get(licence_url)
    assert response.status_code == 200
    assert response.content.decode() == export_files(curated_list)["license.md"]
    # The guidelines follow the list's Contributing text (its cache is dropped on change).
    block = curated_list.footer_blocks.get(title="Contributing")
    block.body = "Send a patch."
    block.save()
    assert "Send a patch." in client.get(neighbour).content.decode()


def bulk_list(size: int, slug: str) -> CuratedList:
    """A list of ``size`` published entries with markers, tags and links (fast set-up)."""
    curated_list = CuratedListFactory(slug=slug)
    marker = MarkerFactory(curated_list=curated_list)
    parents = [SectionFactory(curated_list=curated_list, renumber=False) for _ in range(5)]
    sections = parents + [SectionFactory(parent=p, renumber=False) for p in parents]
    Section.objects.renumber(curated_list)
    now = timezone.now()
    entries = Entry.objects.bulk_create(
        Entry(
            curated_list=curated_list,
            section=sections[n % len(sections)],
            title=f"Tool {n}",
            url=f"https://example.com/{slug}/{n}",
            normalized_url=f"example.com/{slug}/{n}",
            description=f"Tool {n} does *one* thing.",
            position=n,
            status=Entry.Status.PUBLISHED,
            published_at=now,
        )
        for n in range(size)
    )
    Entry.markers.through.objects.bulk_create(
        Entry.markers.through(entry_id=e.pk, marker_id=marker.pk) for e in entries[::3]
    )
    for entry in entries[::50]:
        entry.tags.add("MIT")
        ExtraLinkFactory(entry=entry)
    return curated_list


def queries_of(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_list_page_queries_do_not_grow_with_the_list(client):
    small, large = bulk_list(20, "small"), bulk_list(2000, "large")
    small_queries = queries_of(client, small.get_absolute_url())
    large_queries = queries_of(client, large.get_absolute_url())
    # the list, then legend, footer, sections, entries, extra links, tags, entry markers
    assert small_queries == large_queries == 8
    html = client.get(large.get_absolute_url()).content.decode()
    assert html.count('class="entry"') == 2000
    # cached: no query at all until the list changes
    assert queries_of(client, large.get_absolute_url()) == 0


def test_page_is_cached_until_the_workflow_publishes(client, django_capture_on_commit_callbacks):
    curated_list = nested_list()
    url = curated_list.get_absolute_url()
    assert "Starlette" not in client.get(url).content.decode()
    curator = MembershipFactory(curated_list=curated_list, role="curator").user
    section = curated_list.sections.get(title="Web")
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.entry_create(
            actor=curator,
            content=EntryContent(section=section, title="Starlette", url="https://starlette.dev"),
        )
    assert "Starlette" not in client.get(url).content.decode()  # a draft changes nothing
    reviewer = MembershipFactory(curated_list=curated_list, role="reviewer").user
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(actor=curator, entry=entry)
        services.entry_approve(actor=reviewer, entry=entry)
        services.entry_publish(actor=curator, entry=entry)
    assert "Starlette" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "edit",
    ["list title", "section title", "entry title", "extra link", "tag", "marker", "footer"],
)
def test_any_admin_edit_of_what_the_page_shows_drops_the_cached_page(client, edit):
    curated_list = nested_list()
    url = curated_list.get_absolute_url()
    client.get(url)
    entry = Entry.objects.published().get(title="Django")
    if edit == "list title":
        curated_list.title = "Renamed Everything"
        curated_list.save()
    elif edit == "section title":
        section = curated_list.sections.get(title="CLI")
        section.title = "Renamed Everything"
        section.save()
    elif edit == "entry title":
        entry.title = "Renamed Everything"
        entry.save()
    elif edit == "extra link":
        ExtraLinkFactory(entry=entry, label="Renamed Everything")
    elif edit == "tag":
        entry.tags.add("Renamed Everything")
    elif edit == "marker":
        marker = curated_list.markers.get()
        marker.label = "Renamed Everything"
        marker.save()
    else:
        FooterBlockFactory(curated_list=curated_list, title="Renamed Everything")
    assert "Renamed Everything" in client.get(url).content.decode()


def test_conditional_get_answers_304_until_the_list_changes(client):
    curated_list = nested_list()
    url = curated_list.get_absolute_url()
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, no-cache"
    assert "Cookie" not in first.get("Vary", "")
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    entry = Entry.objects.published().first()
    entry.title = "Changed"
    entry.save()
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 200
    assert again["ETag"] != etag
    readme_url = reverse("catalog:list-readme", args=[curated_list.slug])
    readme = client.get(readme_url)
    assert client.get(readme_url, headers={"if-none-match": readme["ETag"]}).status_code == 304


def test_a_page_cached_under_a_slug_is_not_served_for_another_list(client):
    old = CuratedListFactory(slug="reused", title="Old Title")
    client.get(old.get_absolute_url())
    old.delete()
    CuratedListFactory(slug="reused", title="New Title")
    assert "New Title" in client.get("/lists/reused/").content.decode()


HOSTILE = [
    "<script>alert('x')</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">click</a>',
    "<img src=x onerror=alert(1)>",
    '<span onmouseover="alert(1)">hover</span>',
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[click](&#106;avascript:alert(1))",
]


@pytest.mark.parametrize("description", HOSTILE)
def test_nothing_a_submitter_types_runs_in_the_page(client, description):
    curated_list = CuratedListFactory(slug="hostile", intro=description, tagline=description)
    section = SectionFactory(curated_list=curated_list, description=description)
    EntryFactory(section=section, title="<b>t</b>", description=description)
    html = client.get(curated_list.get_absolute_url()).content.decode()
    body = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<script" not in body
    # in a tag (escaped text such as &lt;a href="javascript:…"&gt; is harmless words)
    assert not re.search(
        r"(?i)<[a-z][^>]*\s(href|src)\s*=\s*[\"']?\s*(javascript|data|vbscript):", body
    )
    assert not re.search(r"(?i)<[^>]+\son[a-z]+\s*=", body)
    assert "<b>t</b>" not in body


def test_safe_links_survive_in_descriptions(client):
    curated_list = CuratedListFactory(slug="links")
    EntryFactory(
        section=SectionFactory(curated_list=curated_list),
        description="Uses [Go](https://go.dev), mail [us](mailto:a@example.org), *fast*.",
    )
    html = client.get(curated_list.get_absolute_url()).content.decode()
    assert '<a href="https://go.dev" rel="nofollow ugc noopener">Go</a>' in html
    assert '<a href="mailto:a@example.org" rel="nofollow ugc noopener">us</a>' in html
    assert "<em>fast</em>" in html


def test_home_links_lists_and_feeds(client):
    nested_list()
    html = client.get("/").content.decode()
    assert 'href="/lists/nested/"' in html
    assert "9 links" in html
    assert 'type="application/atom+xml"' in html
    assert 'type="application/feed+json"' in html


def test_page_is_accessible_by_structure(client):
    html = client.get(nested_list().get_absolute_url()).content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert html.count("<h1") == 1
    assert '<label for="list-search-q">' in html
    assert '<nav aria-labelledby="contents-heading"' in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]  # reading needs no JS


def test_a_list_recreated_without_signals_is_not_served_from_memory(client):
    """Rows deleted by raw SQL (a test database flush, a restore) send no signal."""
    old = CuratedListFactory(slug="flushed", title="Old Title")
    client.get(old.get_absolute_url())
    CuratedList.objects.filter(pk=old.pk)._raw_delete(using="default")
    CuratedListFactory(slug="flushed", title="New Title")
    assert "New Title" in client.get("/lists/flushed/").content.decode()


def test_section_text_after_the_entries_shows_after_them_and_cross_links_land(client):
    """Issue 12: the page shows a section's closing note under its entries, as the README does,
    and a cross-link in a section's text lands on the heading it names."""
    from tests.catalog.test_importer import CLOSING_NOTE, import_readme

    _, outcome = import_readme(CLOSING_NOTE, slug="awesome-teapots")
    html = client.get(outcome.curated_list.get_absolute_url()).content.decode()
    entry_at = html.index("Purple clay from Jiangsu.")
    note_at = html.index("Use one pot per kind of tea.")
    assert entry_at < note_at < html.index('<h2 id="glass">')
    assert '<a href="#glass" rel="noopener">glass pots</a>' in html


def test_text_between_two_lists_shows_between_them(client):
    """Issue 12: the page cuts the section's list where the README does, the text between."""
    from tests.catalog.test_importer import BETWEEN_LISTS, import_readme

    _, outcome = import_readme(BETWEEN_LISTS, slug="awesome-teapots")
    html = client.get(outcome.curated_list.get_absolute_url()).content.decode()
    first = html.index("Purple clay from Jiangsu.")
    text = html.index("The ones below need a stove")
    second = html.index("Cast in Morioka.")
    assert first < text < second < html.index('<h2 id="glass">')
    assert html[first:second].count('<ul class="entries">') == 1
    assert '<a href="#glass" rel="noopener">glass</a>:' in html
    glass = html[html.index('<h2 id="glass">') :]
    assert glass.index("Watch the leaves open.") < glass.index("Also found under clay:")
    assert glass.index("Also found under clay:") < glass.index("Cast in Morioka.")
