"""Every real list of the corpus through the database: import, export, re-import, export again.

The pure engine is tested on the corpus in tests/catalog/markdown/; this adds the database edge:
what comes out of the tables is byte for byte what the renderer makes of the parsed document,
and a list imported from its own export exports to the same bytes.
"""

from __future__ import annotations

import pytest

from catalog.export import export_files
from catalog.importer import read_readme, store_document
from catalog.markdown.render import render_files
from tests.conftest import CORPUS, CORPUS_FILES, require_or_skip


@pytest.fixture(autouse=True)
def corpus_present():
    require_or_skip(bool(CORPUS_FILES), f"the corpus is not at {CORPUS}")


@pytest.mark.django_db
@pytest.mark.parametrize("path", CORPUS_FILES or [None], ids=lambda p: p.stem if p else "none")
def test_corpus_list_round_trips_through_the_database(path):
    doc, _ = read_readme(path.read_bytes())
    first = store_document(doc, slug="first")
    exported = export_files(first.curated_list)
    assert exported == render_files(doc)

    again, _ = read_readme(
        exported["README.md"].encode(), licence=exported.get("license.md", "").encode() or None
    )
    second = store_document(again, slug="second")
    assert export_files(second.curated_list) == exported
