"""The OpenAPI schema: valid, warning-free, and the committed ``schema.yml`` is what the code
generates — a change of the API without regenerating it fails here (and so in CI)."""

from __future__ import annotations

import io

from django.core.management import call_command

from tests.conftest import REPO_ROOT

REGENERATE = (
    "DJANGO_DEBUG=true .venv/bin/python manage.py spectacular --validate --fail-on-warn "
    "--file schema.yml"
)


def test_committed_schema_is_current(tmp_path):
    generated = tmp_path / "schema.yml"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(generated),
        stderr=io.StringIO(),
    )
    committed = (REPO_ROOT / "schema.yml").read_text()
    assert generated.read_text() == committed, f"schema.yml drifted from the code: run {REGENERATE}"


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/lists/{slug}/document/" in schema.content
    for page in ("/api/docs/", "/api/redoc/"):
        html = client.get(page).content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        for cdn in ("cdn", "unpkg", "jsdelivr"):
            assert cdn not in html.lower()
