"""What GitHub, GitLab and Gitea/Forgejo (Codeberg) say about a repository.

Pure of the database: repository URLs in (``parse_repository``), figures out (``fetch_all``),
so the rules are testable against a local server. ``curation.health.metadata`` writes the
figures to ``catalog.RepositoryInfo``.

The forges ration their APIs (unauthenticated GitHub: 60 requests an hour), so the clients
read the rate-limit headers of every answer. When the quota is spent they wait for the reset
if it is near (``max_wait``) and otherwise stop asking that forge for the rest of the run:
the repositories not asked keep an error "rate limited until HH:MM UTC", never "not found",
because nothing is known about them.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlsplit

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

Forges = Mapping[str, Mapping[str, Any]]

DEFAULT_CONCURRENCY = 4  # per forge; GitHub asks for requests in series to avoid abuse limits
DEFAULT_MAX_WAIT = 60.0  # seconds worth waiting for a quota reset within a run
# GitHub's advice when a refusal says neither when to come back nor how much is left.
UNKNOWN_RESET_WAIT = 60.0
# A reset is announced in whole seconds of the forge's clock; a little slack spares a retry
# that arrives a moment before the quota is back.
RESET_SLACK = 0.25
MAX_ATTEMPTS = 3
NOT_FOUND = "repository not found"


# --- Repository URLs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RepoRef:
    """A repository on a forge, as named by a URL of a list.

    Forges treat names case-insensitively, so two refs differing only in case are the same
    repository: compare ``key``, not the refs, to find duplicates.
    """

    forge: str  # "github", "gitlab" or "gitea" (the keys of REPOSITORY_FORGES)
    host: str  # lower case, without "www."
    full_name: str  # "owner/name"; GitLab: "group/subgroup/…/name"
    web_url: str  # https://host/full_name

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.forge, self.host, self.full_name.lower())

    def __str__(self) -> str:
        return f"{self.host}/{self.full_name}"


_SEGMENT = re.compile(r"^[A-Za-z0-9_.-]+$")

# First path segments that are site pages, not owners.
_GITHUB_RESERVED = frozenset({
    "about", "account", "apps", "blog", "codespaces", "collections", "contact", "customer-stories",
    "dashboard", "enterprise", "enterprises", "events", "explore", "features", "github-copilot",
    "issues", "join", "login", "logout", "marketplace", "mobile", "new", "notifications",
    "organizations", "orgs", "pricing", "pulls", "readme", "resources", "search", "security",
    "sessions", "settings", "signup", "site", "solutions", "sponsors", "stars", "team", "topics",
    "trending", "users", "watching",
})  # fmt: skip
_GITLAB_RESERVED = frozenset({
    "-", "abuse_reports", "admin", "api", "assets", "dashboard", "explore", "groups", "help",
    "import", "invites", "jwt", "oauth", "profile", "projects", "public", "s", "search", "sitemap",
    "snippets", "uploads", "users", "v2",
})  # fmt: skip
_GITEA_RESERVED = frozenset({
    "-", ".well-known", "admin", "api", "assets", "attachments", "avatars", "captcha", "devtest",
    "explore", "issues", "login", "metrics", "milestones", "notifications", "org", "pulls", "repo",
    "swagger.v1.json", "user",
})  # fmt: skip
# Project pages that GitLab still serves without the "/-/" separator (old links): the path
# before them is the project.
_GITLAB_LEGACY_ROUTES = frozenset({
    "activity", "archive", "badges", "blame", "blob", "boards", "branches", "commit", "commits",
    "compare", "container_registry", "deployments", "edit", "environments", "forks", "graphs",
    "issues", "jobs", "labels", "merge_requests", "milestones", "network", "packages", "pipelines",
    "project_members", "raw", "releases", "settings", "snippets", "starrers", "tags", "tree",
    "uploads", "wikis",
})  # fmt: skip


def _owner_and_name(segments: list[str], reserved: frozenset[str]) -> list[str] | None:
    """``owner/name`` from the path of a GitHub- or Gitea-style repository URL."""
    if len(segments) < 2 or segments[0].lower() in reserved:
        return None
    owner, name = segments[0], _strip_git(segments[1])
    if owner.startswith(".") or not _valid_segment(owner) or not _valid_segment(name):
        return None
    return [owner, name]


def _gitlab_path(segments: list[str]) -> list[str] | None:
    """``group/…/project`` from a GitLab URL: everything before ``/-/`` (or an old route)."""
    if "-" in segments:
        segments = segments[: segments.index("-")]
    else:
        for index, segment in enumerate(segments[2:], start=2):
            if segment in _GITLAB_LEGACY_ROUTES:
                segments = segments[:index]
                break
    if len(segments) < 2 or segments[0].lower() in _GITLAB_RESERVED:
        return None
    path = [*segments[:-1], _strip_git(segments[-1])]
    if not all(_valid_segment(segment) for segment in path):
        return None
    return path


def _strip_git(name: str) -> str:
    return name[:-4] if name.lower().endswith(".git") else name


def _valid_segment(segment: str) -> bool:
    return bool(_SEGMENT.match(segment)) and segment not in {".", ".."}


def parse_repository(url: str, forges: Forges | None = None) -> RepoRef | None:
    """The repository a URL points into, or None when it is not one on a configured forge.

    Only the hosts of ``REPOSITORY_FORGES`` count (a self-hosted GitLab must be added there),
    and only paths that name a repository: a user or group page, a site page such as
    github.com/features, a gist or the forge's documentation are not repositories. Paths below
    the repository (``/tree/main/docs``, ``/-/issues/1``) point into it.
    """
    forges = settings.REPOSITORY_FORGES if forges is None else forges
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:  # a malformed port or IPv6 literal
        return None
    if parts.scheme.lower() not in {"http", "https"} or port not in {None, 80, 443}:
        return None
    host = host.removeprefix("www.")
    forge = next(
        (
            name
            for name, config in forges.items()
            if host in {h.lower() for h in config.get("HOSTS", ())}
        ),
        None,
    )
    if forge is None:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if forge == "gitlab":
        path = _gitlab_path(segments)
    else:
        path = _owner_and_name(segments, _GITHUB_RESERVED if forge == "github" else _GITEA_RESERVED)
    if path is None:
        return None
    full_name = "/".join(path)
    return RepoRef(
        forge=forge, host=host, full_name=full_name, web_url=f"https://{host}/{full_name}"
    )


# --- What the forges answer --------------------------------------------------------------------


@dataclass(frozen=True)
class RepoMeta:
    """A forge's answer about one repository, or why there is none.

    ``error`` is set whenever there are no figures (``not_found`` and ``rate_limited`` say
    which case it is), so a caller that keeps old figures on an error needs no more rules.
    """

    stars: int | None = None
    last_activity_at: datetime | None = None
    archived: bool = False
    archived_at: datetime | None = None  # when it was archived, where the forge says (GitHub)
    license: str = ""
    error: str = ""
    not_found: bool = False
    rate_limited: bool = False
    # As the forge spells it now; differs from the URL's after a rename or a transfer.
    full_name: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.year <= 1:  # Go's zero time: Gitea's way of saying "never"
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


# GitLab reports licences by their lower-case licensee key; these are the SPDX spellings, so a
# list shows "Apache-2.0" whichever forge the repository lives on.
_SPDX_IDS = (
    "0BSD", "AFL-3.0", "AGPL-3.0", "Apache-2.0", "Artistic-2.0", "BSD-2-Clause", "BSD-3-Clause",
    "BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0",
    "ECL-2.0", "EPL-1.0", "EPL-2.0", "EUPL-1.1", "EUPL-1.2", "GPL-2.0", "GPL-3.0", "ISC",
    "LGPL-2.1", "LGPL-3.0", "LPPL-1.3c", "MIT", "MIT-0", "MPL-2.0", "MS-PL", "MS-RL",
    "MulanPSL-2.0", "NCSA", "ODbL-1.0", "OFL-1.1", "OSL-3.0", "PostgreSQL", "UPL-1.0", "Unlicense",
    "Vim", "WTFPL", "Zlib",
)  # fmt: skip
_SPDX = {spdx.lower(): spdx for spdx in _SPDX_IDS}


class RateGate:
    """When one forge may be asked again in this run, or that it may not be asked at all.

    Shared by the concurrent requests to a forge: the first answer that reports the quota
    spent pauses all of them until the reset, or closes the forge for the run when the reset
    is further away than ``max_wait``.
    """

    def __init__(self, *, max_wait: float) -> None:
        self.max_wait = max_wait
        self.paused_until = 0.0
        self.closed_until: float | None = None

    async def ready(self) -> bool:
        """Wait out a pause; False when the forge is closed for this run."""
        if self.closed_until is None:
            delay = self.paused_until - time.time()
            if delay > 0:
                # Sleep once rather than loop on the clock: a test's frozen clock would never
                # reach the deadline, and a forge that still refuses is retried a bounded
                # number of times anyway.
                await asyncio.sleep(delay)
        return self.closed_until is None

    def spent_until(self, reset_at: float) -> bool:
        """Record that the quota is spent until ``reset_at``; True if worth waiting for."""
        if reset_at - time.time() <= self.max_wait:
            self.paused_until = max(self.paused_until, reset_at + RESET_SLACK)
            return True
        self.close(reset_at)
        return False

    def close(self, until: float) -> None:
        self.closed_until = max(self.closed_until or 0.0, until)

    def refusal(self) -> RepoMeta:
        until = datetime.fromtimestamp(self.closed_until or time.time(), tz=UTC)
        return RepoMeta(error=f"rate limited until {until:%H:%M} UTC", rate_limited=True)


def _header_number(response: httpx.Response, *names: str) -> float | None:
    for name in names:
        value = response.headers.get(name)
        if value is None:
            continue
        try:
            return float(value)
        except ValueError:
            continue
    return None


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from a Retry-After header (delay in seconds or an HTTP date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _quota(response: httpx.Response) -> tuple[float | None, float | None]:
    """(requests left, reset as epoch seconds) from GitHub's or GitLab's headers."""
    remaining = _header_number(response, "x-ratelimit-remaining", "ratelimit-remaining")
    reset = _header_number(response, "x-ratelimit-reset", "ratelimit-reset")
    if reset is not None and reset < 1e9:  # the IETF draft's form: seconds from now
        reset = time.time() + reset
    return remaining, reset


def _is_refusal(response: httpx.Response, remaining: float | None) -> bool:
    """Whether the forge refused the request for its rate limit (not for access rights)."""
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    # GitHub answers 403 both for a spent quota and for a blocked repository.
    return (
        remaining == 0 or "retry-after" in response.headers or "rate limit" in response.text.lower()
    )


class ForgeClient:
    """Asks one forge's API about repositories; subclasses know the forge's URLs and JSON."""

    forge: ClassVar[str]
    label: ClassVar[str]
    headers: ClassVar[dict[str, str]] = {"Accept": "application/json"}
    params: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_url: str,
        token: str = "",
        gate: RateGate | None = None,
    ) -> None:
        self.http = http
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.gate = gate or RateGate(max_wait=DEFAULT_MAX_WAIT)

    # What each forge does differently.

    def auth_headers(self) -> dict[str, str]:
        raise NotImplementedError

    def repository_url(self, ref: RepoRef) -> str:
        raise NotImplementedError

    def to_meta(self, data: dict[str, Any]) -> RepoMeta:
        raise NotImplementedError

    def batch_size(self) -> int:
        """How many repositories one request may ask about (0: one request per repository)."""
        return 0

    async def fetch_batch(self, refs: list[RepoRef]) -> dict[RepoRef, RepoMeta]:
        raise NotImplementedError

    # The common part.

    async def fetch(self, ref: RepoRef) -> RepoMeta:
        answer = await self.get(self.repository_url(ref), params=self.params)
        if isinstance(answer, RepoMeta):
            return answer
        data = self.read_json(answer)
        if isinstance(data, RepoMeta):
            return data
        return await self.complete(ref, data, self.to_meta(data))

    async def complete(self, ref: RepoRef, data: dict[str, Any], meta: RepoMeta) -> RepoMeta:
        """A hook for forges whose repository answer lacks something (see Gitea)."""
        return meta

    async def get(
        self, url: str, *, params: Mapping[str, str] | None = None
    ) -> httpx.Response | RepoMeta:
        """GET with the forge's headers, within its rate limit; a RepoMeta when it failed."""
        return await self.request("GET", url, params=params)

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
    ) -> httpx.Response | RepoMeta:
        """A request with the forge's headers, within its rate limit; a RepoMeta when it failed."""
        headers = {**self.headers, **(self.auth_headers() if self.token else {})}
        for _attempt in range(MAX_ATTEMPTS):
            if not await self.gate.ready():
                return self.gate.refusal()
            try:
                response = await self.http.request(
                    method, url, params=params, json=json, headers=headers, follow_redirects=True
                )
            except httpx.HTTPError as exc:
                return RepoMeta(error=f"{self.label} unreachable: {_describe(exc)}")
            remaining, reset = _quota(response)
            if _is_refusal(response, remaining):
                wait = _retry_after(response)
                if wait is not None:
                    reset = time.time() + wait
                elif reset is None or remaining not in {None, 0}:
                    # Quota left yet refused: an abuse limit, which names no reset.
                    reset = time.time() + UNKNOWN_RESET_WAIT
                logger.info(
                    "%s rate limit reached; reset at %s",
                    self.label,
                    datetime.fromtimestamp(reset, tz=UTC).isoformat(timespec="seconds"),
                )
                if self.gate.spent_until(reset):
                    continue
                return self.gate.refusal()
            if remaining == 0 and reset is not None:
                # This answer is good, the next one would be refused: don't ask for it.
                self.gate.spent_until(reset)
            return response
        self.gate.close(self.gate.paused_until)
        return self.gate.refusal()

    def read_json(self, response: httpx.Response) -> dict[str, Any] | RepoMeta:
        if response.status_code in {404, 410}:
            return RepoMeta(error=NOT_FOUND, not_found=True)
        if not response.is_success:
            detail = _message(response)
            return RepoMeta(
                error=f"{self.label} answered HTTP {response.status_code}"
                + (f": {detail}" if detail else "")
            )
        try:
            data = response.json()
        except ValueError:
            return RepoMeta(error=f"{self.label} answered something other than JSON")
        if not isinstance(data, dict):
            return RepoMeta(error=f"{self.label} answered an unexpected JSON document")
        return data


