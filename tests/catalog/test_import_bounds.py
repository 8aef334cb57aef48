"""A README with more items or links than an import reads is refused before it is parsed, in
words that name the count and the limit (issue 17: 5 MB of tiny items took 267 s and 806 MB),
on every way in that reads through ``read_readme``: here the command and the counts; the admin's
import and sync in ``tests/curation/test_import_bounds.py``."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import CommandError, call_command

from catalog import importer
from catalog.importer import (
    MAX_README_BYTES,
    MAX_README_ITEMS,
    MAX_README_LINKS,
    ImportRefused,
    read_readme,
)
from catalog.markdown.bounds import count_items
from catalog.markdown.document import count_entries
from catalog.models import CuratedList


def tiny_items(count: int) -> bytes:
    """``count`` tiny items, 100 to a section, as the red team's 5 MB README."""
    lines = ["# Awesome Huge", "", "> Tiny items.", ""]
    for n in range(count):
        if n % 100 == 0:
            lines.append(f"\n## Section {n // 100}\n")
        lines.append(f"- [a{n}](https://e.example/{n})")
    return ("\n".join(lines) + "\n").encode()


def paragraph_links(count: int) -> bytes:
    """``count`` links in paragraphs, ten to a line: no items, all cost."""
    lines = ["# Awesome Prose", "", "> Links in prose.", "", "## Links", ""]
    lines += [
        " ".join(f"[a{n}](https://e.example/{n})" for n in range(start, min(start + 10, count)))
        for start in range(0, count, 10)
    ]
    return ("\n".join(lines) + "\n").encode()


HUGE = tiny_items(140_000)  # 4.9 MB: under the size limit, seven times over the item limit


def test_the_huge_readme_is_under_the_size_limit_and_refused_at_once_by_its_items():
    assert len(HUGE) <= MAX_README_BYTES
    start = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        read_readme(HUGE)
    assert time.perf_counter() - start < 5  # parsing it took minutes
    assert refused.value.messages == [
        f"The README has 140,000 list items or table rows; an import reads at most "
        f"{MAX_README_ITEMS:,}, so that it finishes in seconds. Nothing was imported: split the "
        "list, or import it in parts."
    ]


def test_links_in_prose_count_too():
    data = paragraph_links(MAX_README_LINKS + 1)
    assert count_items(data) == 0
    with pytest.raises(ImportRefused, match=f"has {MAX_README_LINKS + 1:,} links; an import reads"):
        read_readme(data)


def test_the_limits_are_inclusive(monkeypatch):
    # Small limits, so that the boundary is cheap to parse.
    monkeypatch.setattr(importer, "MAX_README_ITEMS", 50)
    doc, _ = read_readme(tiny_items(50))
    assert count_entries(doc) == 50
    with pytest.raises(ImportRefused, match=r"has 51 list items or table rows; .* at most 50,"):
        read_readme(tiny_items(51))
    monkeypatch.setattr(importer, "MAX_README_ITEMS", MAX_README_ITEMS)
    monkeypatch.setattr(importer, "MAX_README_LINKS", 50)
    read_readme(tiny_items(50))
    with pytest.raises(ImportRefused, match="has 51 links; an import reads at most 50,"):
        read_readme(tiny_items(51))


class TestImportCommand:
    def test_refuses_the_huge_readme_with_the_message_and_writes_nothing(self, db, tmp_path):
        readme = tmp_path / "README.md"
        readme.write_bytes(HUGE)
        start = time.perf_counter()
        with pytest.raises(CommandError, match="has 140,000 list items or table rows"):
            call_command("import_readme", str(readme), "--list", "huge", stdout=io.StringIO())
        assert time.perf_counter() - start < 5
        assert not CuratedList.objects.filter(slug="huge").exists()

    def test_sync_readme_refuses_it_too(self, db, tmp_path):
        doc, _ = read_readme(tiny_items(5))
        importer.store_document(doc, slug="small")
        readme = tmp_path / "README.md"
        readme.write_bytes(HUGE)
        with pytest.raises(CommandError, match="has 140,000 list items or table rows"):
            call_command("sync_readme", "small", str(readme), "--dry-run", stdout=io.StringIO())
