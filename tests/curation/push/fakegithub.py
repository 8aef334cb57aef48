"""A local imitation of GitHub's pull-request API (a real HTTP server on 127.0.0.1).

    with FakeGitHub(token="ghp_test") as api:
        settings.PUSH = {**settings.PUSH, "GITHUB_API_URL": api.url, "GITHUB_TOKEN": "ghp_test"}
        api.fail_next(422, "Validation Failed", errors=[{"message": "No commits between …"}])
        ...
        api.pulls        # the pull requests it holds
        api.requests     # (method, path, json body) of every request

Shaped like the real one for what the client reads: ``GET /repos/{o}/{r}/pulls?head=o:b&base=&
state=open`` lists, ``POST …/pulls`` answers 201 with ``number`` and ``html_url``, ``PATCH
…/pulls/{n}`` updates the title and body. A wrong token gets 401 ``Bad credentials``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeGitHub:
    token: str = "ghp_fakePushToken"
    repository: str = "tea-lovers/awesome-tea"
    pulls: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    failures: list[tuple[str | None, int, dict[str, Any], dict[str, str]]] = field(
        default_factory=list
    )
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> FakeGitHub:
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
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(
        self,
        status: int,
        message: str,
        *,
        method: str | None = None,
        errors: list[Any] | None = None,
        **headers: str,
    ) -> None:
        """The next request (of ``method``, if given) gets ``status`` with GitHub's message."""
        body: dict[str, Any] = {"message": message}
        if errors is not None:
            body["errors"] = errors
        self.failures.append((method, status, body, headers))

    def writes(self) -> list[tuple[str, str, Any]]:
        return [r for r in self.requests if r[0] != "GET"]

    def answer(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> tuple[int, Any, dict[str, str]]:
        with self.lock:
            self.requests.append((method, path, body))
            if headers.get("authorization") != f"Bearer {self.token}":
                return 401, {"message": "Bad credentials"}, {}
            for number, (only, status, data, extra) in enumerate(self.failures):
                if only in (None, method):
                    del self.failures[number]
                    return status, data, extra
            prefix = f"/repos/{self.repository}/pulls"
            if not path.startswith(prefix):
                return 404, {"message": "Not Found"}, {}
            owner = self.repository.split("/")[0]
            if method == "GET" and path == prefix:
                head = query.get("head", [""])[0]
                found = [
                    p
                    for p in self.pulls
                    if p["state"] == "open"
                    and f"{owner}:{p['head']['ref']}" == head
                    and p["base"]["ref"] == query.get("base", [p["base"]["ref"]])[0]
                ]
                return 200, found, {}
            if method == "POST" and path == prefix:
                if any(
                    p["state"] == "open" and p["head"]["ref"] == body["head"] for p in self.pulls
                ):
                    message = f"A pull request already exists for {owner}:{body['head']}."
                    return (
                        422,
                        {
                            "message": "Validation Failed",
                            "errors": [
                                {"resource": "PullRequest", "code": "custom", "message": message}
                            ],
                        },
                        {},
                    )
                number = len(self.pulls) + 1
                pull = {
                    "number": number,
                    "state": "open",
                    "title": body["title"],
                    "body": body.get("body", ""),
                    "head": {"ref": body["head"]},
                    "base": {"ref": body["base"]},
                    "html_url": f"https://github.com/{self.repository}/pull/{number}",
                }
                self.pulls.append(pull)
                return 201, pull, {}
            if method == "PATCH" and path.startswith(prefix + "/"):
                number = int(path.rsplit("/", 1)[1])
                pull = next((p for p in self.pulls if p["number"] == number), None)
                if pull is None:
                    return 404, {"message": "Not Found"}, {}
                pull.update({k: v for k, v in body.items() if k in ("title", "body", "state")})
                return 200, pull, {}
            return 404, {"message": "Not Found"}, {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        fake: FakeGitHub = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, data, extra = fake.answer(
            self.command, parts.path, parse_qs(parts.query), body, headers
        )
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("content-length", str(len(payload)))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = _handle
