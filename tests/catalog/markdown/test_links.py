"""The no-link-dropped invariant itself: it sees every kind of link, and it can fail."""

from __future__ import annotations

from dataclasses import replace

from catalog.markdown.links import account, export_missing, source_urls
from catalog.markdown.parse import parse_readme
from catalog.markdown.render import render_files

SOURCE = """<p align="center"><a href="https://html.example/">site</a><img src="https://img.example/logo.png"></p>

# L [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

See https://bare.example/path. <!-- https://comment.example/ is not a link -->

## S

- [A](https://a.example) - Uses [B][b] and <https://angle.example>.
- `code https://code.example/` is not a link either

[b]: https://b.example
"""


def test_source_urls_sees_every_kind_of_link() -> None:
    assert source_urls(SOURCE) == {
        "https://html.example/",
        "https://img.example/logo.png",
        "https://awesome.re/badge.svg",
        "https://awesome.re",
        "https://bare.example/path",
        "https://a.example",
        "https://b.example",
        "https://angle.example",
    }


def test_every_link_is_accounted_for_and_exported() -> None:
    doc, report = parse_readme(SOURCE)
    assert not account(SOURCE, doc, report).missing
    assert not export_missing(SOURCE, render_files(doc), report)


def test_a_dropped_link_is_caught() -> None:
    doc, report = parse_readme(SOURCE)
    (section,) = doc.sections
    entry, *others = section.entries
    entries = (replace(entry, description="Uses B."), *others)
    broken = replace(doc, sections=(replace(section, entries=entries),))
    assert account(SOURCE, broken, report).missing == {"https://b.example", "https://angle.example"}
    assert export_missing(SOURCE, render_files(broken), report) == {
        "https://b.example",
        "https://angle.example",
    }


def test_the_tree_already_parsed_gives_the_same_urls() -> None:
    """``parse_readme(account=True)`` reads the importer's own syntax tree, not a second parse."""
    from catalog.markdown.decode import clean_text
    from catalog.markdown.report import ImportReport
    from catalog.markdown.syntax import parse_tree

    tree = parse_tree(clean_text(SOURCE, ImportReport()))
    assert source_urls(SOURCE, tree=tree) == source_urls(SOURCE)
    _, report = parse_readme(SOURCE, account=True)
    assert report.links is not None
    assert report.links.source == len(source_urls(SOURCE))
    assert report.lost == ()
