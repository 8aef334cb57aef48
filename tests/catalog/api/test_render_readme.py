"""``render_readme`` regenerates exactly what ``export_readme`` writes, from the document alone:
for every corpus list and the demo list, from a file and from a real HTTP server, with the
database blocked while it runs."""

from __future__ import annotations

import http.server
import io
import json
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.export import export_files
from catalog.importer import read_readme, store_document
from curation.demo.loader import load_demo
from tests.conftest import CORPUS, CORPUS_FILES, require_or_skip


def files_in(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def exported_bytes(curated_list) -> dict[str, bytes]:
    return {name: text.encode() for name, text in sorted(export_files(curated_list).items())}


def render(source, tmp_path, django_db_blocker, name="out", **options) -> dict[str, bytes]:
    """Run render_readme with the database blocked: any query would fail the test."""
    output = tmp_path / name
    with django_db_blocker.block():
        call_command(
            "render_readme", str(source), output=str(output), stdout=io.StringIO(), **options
        )
    return files_in(output)


def save_document(client, slug, tmp_path) -> Path:
    response = client.get(f"/api/lists/{slug}/document/")
    assert response.status_code == 200
    path = tmp_path / f"{slug}.json"
    path.write_bytes(response.content)
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("path", CORPUS_FILES or [None], ids=lambda p: p.stem if p else "none")
def test_every_corpus_list_renders_as_it_exports(client, tmp_path, django_db_blocker, path):
    require_or_skip(path is not None, f"the corpus is not at {CORPUS}")
    doc, _ = read_readme(path.read_bytes())
    curated_list = store_document(doc, slug="corpus").curated_list
    document = save_document(client, "corpus", tmp_path)
    assert render(document, tmp_path, django_db_blocker) == exported_bytes(curated_list)


@pytest.mark.django_db
def test_the_demo_list_renders_as_it_exports(client, tmp_path, django_db_blocker):
    curated_list = load_demo().curated_list
    document = save_document(client, curated_list.slug, tmp_path)
    rendered = render(document, tmp_path, django_db_blocker)
    assert rendered == exported_bytes(curated_list)
    # … and export_readme itself writes those very bytes.
    call_command(
        "export_readme", curated_list.slug, output=str(tmp_path / "exported"), stdout=io.StringIO()
    )
    assert files_in(tmp_path / "exported") == rendered


@pytest.mark.django_db(transaction=True)
def test_from_the_url_of_a_running_server(live_server, tmp_path, django_db_blocker):
    """End to end over HTTP: the API served by a real server on 127.0.0.1, fetched by httpx."""
    curated_list = load_demo().curated_list
    expected = exported_bytes(curated_list)
    url = f"{live_server.url}/api/lists/{curated_list.slug}/document/"
    # The live server's thread reads the database; this thread (the command) must not.
    output = tmp_path / "out"
    call_command("render_readme", url, output=str(output), timeout=10, stdout=io.StringIO())
    assert files_in(output) == expected
    stdout = io.StringIO()
    call_command("render_readme", url, stdout=stdout)
    assert stdout.getvalue().encode() == expected["README.md"]


def test_needs_no_database(tmp_path, django_db_blocker):
    """No db mark: pytest-django refuses every query in this test."""
    document = {
        "version": 4,
        "slug": "tiny",
        "title": "Awesome Tiny",
        "tagline": "Small things.",
        "intro": "",
        "repository_url": "",
        "license": "",
        "ordering": "manual",
        "markers": [],
        "sections": [
            {
                "title": "Tools",
                "slug": "tools",
                "description": "",
                "outro": "",
                "columns": [],
                "entries": [
                    {
                        "title": "Tool",
                        "url": "https://example.com/tool",
                        "description": "Does one thing.",
                        "extra_links": [],
                        "markers": [],
                        "tags": [],
                        "attributes": [],
                        "also_in": [],
                        "lead_in": "",
                    }
                ],
                "children": [],
            }
        ],
        "footer": [],
    }
    source = tmp_path / "tiny.json"
    source.write_text(json.dumps(document))
    files = render(source, tmp_path, django_db_blocker)
    assert sorted(files) == ["README.md", "contributing.md"]
    assert b"- [Tool](https://example.com/tool) - Does one thing.\n" in files["README.md"]


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes, float]] = {}

    def do_GET(self):
        status, body, delay = self.routes.get(self.path, (404, b"{}", 0))
        time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A local HTTP server for the error cases: never the internet."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.routes
    httpd.shutdown()
    httpd.server_close()
    _Handler.routes.clear()


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ((404, b"{}", 0), r"answered 404 Not Found: is the list's slug right\?"),
        ((500, b"oops", 0), "answered 500 Internal Server Error."),
        ((200, b"<html>", 0), "is not JSON"),
        ((200, b'{"version": 7}', 0), "version 7; this Awesome Curator reads version 4"),
        ((200, b"{}", 1.5), "did not answer within 0.3 seconds"),
    ],
    ids=["not-found", "server-error", "not-json", "other-version", "timeout"],
)
def test_url_errors_are_clear(server, tmp_path, route, message):
    base, routes = server
    routes["/doc/"] = route
    with pytest.raises(CommandError, match=message):
        call_command("render_readme", f"{base}/doc/", output=str(tmp_path), timeout=0.3)
    assert not list(tmp_path.iterdir())  # nothing written


def test_unreachable_server_and_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot fetch http://127\.0\.0\.1:9/"):
        call_command("render_readme", "http://127.0.0.1:9/doc/", timeout=2)
    with pytest.raises(CommandError, match=r"No file .*missing\.json: give a saved list document"):
        call_command("render_readme", str(tmp_path / "missing.json"))
