"""A local imitation of the GitHub, GitLab and Gitea/Forgejo APIs (a real HTTP server).

    with FakeForges() as forges:
        settings.REPOSITORY_FORGES = forges.forge_settings(tokens=True)
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        forges.add_github("django/django", stars=81000, license="BSD-3-Clause")
        forges.fail("github", "psf/requests", 500)
        forges.set_quota("github", remaining=1, reset_in=3600)
        ...
        forges.requests            # every request, with its headers

Answers are shaped like the real ones (the fields the client reads, and enough of the others
to be recognisable): GitHub REST ``/repos/{owner}/{repo}``, ``…/branches/{branch}`` and
``/repositories/{id}`` (the target of a renamed repository's 301), GitHub GraphQL
(``POST /graphql``: the aliased ``repository(owner:, name:)`` lookups the client sends, names in
the variables, a token required), GitLab v4 ``/projects/{url-encoded path}`` with
``?license=true``, Gitea/Forgejo v1 ``/repos/{owner}/{repo}`` and ``…/branches/{branch}``.
Rate limits use each forge's headers: GitHub ``x-ratelimit-*`` and a 403 when spent, GitLab
``RateLimit-*`` and a 429 with ``Retry-After``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FORGES = ("github", "gitlab", "gitea")
HOSTS = {"github": "github.com", "gitlab": "gitlab.com", "gitea": "codeberg.org"}
API_PATHS = {"github": "/github", "gitlab": "/gitlab/api/v4", "gitea": "/gitea/api/v1"}
TOKENS = {"github": "ghp_fakeGitHubToken", "gitlab": "glpat-fakeGitLabToken", "gitea": "fake1ea"}
LICENCES = {
    # GitHub's spdx_id → (licensee key, name, GitLab nickname)
    "MIT": ("mit", "MIT License", None),
    "Apache-2.0": ("apache-2.0", "Apache License 2.0", None),
    "GPL-3.0": ("gpl-3.0", "GNU General Public License v3.0", "GNU GPLv3"),
    "BSD-3-Clause": ("bsd-3-clause", 'BSD 3-Clause "New" or "Revised" License', None),
    "NOASSERTION": ("other", "Other", None),
}


@dataclass
class Seen:
    forge: str
    path: str  # as sent, percent-encoding and query included
    headers: dict[str, str]  # lower-case names


@dataclass
class Quota:
    limit: int
    remaining: int
    reset: int  # epoch seconds, as the forges send it

    @property
    def used(self) -> int:
        return self.limit - self.remaining


@dataclass
class FakeForges:
    repos: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {forge: {} for forge in FORGES}
    )
    branches: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # GitHub: what only GraphQL shows (archivedAt, the default branch's last commit).
    github_extra: dict[str, dict[str, Any]] = field(default_factory=dict)
    github_branches: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    queries: list[dict[str, Any]] = field(default_factory=list)  # GraphQL bodies received
    moved: dict[str, int] = field(default_factory=dict)  # GitHub old name → repository id
    failures: dict[tuple[str, str], int] = field(default_factory=dict)
    throttled: dict[str, list[int]] = field(default_factory=lambda: {f: [] for f in FORGES})
    quotas: dict[str, Quota] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next_id: int = 1000

    # --- life cycle ---

    def __enter__(self) -> FakeForges:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def api_url(self, forge: str) -> str:
        return self.base_url + API_PATHS[forge]

    def forge_settings(self, *, tokens: bool = False) -> dict[str, dict[str, Any]]:
        """REPOSITORY_FORGES for this server: the real hosts, the APIs here."""
        return {
            forge: {
                "HOSTS": [HOSTS[forge]],
                "API_URL": self.api_url(forge),
                "TOKEN": TOKENS[forge] if tokens else "",
            }
            for forge in FORGES
        }

    def requests_to(self, forge: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.forge == forge]

    # --- what the forges hold ---

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def add_github(
        self,
        full_name: str,
        *,
        stars: int = 10,
        pushed_at: datetime | None = datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        archived: bool = False,
        license: str | None = "MIT",
        renamed_from: str | None = None,
        committed_at: datetime | str | None = "pushed_at",
        archived_at: datetime | None = None,
    ) -> dict[str, Any]:
        """A repository; its default branch's last commit is ``committed_at`` (by default the
        push time; a bot pushing to another branch makes them differ)."""
        owner, name = full_name.split("/")
        if committed_at == "pushed_at":
            committed_at = pushed_at
        assert not isinstance(committed_at, str)
        repo_id = self._id()
        licence = None
        if license is not None:
            key, title, _nick = LICENCES[license]
            licence = {
                "key": key,
                "name": title,
                "spdx_id": license,
                "url": None
                if license == "NOASSERTION"
                else f"https://api.github.com/licenses/{key}",
                "node_id": "MDc6TGljZW5zZTEz",
            }
        created = datetime(2015, 3, 1, tzinfo=UTC)
        data = {
            "id": repo_id,
            "node_id": "MDEwOlJlcG9zaXRvcnkx",
            "name": name,
            "full_name": full_name,
            "private": False,
            "owner": {"login": owner, "id": repo_id + 1, "type": "Organization"},
            "html_url": f"https://github.com/{full_name}",
            "description": f"{name}, a fine tool.",
            "fork": False,
            "url": f"https://api.github.com/repos/{full_name}",
            "created_at": _z(created),
            "updated_at": _z(pushed_at or created),
            "pushed_at": _z(pushed_at) if pushed_at else None,
            "homepage": "",
            "size": 4242,
            "stargazers_count": stars,
            "watchers_count": stars,
            "language": "Python",
            "forks_count": stars // 10,
            "archived": archived,
            "disabled": False,
            "open_issues_count": 7,
            "license": licence,
            "topics": ["tool"],
            "visibility": "public",
            "default_branch": "main",
            "network_count": stars // 10,
            "subscribers_count": stars // 50,
        }
        self.repos["github"][full_name.lower()] = data
        self.github_extra[full_name.lower()] = {
            "committed_at": committed_at,
            "archived_at": archived_at if archived else None,
        }
        if committed_at is not None:
            self.github_branches[(full_name.lower(), "main")] = {
                "name": "main",
                "commit": {
                    "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
                    "commit": {
                        "author": {"name": "A. Maintainer", "date": _z(committed_at)},
                        "committer": {"name": "GitHub", "date": _z(committed_at)},
                        "message": "Fix the thing",
                    },
                },
                "protected": False,
            }
        if renamed_from:
            self.moved[renamed_from.lower()] = repo_id
        return data

    def add_gitlab(
        self,
        path: str,
        *,
        stars: int = 10,
        last_activity_at: datetime = datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        archived: bool = False,
        license: str | None = "MIT",
    ) -> dict[str, Any]:
        *namespace, name = path.split("/")
        project_id = self._id()
        licence = None
        if license is not None:
            key, title, nickname = LICENCES[license]
            licence = {
                "key": key,
                "name": title,
                "nickname": nickname,
                "html_url": f"https://opensource.org/licenses/{license}",
                "source_url": None,
            }
        data = {
            "id": project_id,
            "description": f"{name}, a fine tool.",
            "name": name,
            "name_with_namespace": " / ".join([*namespace, name]),
            "path": name,
            "path_with_namespace": path,
            "created_at": "2016-02-01T09:30:00.000Z",
            "default_branch": "main",
            "web_url": f"https://gitlab.com/{path}",
            "star_count": stars,
            "forks_count": stars // 10,
            "last_activity_at": last_activity_at.isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"
            ),
            "archived": archived,
            "visibility": "public",
            "empty_repo": False,
            "namespace": {"id": project_id + 1, "full_path": "/".join(namespace), "kind": "group"},
            "license_url": f"https://gitlab.com/{path}/-/blob/main/LICENSE" if licence else None,
            "license": licence,
        }
        self.repos["gitlab"][path.lower()] = data
        return data

    def add_gitea(
        self,
        full_name: str,
        *,
        stars: int = 10,
        updated_at: datetime = datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        archived: bool = False,
        licenses: list[str] | None = None,
        committed_at: datetime | None = None,
        default_branch: str = "main",
        empty: bool = False,
    ) -> dict[str, Any]:
        """A repository; ``licenses=None`` leaves the field out, as Forgejo does."""
        owner, name = full_name.split("/")
        berlin = timedelta(hours=2)
        data: dict[str, Any] = {
            "id": self._id(),
            "owner": {"id": 7, "login": owner, "username": owner},
            "name": name,
            "full_name": full_name,
            "description": f"{name}, a fine tool.",
            "empty": empty,
            "private": False,
            "fork": False,
            "mirror": False,
            "size": 1234,
            "html_url": f"https://codeberg.org/{full_name}",
            "url": f"https://codeberg.org/api/v1/repos/{full_name}",
            "stars_count": stars,
            "forks_count": stars // 10,
            "watchers_count": stars // 5,
            "open_issues_count": 3,
            "default_branch": default_branch,
            "archived": archived,
            "created_at": "2020-01-02T03:04:05+01:00",
            # Gitea writes local time with an offset.
            "updated_at": (updated_at + berlin).replace(tzinfo=None).isoformat() + "+02:00",
            "archived_at": "1970-01-01T00:00:00Z",
            "mirror_updated": "0001-01-01T00:00:00Z",
            "topics": [],
        }
        if licenses is not None:
            data["licenses"] = licenses
        self.repos["gitea"][full_name.lower()] = data
        if committed_at is not None:
            self.branches[(full_name.lower(), default_branch)] = {
                "name": default_branch,
                "commit": {
                    "id": "8f2c1e0d9b7a6c5e4f3a2b1c0d9e8f7a6b5c4d3e",
                    "message": "Fix the thing\n",
                    "url": f"https://codeberg.org/{full_name}/commit/8f2c1e0d",
                    "author": {
                        "name": "A. Maintainer",
                        "email": "a@example.org",
                        "username": owner,
                    },
                    "committer": {"name": "A. Maintainer", "email": "a@example.org"},
                    "verification": {"verified": False, "reason": "gpg.error.not_signed_commit"},
                    "timestamp": (committed_at + berlin).replace(tzinfo=None).isoformat()
                    + "+02:00",
                    "added": None,
                    "removed": None,
                    "modified": None,
                },
                "protected": False,
                "effective_branch_protection_name": "",
            }
        return data

    # --- how they misbehave ---

    def fail(self, forge: str, full_name: str, status: int) -> None:
        """Answer ``status`` for this repository (500, 403 …) instead of its JSON."""
        self.failures[(forge, full_name.lower())] = status

    def throttle(self, forge: str, *retry_after: int) -> None:
        """Refuse the next requests with Retry-After (GitHub: a secondary-limit 403)."""
        self.throttled[forge].extend(retry_after)

    def set_quota(self, forge: str, *, remaining: int, reset_in: float, limit: int = 60) -> Quota:
        """A primary rate limit; it comes back whole at the reset, as on the real forges."""
        quota = Quota(limit=limit, remaining=remaining, reset=int(time.time() + reset_in) + 1)
        self.quotas[forge] = quota
        return quota

    # --- answering ---

    def answer(
        self, forge: str, path: str, headers: dict[str, str], body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.requests.append(Seen(forge=forge, path=path, headers=headers))
            expected = TOKENS[forge]
            given = {
                "github": headers.get("authorization", "").removeprefix("Bearer "),
                "gitlab": headers.get("private-token", ""),
                "gitea": headers.get("authorization", "").removeprefix("token "),
            }[forge]
            if given and given != expected:
                return _json(401, {"message": "Bad credentials"})
            if self.throttled[forge]:
                return _throttled(forge, self.throttled[forge].pop(0))
            quota = self.quotas.get(forge)
            if quota is not None:
                now = time.time()
                if now >= quota.reset:
                    quota.remaining, quota.reset = quota.limit, int(now) + 3600
                if quota.remaining <= 0:
                    return _spent(forge, quota)
                quota.remaining -= 1
            if body is not None:
                status, extra, answer = self._graphql(path, headers, body)
            else:
                status, extra, answer = self.route(forge, path)
            return status, {**extra, **_quota_headers(forge, quota)}, answer

    def _graphql(
        self, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if path != API_PATHS["github"] + "/graphql":
            return _github_404()
        if "authorization" not in headers:  # GitHub's GraphQL API takes no anonymous query
            return _json(401, {"message": "This endpoint requires you to be authenticated."})
        request = json.loads(raw)
        self.queries.append(request)
        query, variables = request["query"], request.get("variables") or {}
        assert "defaultBranchRef { target { ... on Commit { committedDate } } }" in query
        data: dict[str, Any] = {}
        errors = []
        index = 0
        while f"o{index}" in variables:
            alias = f"r{index}"
            assert f"{alias}: repository(owner: $o{index}, name: $n{index})" in query
            name = f"{variables[f'o{index}']}/{variables[f'n{index}']}".lower()
            index += 1
            if ("github", name) in self.failures:  # one bad repository fails the query
                status = self.failures[("github", name)]
                return _json(status, {"message": "Server Error" if status >= 500 else "Forbidden"})
            if name in self.moved:  # GraphQL resolves a renamed repository by its old name
                by_id = {repo["id"]: key for key, repo in self.repos["github"].items()}
                name = by_id[self.moved[name]]
            repo = self.repos["github"].get(name)
            if repo is None:
                data[alias] = None
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [alias],
                        "locations": [{"line": index + 1, "column": 3}],
                        "message": f"Could not resolve to a Repository with the name '{name}'.",
                    }
                )
                continue
            extra = self.github_extra.get(name, {})
            licence = repo["license"]
            committed = extra.get("committed_at")
            archived_at = extra.get("archived_at")
            data[alias] = {
                "nameWithOwner": repo["full_name"],
                "stargazerCount": repo["stargazers_count"],
                "isArchived": repo["archived"],
                "archivedAt": _z(archived_at) if archived_at else None,
                "licenseInfo": {"spdxId": licence["spdx_id"], "name": licence["name"]}
                if licence
                else None,
                "defaultBranchRef": {"target": {"committedDate": _z(committed)}}
                if committed
                else None,
            }
        answer: dict[str, Any] = {"data": data}
        if errors:
            answer["errors"] = errors
        return _json(200, answer)

    def route(self, forge: str, path: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(path)
        segments = parts.path.removeprefix(API_PATHS[forge]).strip("/").split("/")
        if forge == "github":
            return self._github(segments)
        if forge == "gitlab":
            return self._gitlab(segments, parse_qs(parts.query))
        return self._gitea(segments)

    def _github(self, segments: list[str]) -> tuple[int, dict[str, str], bytes]:
        if segments[0] == "repositories" and len(segments) == 2:
            by_id = {repo["id"]: repo for repo in self.repos["github"].values()}
            repo = by_id.get(int(segments[1]))
            return _json(200, repo) if repo else _github_404()
        if segments[0] != "repos" or len(segments) < 3:
            return _github_404()
        name = f"{unquote(segments[1])}/{unquote(segments[2])}".lower()
        if len(segments) >= 5 and segments[3] == "branches":
            branch = self.github_branches.get((name, unquote("/".join(segments[4:]))))
            return _json(200, branch) if branch else _github_404()
        if len(segments) != 3:
            return _github_404()
        if ("github", name) in self.failures:
            status = self.failures[("github", name)]
            return _json(status, {"message": "Server Error" if status >= 500 else "Forbidden"})
        if name in self.moved:
            target = f"{self.api_url('github')}/repositories/{self.moved[name]}"
            status, headers, body = _json(
                301,
                {
                    "message": "Moved Permanently",
                    "url": target,
                    "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects",
                },
            )
            return status, {**headers, "Location": target}, body
        repo = self.repos["github"].get(name)
        return _json(200, repo) if repo else _github_404()

    def _gitlab(
        self, segments: list[str], query: dict[str, list[str]]
    ) -> tuple[int, dict[str, str], bytes]:
        # The path arrives as one segment, its slashes encoded (%2F).
        if segments[0] != "projects" or len(segments) != 2:
            return _json(404, {"error": "404 Not Found"})
        name = unquote(segments[1]).lower()
        if ("gitlab", name) in self.failures:
            status = self.failures[("gitlab", name)]
            return _json(status, {"message": f"{status} Internal Server Error"})
        repo = self.repos["gitlab"].get(name)
        if repo is None:
            return _json(404, {"message": "404 Project Not Found"})
        if query.get("license") != ["true"]:
            repo = {k: v for k, v in repo.items() if k != "license"}
        return _json(200, repo)

    def _gitea(self, segments: list[str]) -> tuple[int, dict[str, str], bytes]:
        if segments[0] != "repos" or len(segments) < 3:
            return _gitea_404()
        name = f"{unquote(segments[1])}/{unquote(segments[2])}".lower()
        if ("gitea", name) in self.failures:
            status = self.failures[("gitea", name)]
            return _json(status, {"message": "internal server error", "url": ""})
        if len(segments) == 3:
            repo = self.repos["gitea"].get(name)
            return _json(200, repo) if repo else _gitea_404()
        if segments[3] == "branches" and len(segments) >= 5:
            branch = self.branches.get((name, unquote("/".join(segments[4:]))))
            return _json(200, branch) if branch else _gitea_404()
        return _gitea_404()


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(status: int, data: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(data).encode()


def _github_404() -> tuple[int, dict[str, str], bytes]:
    return _json(
        404,
        {
            "message": "Not Found",
            "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
            "status": "404",
        },
    )


def _gitea_404() -> tuple[int, dict[str, str], bytes]:
    return _json(
        404,
        {
            "errors": ["user redirect does not exist"],
            "message": "The target couldn't be found.",
            "url": "https://codeberg.org/api/swagger",
        },
    )


def _quota_headers(forge: str, quota: Quota | None) -> dict[str, str]:
    if quota is None:
        return {}
    if forge == "github":
        return {
            "x-ratelimit-limit": str(quota.limit),
            "x-ratelimit-remaining": str(quota.remaining),
            "x-ratelimit-reset": str(quota.reset),
            "x-ratelimit-used": str(quota.used),
            "x-ratelimit-resource": "core",
        }
    if forge == "gitlab":
        return {
            "RateLimit-Limit": str(quota.limit),
            "RateLimit-Observed": str(quota.used),
            "RateLimit-Remaining": str(quota.remaining),
            "RateLimit-Reset": str(quota.reset),
            "RateLimit-ResetTime": formatdate(quota.reset, usegmt=True),
        }
    return {}


def _spent(forge: str, quota: Quota) -> tuple[int, dict[str, str], bytes]:
    """The refusal once the primary quota is spent."""
    headers = _quota_headers(forge, quota)
    if forge == "github":
        status, extra, body = _json(
            403,
            {
                "message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                "Authenticated requests get a higher rate limit. Check out the documentation "
                "for more details.)",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            },
        )
        return status, {**extra, **headers}, body
    retry_after = str(max(0, quota.reset - int(time.time())))
    return (
        429,
        {**headers, "Retry-After": retry_after, "Content-Type": "text/plain"},
        b"Retry later\n",
    )


def _throttled(forge: str, retry_after: int) -> tuple[int, dict[str, str], bytes]:
    if forge == "github":
        status, headers, body = _json(
            403,
            {
                "message": "You have exceeded a secondary rate limit. Please wait a few "
                "minutes before you try again.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            },
        )
        return status, {**headers, "retry-after": str(retry_after)}, body
    return 429, {"Retry-After": str(retry_after), "Content-Type": "text/plain"}, b"Retry later\n"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        fake: FakeForges = self.server.fake  # type: ignore[attr-defined]
        forge = next(
            (f for f in FORGES if self.path.startswith(API_PATHS[f] + "/")),
            None,
        )
        if forge is None:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"no such forge\n"
        else:
            received = {name.lower(): value for name, value in self.headers.items()}
            status, headers, body = fake.answer(forge, self.path, received)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        fake: FakeForges = self.server.fake  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        received = {name.lower(): value for name, value in self.headers.items()}
        if self.path.startswith(API_PATHS["github"] + "/"):
            status, headers, body = fake.answer("github", self.path, received, raw)
        else:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"no such forge\n"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass
