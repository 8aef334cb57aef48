"""The site as separate processes, for tests that need the real thing: a server answering HTTP
from its own process, a command killed half way, a scratch database of its own.

``manage(…)`` runs ``manage.py`` with a clean environment (nothing of the test run's DJANGO_* or
DATABASE_* leaks in); ``Server`` runs gunicorn from the venv; ``scratch_postgres()`` creates a
database on the PostgreSQL server the suite uses (or 127.0.0.1:5432) and drops it afterwards.
PostgreSQL missing skips on a developer's machine and fails in CI (``require_or_skip``).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.conftest import REPO_ROOT, require_or_skip

VENV_BIN = Path(sys.executable).parent


def clean_env(**overrides: str) -> dict[str, str]:
    """The current environment without the site's own variables, plus ``overrides``."""
    own = ("DJANGO_", "DATABASE_", "CACHE_", "TASKS_", "API_THROTTLE_", "PYTEST_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    env.update({"PYTHONPATH": str(REPO_ROOT), "DJANGO_SETTINGS_MODULE": "config.settings"})
    env.update(overrides)
    return env


def dev_env(database_url: str, **overrides: str) -> dict[str, str]:
    """What a developer's shell has: DEBUG on, the given database, a local-memory cache."""
    return clean_env(
        DJANGO_DEBUG="true", DATABASE_URL=database_url, CACHE_URL="locmemcache://", **overrides
    )


def manage(
    *args: str, env: dict[str, str], check: bool = True, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- HTTP -------------------------------------------------------------------------------------
@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def fetch(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
    """One request, whatever its status (an error status is an answer, not an exception)."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw_headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, raw_headers, body = error.code, error.headers, error.read()
    merged: dict[str, str] = {}
    for name, value in raw_headers.items():
        key = name.lower()
        merged[key] = f"{merged[key]}\n{value}" if key in merged else value
    return Answer(status, merged, body.decode("utf-8", "replace"))


# --- A server in a process of its own -----------------------------------------------------------
@dataclass
class Server:
    """gunicorn serving the site with production settings (DEBUG off) on a free port."""

    env: dict[str, str]
    log_path: Path
    workers: int = 1
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--timeout=60",
                "--graceful-timeout=5",
                "--no-control-socket",
            ],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited {self.process.returncode}:\n{self.log()}")
            try:
                fetch(f"{self.url}/healthz")  # any status: the server answers
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer within 30 s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def get(self, path: str, **kwargs: object) -> Answer:
        return fetch(self.url + path, **kwargs)  # type: ignore[arg-type]

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""


def production_env(database_url: str, **overrides: str) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, a secret key, plain HTTP allowed."""
    return clean_env(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        CACHE_URL="locmemcache://",
        **overrides,
    )


@contextmanager
def running_server(env: dict[str, str], log_path: Path, **kwargs: object) -> Iterator[Server]:
    server = Server(env=env, log_path=log_path, **kwargs)  # type: ignore[arg-type]
    try:
        yield server.start()
    finally:
        server.stop()


# --- PostgreSQL -------------------------------------------------------------------------------
def postgres_server_url() -> str:
    """The PostgreSQL server of the suite's DATABASE_URL if it is one, else 127.0.0.1:5432."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))


def postgres_admin():  # type: ignore[no-untyped-def]
    """An autocommit connection to the server's ``postgres`` database (skip/fail if none)."""
    import psycopg

    try:
        return psycopg.connect(postgres_server_url(), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        require_or_skip(False, f"PostgreSQL is not answering at {postgres_server_url()}: {error}")
        raise


@contextmanager
def scratch_postgres(prefix: str = "curator_scratch") -> Iterator[str]:
    """A new, empty PostgreSQL database; yields its URL and drops it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = postgres_admin()
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(("postgres", urlsplit(postgres_server_url()).netloc, f"/{name}", "", ""))
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
