"""Real lists of the corpus: a sync of the README a list was imported from, or of its own
export, finds nothing to change (no spurious change from parsing quirks of real lists)."""

from __future__ import annotations

import pytest

from catalog.export import export_files
from catalog.importer import read_readme, store_document
from curation.sync import plan_sync
from tests.conftest import CORPUS, CORPUS_FILES, require_or_skip

# Shapes that differ: tables, HTML, nested groups, entries without links, a list of lists.
LISTS = [
    "vinta__awesome-python",
    "awesome-selfhosted__awesome-selfhosted",
    "n1trux__awesome-sysadmin",
    "jnv__lists",
    "DataTalksClub__mlops-zoomcamp",
]
FILES = [path for path in CORPUS_FILES if path.stem in LISTS]


@pytest.fixture(autouse=True)
def corpus_present():
    require_or_skip(len(FILES) == len(LISTS), f"the corpus is not at {CORPUS}")


@pytest.mark.django_db
@pytest.mark.parametrize("path", FILES or [None], ids=lambda p: p.stem if p else "none")
def test_a_corpus_list_synced_with_its_own_readme_has_no_changes(path):
    data = path.read_bytes()
    doc, _ = read_readme(data)
    curated_list = store_document(doc, slug="corpus").curated_list
    plan = plan_sync(curated_list, doc, source=path.name, text=data.decode())
    assert plan.changes.is_empty, plan.format(limit=20)
    exported, _ = read_readme(export_files(curated_list)["README.md"].encode())
    assert plan_sync(curated_list, exported, source="export").changes.is_empty
