"""Open (or update in place) the pull request that carries a regenerated README, through
GitHub's REST API (no Django here: settings arrive as arguments).

One open pull request per head branch: when one is already open, its title and description
are updated and the new commit is simply pushed to its branch; otherwise one is opened. The
client is the project's guarded httpx client (``curation.health.network``), with a timeout;
every refusal of GitHub becomes a sentence a curator can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

API_VERSION = "2022-11-28"


class GitHubError(Exception):
    """GitHub refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str  # the page on github.com (html_url)
    created: bool  # False: an open one was updated


@dataclass
class GitHubPulls:
    """The pull requests of one repository (``owner/name``), as one token sees them."""

    http: httpx.AsyncClient
    api_url: str
    repository: str
    token: str

    def _headers(self) -> dict[str, str]:
        return {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "Authorization": f"Bearer {self.token}",
        }

    def _url(self, tail: str) -> str:
        return f"{self.api_url.rstrip('/')}/repos/{self.repository}/{tail}"

    async def _call(self, method: str, tail: str, **kwargs: Any) -> Any:
        try:
            response = await self.http.request(
                method, self._url(tail), headers=self._headers(), **kwargs
            )
        except httpx.TimeoutException as exc:
            raise GitHubError(f"GitHub did not answer in time ({type(exc).__name__}).") from exc
        except httpx.HTTPError as exc:
            raise GitHubError(f"Could not reach GitHub's API: {exc}") from exc
        if response.is_success:
            try:
                return response.json()
            except ValueError as exc:
                raise GitHubError(
                    f"GitHub answered {response.status_code} with something that is not JSON."
                ) from exc
        raise GitHubError(self.explain(response))

    def explain(self, response: httpx.Response) -> str:
        status = response.status_code
        detail = _message(response)
        if status == 401:
            return (
                f"GitHub refused the token (401 {detail or 'Bad credentials'}): set a valid "
                "PUSH_GITHUB_TOKEN."
            )
        if status == 403 or status == 429:
            if response.headers.get("x-ratelimit-remaining") == "0" or status == 429:
                return f"GitHub's rate limit is spent ({status} {detail}); the push is retried."
            return (
                f"GitHub forbids this ({status} {detail}): the token needs write access to "
                f"{self.repository} (“Contents” and “Pull requests: write” for a fine-grained "
                "token, “repo” for a classic one)."
            )
        if status == 404:
            return f"GitHub has no repository {self.repository}, or the token cannot see it (404)."
        if status == 422:
            return f"GitHub could not open the pull request (422 {detail})."
        return f"GitHub answered {status} {detail}".rstrip() + "."

    async def find_open(self, *, head: str, base: str) -> dict[str, Any] | None:
        """The open pull request from ``head`` into ``base``, as GitHub describes it, or None."""
        owner = self.repository.split("/")[0]
        found = await self._call(
            "GET", "pulls", params={"head": f"{owner}:{head}", "base": base, "state": "open"}
        )
        if isinstance(found, list) and found and isinstance(found[0], dict):
            return found[0]
        return None

    async def open_or_update(self, *, head: str, base: str, title: str, body: str) -> PullRequest:
        found = await self.find_open(head=head, base=base)
        if found is not None:
            number = int(found["number"])
            data = await self._call("PATCH", f"pulls/{number}", json={"title": title, "body": body})
            return PullRequest(number=number, url=str(data.get("html_url", "")), created=False)
        data = await self._call(
            "POST", "pulls", json={"title": title, "head": head, "base": base, "body": body}
        )
        return PullRequest(
            number=int(data["number"]), url=str(data.get("html_url", "")), created=True
        )


def _message(response: httpx.Response) -> str:
    """GitHub's own words: ``message`` and the ``errors`` it lists (422)."""
    try:
        data = response.json()
    except ValueError:
        return response.reason_phrase or ""
    if not isinstance(data, dict):
        return ""
    parts = [str(data.get("message", "")).strip()]
    for error in data.get("errors") or ():
        if isinstance(error, dict):
            text = error.get("message") or " ".join(
                str(error.get(k, "")) for k in ("resource", "field", "code")
            )
            parts.append(str(text).strip())
        else:
            parts.append(str(error))
    return ": ".join(p for p in parts if p)
