"""The counts the importer's limits use (``catalog.markdown.bounds``): what they count, that
they never count fewer items than the parser reads, and that real lists are far below the
limits (``catalog.importer.MAX_README_ITEMS``, ``MAX_README_LINKS``)."""

from __future__ import annotations

import pytest

from catalog.importer import MAX_README_ITEMS, MAX_README_LINKS, read_readme
from catalog.markdown.bounds import count_items, count_links
from catalog.markdown.document import count_entries
from tests.catalog.test_import_bounds import tiny_items
from tests.conftest import CORPUS, CORPUS_FILES, require_or_skip


@pytest.mark.parametrize(
    ("text", "items", "links"),
    [
        ("- [A](https://a.example)\n* b\n+ c\n1. d\n2) e\n", 5, 1),
        ("  - nested\n> - quoted\n>> 3. deeper\n-\n", 4, 0),
        ("| Name | Auth |\n| --- | --- |\n| [A](https://a.example) | no |\n", 3, 1),
        ("<ul><li><a href='https://a.example'>A</a></li><li>B</li></ul>\n", 2, 1),
        ('&nbsp;<a href="https://a.example">A</a> - a<br>\n<details><summary>B</summary>', 2, 1),
        ("# Title\n\n## Section\n\nProse with -dashes, 3.5 and *stars*.\n---\n", 0, 0),
        (
            "See [the guide](guide.md), [top](#top), <https://a.example> and https://b.example\n",
            0,
            4,
        ),
    ],
)
def test_what_the_counts_count(text, items, links):
    data = text.encode()
    assert (count_items(data), count_links(data)) == (items, links)


def test_every_real_list_is_well_under_the_limits():
    require_or_skip(bool(CORPUS_FILES), f"the corpus is not at {CORPUS}")
    for readme in CORPUS_FILES:
        data = readme.read_bytes()
        assert count_items(data) <= MAX_README_ITEMS // 5, readme.name
        assert count_links(data) <= MAX_README_LINKS // 5, readme.name


def test_the_count_of_items_is_never_below_the_entries_read():
    # The count errs high, so a README under the limit never turns out bigger once parsed.
    for text in (
        tiny_items(120).decode(),
        "# T\n\n> t.\n\n## A\n\n| Name | Description |\n| --- | --- |\n"
        + "".join(f"| [N{n}](https://n.example/{n}) | d |\n" for n in range(30)),
    ):
        data = text.encode()
        doc, _ = read_readme(data)
        assert count_items(data) >= count_entries(doc)