def _message(response: httpx.Response) -> str:
    """The forge's own words about a failure, kept short."""
    try:
        data = response.json()
    except ValueError:
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    return message[:200] if isinstance(message, str) else ""


def _describe(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text[:300]


GRAPHQL_BATCH = 50  # repositories per GraphQL query (GitHub allows 500 000 nodes, 1 point)

# What the checklist and the list pages need of a repository; "last activity" is the default
# branch's last commit: ``pushedAt`` moves with any push to any branch, bots included.
GRAPHQL_FIELDS = """
fragment Figures on Repository {
  nameWithOwner
  stargazerCount
  isArchived
  archivedAt
  licenseInfo { spdxId name }
  defaultBranchRef { target { ... on Commit { committedDate } } }
}"""


class GitHubClient(ForgeClient):
    """With a token: GraphQL, ``GRAPHQL_BATCH`` repositories per query (a refresh of 3,000
    repositories is 60 requests of one point each). Without one (GitHub's GraphQL API needs a
    token): REST ``GET /repos/{owner}/{repo}`` (a renamed repository answers 301 to its new
    address), then ``…/branches/{default}`` for the date of the last commit, as for Gitea;
    ``pushed_at`` stands in only when that second request fails."""

    forge = "github"
    label = "GitHub"
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}

    def __init__(self, *args: Any, batch: int = GRAPHQL_BATCH, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def batch_size(self) -> int:
        return self.batch if self.token and self.batch > 0 else 0

    def repository_url(self, ref: RepoRef) -> str:
        owner, name = ref.full_name.split("/", 1)
        return f"{self.api_url}/repos/{quote(owner)}/{quote(name)}"

    def to_meta(self, data: dict[str, Any]) -> RepoMeta:
        licence = data.get("license")
        if not isinstance(licence, dict):  # null: no licence file found
            licence = {}
        spdx = _str(licence.get("spdx_id"))
        # NOASSERTION: GitHub found a licence file it cannot name ("Other").
        name = _str(licence.get("name")) if spdx in {"", "NOASSERTION"} else spdx
        return RepoMeta(
            stars=_int(data.get("stargazers_count")),
            last_activity_at=_time(data.get("pushed_at")),  # until the branch says better
            archived=bool(data.get("archived")),
            license=name,
            full_name=_str(data.get("full_name")),
        )

    async def complete(self, ref: RepoRef, data: dict[str, Any], meta: RepoMeta) -> RepoMeta:
        branch = _str(data.get("default_branch"))
        if not branch or not data.get("pushed_at"):  # never pushed to: no commit to ask about
            return meta
        full_name = meta.full_name or ref.full_name
        owner, name = full_name.split("/", 1)
        url = f"{self.api_url}/repos/{quote(owner)}/{quote(name)}/branches/{quote(branch)}"
        answer = await self.get(url)
        if isinstance(answer, RepoMeta) or not answer.is_success:
            return meta
        try:
            commit = answer.json()["commit"]["commit"]
            when = commit.get("committer", {}).get("date") or commit.get("author", {}).get("date")
        except (ValueError, KeyError, TypeError, AttributeError):
            return meta
        committed_at = _time(when)
        return replace(meta, last_activity_at=committed_at) if committed_at else meta

    async def fetch_batch(self, refs: list[RepoRef]) -> dict[RepoRef, RepoMeta]:
        """One GraphQL query for ``refs`` (aliases r0, r1 …; names passed as variables)."""
        params = ", ".join(f"$o{i}: String!, $n{i}: String!" for i in range(len(refs)))
        lookups = "\n".join(
            f"  r{i}: repository(owner: $o{i}, name: $n{i}) {{ ...Figures }}"
            for i in range(len(refs))
        )
        variables: dict[str, str] = {}
        for i, ref in enumerate(refs):
            variables[f"o{i}"], variables[f"n{i}"] = ref.full_name.split("/", 1)
        query = f"query({params}) {{\n{lookups}\n}}\n{GRAPHQL_FIELDS}"
        answer = await self.request(
            "POST", f"{self.api_url}/graphql", json={"query": query, "variables": variables}
        )
        if isinstance(answer, RepoMeta):
            return dict.fromkeys(refs, answer)
        body = self.read_json(answer)
        if isinstance(body, RepoMeta):
            return dict.fromkeys(refs, body)
        found = body.get("data")
        data: dict[str, Any] = found if isinstance(found, dict) else {}
        errors = {
            str(error["path"][0]): error
            for error in body.get("errors") or []
            if isinstance(error, dict) and isinstance(error.get("path"), list) and error["path"]
        }
        results = {}
        for i, ref in enumerate(refs):
            node = data.get(f"r{i}")
            if isinstance(node, dict):
                results[ref] = self.graphql_meta(node)
                continue
            error = errors.get(f"r{i}", {})
            if error.get("type") == "NOT_FOUND":
                results[ref] = RepoMeta(error=NOT_FOUND, not_found=True)
            elif error.get("type") == "RATE_LIMITED":
                _remaining, reset = _quota(answer)
                self.gate.close(reset or time.time() + UNKNOWN_RESET_WAIT)
                results[ref] = self.gate.refusal()
            else:
                message = _str(error.get("message"))[:200] or "no answer for this repository"
                results[ref] = RepoMeta(error=f"GitHub GraphQL: {message}")
        return results

    def graphql_meta(self, node: dict[str, Any]) -> RepoMeta:
        licence = node.get("licenseInfo")
        if not isinstance(licence, dict):
            licence = {}
        spdx = _str(licence.get("spdxId"))
        name = _str(licence.get("name")) if spdx in {"", "NOASSERTION"} else spdx
        branch = node.get("defaultBranchRef")
        target = branch.get("target") if isinstance(branch, dict) else None
        committed = target.get("committedDate") if isinstance(target, dict) else None
        return RepoMeta(
            stars=_int(node.get("stargazerCount")),
            last_activity_at=_time(committed),
            archived=bool(node.get("isArchived")),
            archived_at=_time(node.get("archivedAt")),
            license=name,
            full_name=_str(node.get("nameWithOwner")),
        )


class GitLabClient(ForgeClient):
    """``GET /projects/{url-encoded path}?license=true`` (the licence only when asked for)."""

    forge = "gitlab"
    label = "GitLab"
    params = {"license": "true"}

    def auth_headers(self) -> dict[str, str]:
        return {"PRIVATE-TOKEN": self.token}

    def repository_url(self, ref: RepoRef) -> str:
        return f"{self.api_url}/projects/{quote(ref.full_name, safe='')}"

    def to_meta(self, data: dict[str, Any]) -> RepoMeta:
        licence = data.get("license")
        if not isinstance(licence, dict):  # null: no licence file found
            licence = {}
        key = _str(licence.get("key"))
        name = (
            _SPDX.get(key.lower())
            or _str(licence.get("nickname"))
            or _str(licence.get("name"))
            or key
        )
        return RepoMeta(
            stars=_int(data.get("star_count")),
            # Pushes, and also issue and merge request activity (at most hourly).
            last_activity_at=_time(data.get("last_activity_at")),
            archived=bool(data.get("archived")),
            license=name,
            full_name=_str(data.get("path_with_namespace")),
        )


class GiteaClient(ForgeClient):
    """``GET /repos/{owner}/{repo}``, then the default branch for the date of its last commit.

    Gitea and Forgejo have no ``pushed_at``: ``updated_at`` moves on a push but also on any
    change of the settings, so an abandoned repository whose description was edited would look
    alive. The head commit of the default branch says when the code last changed; it costs a
    second request, and ``updated_at`` stands in when that one fails. ``licenses`` (SPDX ids)
    exists on recent Gitea (1.23+) only; Forgejo (Codeberg) leaves it out, so the licence stays
    empty there.
    """

    forge = "gitea"
    label = "Gitea"

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def repository_url(self, ref: RepoRef) -> str:
        owner, name = ref.full_name.split("/", 1)
        return f"{self.api_url}/repos/{quote(owner)}/{quote(name)}"

    def to_meta(self, data: dict[str, Any]) -> RepoMeta:
        licences = data.get("licenses")
        names = (
            [name for name in licences if isinstance(name, str)]
            if isinstance(licences, list)
            else []
        )
        return RepoMeta(
            stars=_int(data.get("stars_count")),
            last_activity_at=_time(data.get("updated_at")),
            archived=bool(data.get("archived")),
            license=", ".join(names)[:100],
            full_name=_str(data.get("full_name")),
        )

    async def complete(self, ref: RepoRef, data: dict[str, Any], meta: RepoMeta) -> RepoMeta:
        branch = _str(data.get("default_branch"))
        if not branch or data.get("empty"):
            return meta
        answer = await self.get(f"{self.repository_url(ref)}/branches/{quote(branch)}")
        if isinstance(answer, RepoMeta) or not answer.is_success:
            return meta
        try:
            commit = answer.json().get("commit")
        except (ValueError, AttributeError):
            return meta
        committed_at = _time(commit.get("timestamp")) if isinstance(commit, dict) else None
        return replace(meta, last_activity_at=committed_at) if committed_at else meta


CLIENTS: dict[str, type[ForgeClient]] = {
    client.forge: client for client in (GitHubClient, GitLabClient, GiteaClient)
}


def default_client(*, max_connections: int = 100) -> httpx.AsyncClient:
    """The outbound client of the link checker: timeout, User-Agent and the address guard."""
    from curation.health.network import async_client

    check = settings.LINK_CHECK
    return async_client(
        timeout=check["TIMEOUT"], user_agent=check["USER_AGENT"], max_connections=max_connections
    )


async def fetch_all(
    refs: Iterable[RepoRef],
    *,
    client: httpx.AsyncClient | None = None,
    forges: Forges | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_wait: float = DEFAULT_MAX_WAIT,
    on_result: Callable[[RepoRef, RepoMeta], None] | None = None,
) -> dict[RepoRef, RepoMeta]:
    """Ask the forges about each repository once; a RepoMeta for every ref given.

    Refs naming the same repository (``RepoRef.key``) share one request. ``concurrency``
    bounds the requests in flight per forge, so a forge that makes us wait for its reset
    does not hold up the others. ``on_result`` is called in the event loop as answers come
    in (for progress output): it must not touch the database.
    """
    forges = settings.REPOSITORY_FORGES if forges is None else forges
    by_key: dict[tuple[str, str, str], list[RepoRef]] = {}
    for ref in dict.fromkeys(refs):
        by_key.setdefault(ref.key, []).append(ref)
    results: dict[RepoRef, RepoMeta] = {}
    if not by_key:
        return results

    http = client or default_client(max_connections=concurrency * max(1, len(forges)))
    try:
        clients = {
            name: CLIENTS[name](
                http,
                api_url=config["API_URL"],
                token=config.get("TOKEN") or "",
                gate=RateGate(max_wait=max_wait),
                **({"batch": config["BATCH"]} if "BATCH" in config else {}),
            )
            for name, config in forges.items()
            if name in CLIENTS and config.get("API_URL")
        }
        slots = {name: asyncio.Semaphore(concurrency) for name in clients}

        def deliver(same: list[RepoRef], meta: RepoMeta) -> None:
            for ref in same:
                results[ref] = meta
                if on_result is not None:
                    on_result(ref, meta)

        async def batch(forge: str, groups: list[list[RepoRef]]) -> None:
            async with slots[forge]:
                metas = await clients[forge].fetch_batch([same[0] for same in groups])
            for same in groups:
                deliver(same, metas[same[0]])

        async def one(same: list[RepoRef]) -> None:
            forge = same[0].forge
            if forge not in clients:
                meta = RepoMeta(error=f"no API configured for {forge}")
            else:
                async with slots[forge]:
                    meta = await clients[forge].fetch(same[0])
            deliver(same, meta)

        jobs = []
        batched: dict[str, list[list[RepoRef]]] = {}
        for same in by_key.values():
            forge = same[0].forge
            if forge in clients and clients[forge].batch_size():
                batched.setdefault(forge, []).append(same)
            else:
                jobs.append(one(same))
        for forge, groups in batched.items():
            size = clients[forge].batch_size()
            jobs.extend(batch(forge, groups[i : i + size]) for i in range(0, len(groups), size))
        await asyncio.gather(*jobs)
    finally:
        if client is None:
            await http.aclose()
    return results
