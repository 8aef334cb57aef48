"""The admin's Import README and Sync from README refuse a README over the import's limits as
a message on the form — at once, never a traceback or a worker timeout (issue 17). The limits
themselves: ``tests/catalog/test_import_bounds.py``."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.importer import MAX_README_BYTES
from catalog.models import Entry
from tests.catalog.test_import_bounds import HUGE
from tests.curation.test_admin_readme import fresh_list, urls
from tests.curation.test_sync_admin import Lived, sign_in, sync_url
from tests.demo import login

pytestmark = pytest.mark.django_db
MESSAGE = "The README has 140,000 list items or table rows; an import reads at most 20,000"


def test_import_readme_refuses_the_huge_upload_on_the_form(client, demo):
    fresh = fresh_list(demo)
    before = set(Entry.objects.filter(curated_list=fresh).values_list("pk", flat=True))
    import_url, _ = urls(fresh)
    client = login(client, "curator")
    assert len(HUGE) <= MAX_README_BYTES  # the form's own size check lets it through
    upload = SimpleUploadedFile("README.md", HUGE, content_type="text/markdown")
    start = time.perf_counter()
    response = client.post(import_url, {"file": upload})
    # The upload itself takes seconds here (5 MB through the test client on a shared machine);
    # the bound that matters is the worker's: gunicorn's 30 s (parsing it took 267 s).
    assert time.perf_counter() - start < 30
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html
    assert 'name="confirm"' not in html  # no preview to confirm
    assert set(Entry.objects.filter(curated_list=fresh).values_list("pk", flat=True)) == before


def test_import_readme_refuses_it_at_the_confirm_step_too(client, demo):
    # A crafted confirm (the text is parsed again, not trusted as previewed).
    fresh = fresh_list(demo)
    import_url, _ = urls(fresh)
    response = login(client, "curator").post(
        import_url, {"confirm": "1", "readme": HUGE.decode(), "confirm_slug": fresh.slug}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert MESSAGE in page.content.decode()
    assert Entry.objects.filter(curated_list=fresh).count() == 5


def test_sync_readme_refuses_it_on_the_form_and_at_confirm(client):
    lived = Lived()
    before = lived.snapshot()
    client = sign_in(client, lived.curator)
    preview = client.post(sync_url(lived), {"text": HUGE.decode()})
    assert preview.status_code == 200
    assert MESSAGE in preview.content.decode()
    confirm = client.post(
        sync_url(lived), {"confirm": "1", "readme": HUGE.decode(), "mode": "publish"}
    )
    assert confirm.status_code == 302
    assert MESSAGE in client.get(confirm["Location"]).content.decode()
    assert lived.snapshot() == before
