"""Where ``render_readme`` reads a list document from: a saved file, or its URL on a CMS.

No database here: a list repository's CI runs this with nothing but the document. Outbound
HTTP goes through one small function with a timeout and a User-Agent; the client is injectable
so the tests point it at a local server.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from catalog.document_json import DocumentError, document_from_json
from catalog.markdown.document import ListDoc

DEFAULT_TIMEOUT = 30.0
USER_AGENT = "awesome-curator-render-readme/1 (+https://github.com/awesome-curator)"


class SourceError(Exception):
    """The document could not be read; the message says what to fix."""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_source(
    source: str, *, timeout: float = DEFAULT_TIMEOUT, client: httpx.Client | None = None
) -> ListDoc:
    """The ``ListDoc`` in ``source``: a path, or an http(s) URL fetched with ``timeout``."""
    raw = fetch(source, timeout=timeout, client=client) if is_url(source) else read_file(source)
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceError(f"{source} is not JSON ({error}).") from error
    try:
        return document_from_json(data)
    except DocumentError as error:
        raise SourceError(
            f"{source} is not a list document this version can render: {error}"
        ) from error


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as error:
        raise SourceError(f"No file {path}: give a saved list document or its URL.") from error
    except OSError as error:
        raise SourceError(f"Cannot read {path}: {error.strerror}.") from error


def fetch(url: str, *, timeout: float, client: httpx.Client | None = None) -> bytes:
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    try:
        if client is None:
            with httpx.Client(timeout=timeout, follow_redirects=True) as own:
                response = own.get(url, headers=headers)
        else:
            response = client.get(url, headers=headers, timeout=timeout)
    except httpx.TimeoutException as error:
        raise SourceError(f"{url} did not answer within {timeout:g} seconds.") from error
    except httpx.HTTPError as error:
        raise SourceError(f"Cannot fetch {url}: {error}.") from error
    if response.status_code != 200:
        raise SourceError(
            f"{url} answered {response.status_code} {response.reason_phrase}"
            + (": is the list's slug right?" if response.status_code == 404 else ".")
        )
    return response.content
