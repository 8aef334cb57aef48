"""A database that does not answer gives a 503 page with words, never a traceback.

For real: gunicorn in a process of its own, production settings (DEBUG off), requests over HTTP,
the server's own log read back. Three outages: PostgreSQL on a closed port, an SQLite file that
cannot be opened, and a PostgreSQL database that refuses connections while the server runs
(and comes back). The in-process tests below cover the 500 page and the API's JSON.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from config.errors import DATABASE_UNAVAILABLE, is_database_unavailable, server_error
from tests.subprocesses import (
    Answer,
    Server,
    dev_env,
    manage,
    postgres_admin,
    production_env,
    running_server,
    scratch_postgres,
)

MESSAGE = "The site is down for a moment: its database is not answering. Try again in a minute."
OUR_LOG_LINE = "Service Unavailable (database not answering)"
DEMO_LIST = "/lists/awesome-plain-text/"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """collectstatic once, into a scratch folder, as a release would (hashed names, manifest)."""
    root = tmp_path_factory.mktemp("static")
    env = server_env("sqlite:///:memory:", root)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    return root


def server_env(database_url: str, static_root: Path, **overrides: str) -> dict[str, str]:
    return production_env(
        database_url,
        DJANGO_SETTINGS_MODULE="tests.config.server_settings",
        TEST_STATIC_ROOT=str(static_root),
        **overrides,
    )


def assert_unavailable_page(answer: Answer) -> None:
    assert answer.status == 503, answer.body[:500]
    assert answer.header("Retry-After") == "60"
    assert answer.header("Cache-Control") == "no-store"
    assert (answer.header("Content-Type") or "").startswith("text/html")
    assert MESSAGE in html.unescape(answer.body)
    assert "Traceback" not in answer.body
    assert "OperationalError" not in answer.body  # the cause goes to the log, not to visitors


def assert_unavailable_json(answer: Answer) -> None:
    assert answer.status == 503, answer.body[:500]
    assert answer.header("Retry-After") == "60"
    assert answer.header("Content-Type") == "application/json"
    assert json.loads(answer.body) == {"detail": MESSAGE, "code": "database_unavailable"}


def sign_in(
    server: Server, username: str = "admin", password: str = "not-a-real-password"
) -> Answer:
    """What a browser does: read the form (and its CSRF cookie), then post the credentials."""
    form = server.get("/admin/login/")
    assert form.status == 200, form.body[:500]
    cookie = re.search(r"csrftoken=([^;]+)", form.header("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    assert cookie, "the login form set no CSRF cookie"
    assert token, "the login form has no CSRF token"
    data = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1),
            "next": "/admin/",
        }
    ).encode()
    return server.get(
        "/admin/login/?next=/admin/",
        data=data,
        headers={
            "Cookie": f"csrftoken={cookie.group(1)}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )


def check_outage(server: Server, *, cached: dict[str, str] | None = None) -> int:
    """Every page that needs the database says so; returns how many 503s it asked for.

    ``cached``: pages as served before the outage (path: body), which the page cache
    (``catalog.pagecache``: the list page, the home page, the API's anonymous list pages)
    keeps serving without the database.
    """
    cached = cached or {}
    asked = 0

    def expect(path: str, unavailable: Callable[[Answer], None]) -> Answer:
        nonlocal asked
        answer = server.get(path)
        if path in cached:
            assert (answer.status, answer.body) == (200, cached[path])
        else:
            unavailable(answer)
            asked += 1
        return answer

    home = expect("/", assert_unavailable_page)
    # Styled like the site: the hashed stylesheet of the manifest, which whitenoise serves
    # without the database.
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home.body)
    assert stylesheet, home.body
    css = server.get(stylesheet.group(1))
    assert css.status == 200
    assert ".site-header" in css.body

    expect(DEMO_LIST, assert_unavailable_page)
    expect(f"{DEMO_LIST}search/?q=markdown", assert_unavailable_page)
    expect("/api/lists/", assert_unavailable_json)
    expect("/api/lists/awesome-plain-text/document/", assert_unavailable_json)
    # The sign-in form itself needs no database; signing in does (users, and django-axes).
    assert_unavailable_page(sign_in(server))
    asked += 1

    health = server.get("/healthz")
    assert health.status == 503
    assert json.loads(health.body) == {"status": "unavailable", "database": "unreachable"}
    return asked


def assert_logged_once_each(server: Server, count: int, cause: str) -> None:
    log = server.log()
    ours = [line for line in log.splitlines() if OUR_LOG_LINE in line]
    assert len(ours) == count, log[-5000:]
    assert all(cause in line for line in ours), ours
    assert "Traceback" not in log, log[-5000:]


@pytest.mark.parametrize(
    ("database", "cause"),
    [
        ("postgres://postgres@127.0.0.1:9/curator", "Connection refused"),
        ("sqlite-directory", "unable to open database file"),
    ],
)
def test_database_unreachable_from_the_start(database, cause, static_root, tmp_path):
    if database == "sqlite-directory":
        # A directory where the database file should be: settings start, opening fails.
        (tmp_path / "not-a-file.sqlite3").mkdir()
        database = f"sqlite:///{tmp_path / 'not-a-file.sqlite3'}"
    env = server_env(database, static_root)
    with running_server(env, tmp_path / "gunicorn.log") as server:
        asked = check_outage(server)
        assert_logged_once_each(server, asked, cause)


def test_database_goes_away_while_the_server_runs_and_comes_back(static_root, tmp_path):
    with scratch_postgres("curator_errors") as database_url:
        manage("migrate", "--noinput", "-v", "0", env=dev_env(database_url))
        manage("load_demo", env=dev_env(database_url))
        name = urllib.parse.urlsplit(database_url).path.lstrip("/")
        # Persistent connections: the outage also kills a connection the worker holds open.
        env = server_env(database_url, static_root, DATABASE_CONN_MAX_AGE="600")
        with running_server(env, tmp_path / "gunicorn.log") as server:
            before = {path: server.get(path) for path in ("/", DEMO_LIST, "/api/lists/")}
            assert {path: answer.status for path, answer in before.items()} == dict.fromkeys(
                before, 200
            )

            admin = postgres_admin()
            try:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                )
                asked = check_outage(
                    server, cached={path: answer.body for path, answer in before.items()}
                )
                assert_logged_once_each(server, asked, "OperationalError")
                assert "not currently accepting connections" in server.log()
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
                admin.close()

            # Back without a restart.
            assert server.get("/healthz").status == 200
            assert server.get("/").status == 200
            assert server.get(f"{DEMO_LIST}search/?q=markdown").status == 200
            assert server.get("/api/lists/").status == 200


# --- In process: the handler itself -----------------------------------------------------------
def _database_down(request):  # type: ignore[no-untyped-def]
    raise OperationalError('connection to server at "db" failed: Connection refused')


def _wrapped_database_down(request):  # type: ignore[no-untyped-def]
    try:
        _database_down(request)
    except OperationalError as error:
        raise RuntimeError("rendering failed") from error


def _bug(request):  # type: ignore[no-untyped-def]
    raise ValueError("a bug")


urlpatterns = [
    path("db/", _database_down),
    path("wrapped/", _wrapped_database_down),
    path("bug/", _bug),
    path("api/db/", _database_down),
    path("api/bug/", _bug),
]
handler500 = "config.errors.server_error"


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/db/", "/wrapped/"])
def test_database_error_is_a_503_page_logged_once(client, url, caplog):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert MESSAGE in html.unescape(body)
    assert "Traceback" not in body
    records = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(records) == 1
    assert OUR_LOG_LINE in records[0].getMessage()
    assert "Connection refused" in records[0].getMessage()


@pytest.mark.urls(__name__)
def test_database_error_under_api_is_json(client):
    response = client.get("/api/db/")
    assert response.status_code == 503
    assert response.json() == {"detail": DATABASE_UNAVAILABLE, "code": "database_unavailable"}


@pytest.mark.urls(__name__)
def test_other_errors_are_a_plain_500_logged_with_the_traceback(client, caplog):
    response = client.get("/bug/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "<h1>Server error</h1>" in body
    assert "a bug" not in body
    assert "Retry-After" not in response
    records = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(records) == 1
    assert records[0].exc_info is not None
    assert records[0].exc_info[0] is ValueError


@pytest.mark.urls(__name__)
def test_other_errors_under_api_are_json(client):
    response = client.get("/api/bug/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


def test_error_page_survives_a_missing_static_manifest(settings, tmp_path, rf):
    """collectstatic forgotten: the page still renders, with the stylesheet's plain name."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    try:
        raise OperationalError("unable to open database file")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert 'href="/static/css/site.css"' in response.content.decode()


def test_database_error_detection():
    assert is_database_unavailable(OperationalError("x"))
    assert is_database_unavailable(InterfaceError("connection already closed"))
    assert not is_database_unavailable(ValueError("x"))
    wrapped = RuntimeError("rendering failed")
    wrapped.__cause__ = OperationalError("server closed the connection unexpectedly")
    assert is_database_unavailable(wrapped)
