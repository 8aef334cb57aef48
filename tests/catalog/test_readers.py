"""Readers sort and filter a list (issue 16, "Readers"): the list page carries each entry's
stored figures for its script and a form that, without the script, asks the search page, which
sorts and filters on the server. The browser side is tests/browser/test_readers.py."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import CuratedList, Entry, RepositoryInfo, Section
from tests.factories import CuratedListFactory, EntryFactory, SectionFactory

pytestmark = pytest.mark.django_db

LICENCES = ["MIT", "Apache-2.0", "GPL-3.0"]


def repository(entry: Entry, **figures) -> RepositoryInfo:
    figures.setdefault("last_activity_at", timezone.now() - timedelta(days=10))
    return RepositoryInfo.objects.create(
        entry=entry,
        forge="github",
        host="github.com",
        full_name=f"owner/{entry.pk}",
        url=entry.url,
        **figures,
    )


def big_list(size: int, *, slug: str) -> CuratedList:
    """``size`` published entries over four sections, each with repository figures (a tenth
    archived, a third quiet for years), written in bulk."""
    curated_list = CuratedListFactory(slug=slug)
    sections = [SectionFactory(curated_list=curated_list, renumber=False) for _ in range(4)]
    Section.objects.renumber(curated_list)
    now = timezone.now()
    entries = Entry.objects.bulk_create(
        Entry(
            curated_list=curated_list,
            section=sections[n % 4],
            title=f"Tool {n}",
            url=f"https://github.com/owner/tool-{n}",
            description="Does one thing.",
            position=n,
            status=Entry.Status.PUBLISHED,
            published_at=now - timedelta(days=n),
        )
        for n in range(size)
    )
    RepositoryInfo.objects.bulk_create(
        RepositoryInfo(
            entry=entry,
            forge="github",
            host="github.com",
            full_name=f"owner/tool-{n}",
            url=entry.url,
            stars=(n * 37) % 1000,
            last_activity_at=now - timedelta(days=1000 if n % 3 == 0 else n % 300),
            archived=n % 10 == 0,
            license=LICENCES[n % 3],
        )
        for n, entry in enumerate(entries)
    )
    return curated_list


@pytest.mark.parametrize("size", [20, 2000])
def test_list_page_queries_stay_flat_and_unchanged_by_sorting_and_filters(
    client, django_assert_num_queries, size
):
    curated_list = big_list(size, slug=f"readers-{size}")
    url = curated_list.get_absolute_url()
    # As before sorting came: list + sections + entries (figures joined) + markers + tags +
    # extra links + legend + footer.
    with django_assert_num_queries(8):
        built = client.get(url)
    html = built.content.decode()
    assert html.count('class="entry"') == size
    assert html.count("data-stars=") == size
    # Sorting and filtering is the same cached page: no query, the same bytes.
    with django_assert_num_queries(0):
        sorted_page = client.get(f"{url}?sort=stars&licence=MIT&maintained=1")
    assert sorted_page.content == built.content


def test_each_entry_carries_its_stored_figures_for_the_script(client):
    curated_list = CuratedListFactory()
    section = SectionFactory(curated_list=curated_list)
    now = timezone.now()
    active = EntryFactory(section=section, title="Active", tags=["Go", "CLI"])
    repository(
        active, stars=1234, last_activity_at=now - timedelta(days=3), license="MIT", archived=False
    )
    archived = EntryFactory(section=section, title="Archived")
    repository(archived, stars=5, archived=True)
    quiet = EntryFactory(section=section, title="Quiet")
    repository(quiet, stars=None, last_activity_at=now - timedelta(days=2000))
    plain = EntryFactory(section=section, title="A book", url="")

    html = client.get(curated_list.get_absolute_url()).content.decode()

    def attributes(entry: Entry) -> dict[str, str]:
        tag = re.search(rf'<li id="entry-{entry.pk}" class="entry"([^>]*)>', html)
        assert tag, entry
        return dict(re.findall(r'data-([a-z]+)="([^"]*)"', tag.group(1)))

    day = timezone.localdate
    assert attributes(active) == {
        "added": day(Entry.objects.get(pk=active.pk).published_at).isoformat(),
        "stars": "1234",
        "activity": day(now - timedelta(days=3)).isoformat(),
        "licence": "MIT",
        "maintained": "1",
        "tags": "go cli",
    }
    assert "maintained" not in attributes(archived)
    assert attributes(archived)["stars"] == "5"
    assert "maintained" not in attributes(quiet)
    assert "stars" not in attributes(quiet)
    assert set(attributes(plain)) == {"added"}


def test_the_form_offers_what_the_entries_carry_and_falls_back_to_search(client):
    curated_list = CuratedListFactory(slug="formed")
    section = SectionFactory(curated_list=curated_list)
    repository(EntryFactory(section=section, tags=["Go"]), stars=3, license="MIT")
    repository(EntryFactory(section=section), stars=4, license="BSD-3-Clause")

    html = client.get(curated_list.get_absolute_url()).content.decode()
    form = re.search(r"<form class=\"view-options\".*?</form>", html, re.S).group(0)

    assert 'action="/lists/formed/search/"' in form
    assert 'method="get"' in form
    for control in ("view-sort", "view-licence", "view-tag", "view-maintained"):
        assert f'<label for="{control}">' in form
    sorts = re.findall(r'<option value="([a-z]*)">', form.split('id="view-licence"')[0])
    assert sorts == ["", "name", "stars", "activity", "added"]
    assert re.findall(r'<option value="([^"]+)">', form.split('id="view-licence"')[1])[:2] == [
        "BSD-3-Clause",
        "MIT",
    ]
    # Every choice the form offers is one the search page takes (the no-script path).
    choices = [("sort", value) for value in sorts if value] + [
        ("licence", "MIT"),
        ("licence", "BSD-3-Clause"),
        ("tag", "go"),
        ("maintained", "1"),
    ]
    for name, value in choices:
        answer = client.get(f"/lists/formed/search/?{name}={value}").content.decode()
        assert 'class="error"' not in answer, (name, value)


def test_a_list_without_repository_figures_offers_no_stars_activity_or_maintained(client):
    curated_list = CuratedListFactory()
    EntryFactory(section=SectionFactory(curated_list=curated_list))
    html = client.get(curated_list.get_absolute_url()).content.decode()
    assert '<option value="name">' in html
    assert '<option value="added">' in html
    assert '<option value="stars">' not in html
    assert '<option value="activity">' not in html
    assert 'id="view-maintained"' not in html
    assert 'id="view-licence"' not in html


def test_figures_are_shown_only_where_the_list_enables_them(client):
    curated_list = CuratedListFactory(slug="figures")
    section = SectionFactory(curated_list=curated_list)
    entry = EntryFactory(section=section)
    repository(entry, stars=12345, archived=True, last_activity_at=timezone.now())
    search = "/lists/figures/search/"

    for url in (curated_list.get_absolute_url(), search):
        assert 'class="repo-figures"' not in client.get(url).content.decode()

    curated_list.show_repository_figures = True
    curated_list.save()  # drops the cached page
    for url in (curated_list.get_absolute_url(), search):
        html = client.get(url).content.decode()
        assert '<span class="stars">★ 12,345<span class="visually-hidden"> stars' in (html)
        assert f'<time datetime="{timezone.localdate().isoformat()}">' in html
        assert '<span class="archived">archived</span>' in html


# --- The search page: the same sorts and filters on the server -----------------------------


@pytest.fixture
def shelf():
    """Four entries whose list order, names, stars, activity and dates all disagree."""
    curated_list = CuratedListFactory(slug="shelf")
    section = SectionFactory(curated_list=curated_list)
    now = timezone.now()
    made = {}
    for title, days_ago, figures in [
        ("Delta", 30, {"stars": 10, "days": 5, "license": "MIT"}),
        ("alpha", 10, {"stars": 900, "days": 400, "license": "GPL-3.0"}),
        ("Charlie", 20, None),
        ("Bravo", 40, {"stars": 50, "days": 1, "license": "MIT", "archived": True}),
    ]:
        entry = EntryFactory(section=section, title=title)
        Entry.objects.filter(pk=entry.pk).update(published_at=now - timedelta(days=days_ago))
        if figures:
            repository(
                entry,
                stars=figures["stars"],
                last_activity_at=now - timedelta(days=figures["days"]),
                license=figures["license"],
                archived=figures.get("archived", False),
            )
        made[title] = entry
    return curated_list


def titles(client, query: str) -> list[str]:
    html = client.get(f"/lists/shelf/search/{query}").content.decode()
    assert 'class="error"' not in html
    return re.findall(r'class="entry-title" href="[^"]*">([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Delta", "alpha", "Charlie", "Bravo"]),  # list order
        ("?sort=name", ["alpha", "Bravo", "Charlie", "Delta"]),
        ("?sort=stars", ["alpha", "Bravo", "Delta", "Charlie"]),  # without figures: last
        ("?sort=activity", ["Bravo", "Delta", "alpha", "Charlie"]),
        ("?sort=added", ["alpha", "Charlie", "Delta", "Bravo"]),
    ],
)
def test_search_sorts(client, shelf, query, expected):
    assert titles(client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?licence=MIT", ["Delta", "Bravo"]),
        ("?licence=GPL-3.0", ["alpha"]),
        ("?maintained=1", ["Delta"]),  # alpha is quiet, Bravo archived, Charlie unknown
        ("?maintained=1&licence=GPL-3.0", []),
        ("?licence=MIT&sort=stars", ["Bravo", "Delta"]),
        ("?q=sentence&sort=name", ["alpha", "Bravo", "Charlie", "Delta"]),
    ],
)
def test_search_filters(client, shelf, query, expected):
    assert titles(client, query) == expected


def test_search_refuses_a_licence_no_entry_has(client, shelf):
    html = client.get("/lists/shelf/search/?licence=WTFPL").content.decode()
    assert 'class="error"' in html


@pytest.mark.parametrize("size", [20, 200])
def test_search_with_sort_and_filters_keeps_its_query_count(
    client, django_assert_num_queries, size
):
    big_list(size, slug=f"searched-{size}")
    # The list; the form's choices, read once per list version (sections, markers, licences,
    # tag names); the page with its count (one query, figures joined); the page's markers, tags
    # and extra links.
    with django_assert_num_queries(9):
        response = client.get(
            f"/lists/searched-{size}/search/?sort=stars&licence=Apache-2.0&maintained=1"
        )
    assert response.status_code == 200
