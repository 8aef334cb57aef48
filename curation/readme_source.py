"""Where ``sync_readme`` and the admin's "Sync from README" read a README from: a file, standard
input, or an http(s) URL fetched with the guarded client (``curation.health.network``), so a
URL typed in the admin cannot reach the site's own network."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
from django.conf import settings

from catalog.importer import MAX_README_BYTES
from curation.health.network import async_client, run_async

TIMEOUT = 30.0
MAX_REDIRECTS = 5


class SourceError(Exception):
    """The README could not be read; the message says what to fix."""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_source(source: str, *, allowed_networks: list[str] | None = None) -> bytes:
    """The bytes of ``source``: a path (a file, or a folder holding README.md), ``-``, a URL."""
    if source == "-":
        return sys.stdin.buffer.read()
    if is_url(source):
        return fetch_readme(source, allowed_networks=allowed_networks)
    file = Path(source)
    if file.is_dir():
        file = file / "README.md"
    if not file.is_file():
        raise SourceError(f"No README at {file}: give a file, a folder, - for stdin, or a URL.")
    try:
        return file.read_bytes()
    except OSError as error:
        raise SourceError(f"Cannot read {file}: {error.strerror}.") from error


def fetch_readme(url: str, *, allowed_networks: list[str] | None = None) -> bytes:
    """GET a raw README (redirects followed, each hop guarded), at most 5 MB."""
    return run_async(_fetch(url, allowed_networks))


async def _fetch(url: str, allowed_networks: list[str] | None) -> bytes:
    user_agent = settings.LINK_CHECK["USER_AGENT"]
    async with async_client(
        timeout=TIMEOUT, user_agent=user_agent, allowed_networks=allowed_networks
    ) as client:
        try:
            for _ in range(MAX_REDIRECTS + 1):
                async with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = str(response.url.join(response.headers["location"]))
                        continue
                    if response.status_code != 200:
                        raise SourceError(
                            f"{url} answered {response.status_code} {response.reason_phrase}; "
                            "give the URL of the raw README."
                        )
                    data = bytearray()
                    async for chunk in response.aiter_bytes():
                        data.extend(chunk)
                        if len(data) > MAX_README_BYTES:
                            raise SourceError(
                                f"{url} is larger than {MAX_README_BYTES // 1024 // 1024} MB: "
                                "this is not a README."
                            )
                    return bytes(data)
        except httpx.TimeoutException as error:
            raise SourceError(f"{url} did not answer within {TIMEOUT:g} seconds.") from error
        except httpx.HTTPError as error:
            raise SourceError(f"Cannot fetch {url}: {error}.") from error
    raise SourceError(f"{url} redirected more than {MAX_REDIRECTS} times.")
