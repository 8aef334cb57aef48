"""The import report's link accounting, through the command, the dry run and the admin preview:
every link of the source is counted where it went, and an import that would lose one refuses
to write."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from catalog.importer import ImportRefused, read_readme, store_document
from catalog.markdown.report import LinkTally
from catalog.models import CuratedList, Entry

pytestmark = pytest.mark.django_db


def anchored_list(items: int = 100) -> str:
    """A list where every tenth item is written as an HTML anchor, one with a badge."""
    lines = [
        "# Awesome Cups [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)",
        "",
        "> Cups, bowls and saucers.",
        "",
        "## Cups",
        "",
    ]
    for n in range(items):
        if n % 10 == 0:
            lines.append(
                f'- <b><a href="https://cup{n}.example/">Cup {n}</a></b> (stoneware)'
                f" - Cup number {n}."
            )
        else:
            lines.append(
                f"- [Cup {n}](https://cup{n}.example/) - Cup number {n}. "
                f"([Maker](https://maker{n}.example/))"
            )
    lines += ["", "See [the cup museum](https://museum.example/) for more.", ""]
    return "\n".join(lines)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_html_anchors_lose_no_link_and_the_report_says_where_each_went(tmp_path):
    source = tmp_path / "README.md"
    source.write_text(anchored_list(), encoding="utf-8")
    output = run("import_readme", str(source), "--list", "awesome-cups")
    # 100 entries, 90 maker links, 1 prose link, 2 badge URLs (image + link target).
    assert (
        "Links: 193 in the source: 100 entries, 90 extra links, 1 kept in prose, "
        "2 decoration, 0 duplicates, 0 not understood, 0 lost"
    ) in output
    assert "line 1: badge: https://awesome.re/badge.svg" in output
    cups = CuratedList.objects.get(slug="awesome-cups")
    anchored = Entry.objects.get(curated_list=cups, title="Cup 10")
    assert anchored.url == "https://cup10.example/"
    assert Entry.objects.filter(curated_list=cups).count() == 100


def test_dry_run_prints_the_accounting_and_writes_nothing(tmp_path):
    source = tmp_path / "README.md"
    source.write_text(anchored_list(20), encoding="utf-8")
    output = run("import_readme", str(source), "--list", "awesome-cups", "--dry-run")
    assert "0 lost" in output
    assert "20 entries, 18 extra links" in output
    assert not CuratedList.objects.filter(slug="awesome-cups").exists()


def test_an_import_that_would_lose_a_link_refuses_to_write():
    doc, report = read_readme(anchored_list(10).encode())
    assert report.links is not None
    assert report.lost == ()
    # As if a reader had dropped one link without a reason.
    report.links = LinkTally(source=12, entries=9, lost=("https://cup3.example/",))
    with pytest.raises(ImportRefused, match="1 link of the README would be lost"):
        store_document(doc, slug="awesome-cups", report=report)
    assert not CuratedList.objects.filter(slug="awesome-cups").exists()
    assert "LOST (no reason, the import refuses to write): https://cup3.example/" in (
        report.format()
    )


def test_the_command_refuses_a_lost_link_with_one_message(tmp_path, monkeypatch):
    source = tmp_path / "README.md"
    source.write_text(anchored_list(10), encoding="utf-8")
    import catalog.markdown.parse as parse

    real = parse.record_links

    def losing(text, doc, report, **kwargs):
        tally = real(text, doc, report, **kwargs)
        report.links = LinkTally(source=tally.source, lost=("https://cup1.example/",))
        return report.links

    monkeypatch.setattr(parse, "record_links", losing)
    with pytest.raises(CommandError, match="would be lost without a reason"):
        run("import_readme", str(source), "--list", "awesome-cups")
    assert not CuratedList.objects.filter(slug="awesome-cups").exists()


def test_admin_preview_shows_the_accounting_and_refuses_a_lost_link(client, demo, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from curation.models import Role
    from tests.demo import login
    from tests.factories import CuratedListFactory, MembershipFactory

    # A list nobody has worked on yet (a list with editorial history refuses a replace).
    fresh = CuratedListFactory(slug="fresh")
    curator = get_user_model().objects.get(username="curator")
    MembershipFactory(user=curator, curated_list=fresh, role=Role.CURATOR)
    import_url = reverse("admin:catalog_curatedlist_import_readme", args=[fresh.pk])
    client = login(client, "curator")
    preview = client.post(import_url, {"text": anchored_list(20)})
    html = preview.content.decode()
    assert "20 became entries, 18 extra links" in html
    assert "<strong>0 lost</strong>" in html
    assert 'name="confirm"' in html

    import catalog.markdown.parse as parse

    real = parse.record_links

    def losing(text, doc, report, **kwargs):
        tally = real(text, doc, report, **kwargs)
        report.links = LinkTally(source=tally.source, lost=("https://cup1.example/",))
        return report.links

    monkeypatch.setattr(parse, "record_links", losing)
    before = Entry.objects.filter(curated_list=fresh).count()
    refused = client.post(import_url, {"text": anchored_list(20)}).content.decode()
    assert "would lose 1 link without a reason" in refused
    assert "<li>https://cup1.example/</li>" in refused
    assert 'name="confirm"' not in refused
    # A confirm posted anyway (a stale page) is refused too: the text is read again.
    done = client.post(import_url, {"confirm": "1", "readme": anchored_list(20)}, follow=True)
    assert "would be lost without a reason" in done.content.decode()
    assert Entry.objects.filter(curated_list=fresh).count() == before
