"""Commit files to a branch of a git repository with the ``git`` command line (no Django here).

Every run works in a fresh temporary directory: ``git init``, fetch only the tip of the branch
(``--depth=1``), write the files, commit, push. Nothing is kept between runs, so a worker needs
no checkout of its own and two workers never share one.

Credentials never appear on a command line (``ps`` shows those) nor in the URL: an HTTPS token
goes in an ``Authorization`` header through ``GIT_CONFIG_*`` environment variables, an SSH key
through ``GIT_SSH_COMMAND``. ``GIT_TERMINAL_PROMPT=0`` makes git fail instead of waiting for a
password nobody will type, and the user's and system's git configuration are ignored so that a
hook, a signing key or a credential helper of the server's account cannot join in.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ZERO_SHA = "0" * 40
# git's scp-like syntax: git@github.com:owner/repo.git
# (user and host start with a letter or digit: "-oProxyCommand=…" must never reach ssh as a host)
SCP_LIKE = re.compile(r"^[A-Za-z0-9][\w.-]*@[A-Za-z0-9][\w.-]*:(?!//)")
# Rejections of a push that mean "the branch moved meanwhile", in git's own words.
MOVED_MARKERS = ("non-fast-forward", "fetch first", "stale info", "cannot lock ref")


class GitError(Exception):
    """A git command failed; the message says which and why, without credentials."""


class BranchMoved(GitError):
    """The branch changed between our fetch and our push (someone pushed meanwhile)."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str


@dataclass(frozen=True)
class Credentials:
    """How git proves who we are: an HTTPS token (with a user name), an SSH command, or none."""

    username: str = ""
    token: str = ""
    ssh_command: str = ""

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token, self._basic()) if s)

    def _basic(self) -> str:
        if not self.token:
            return ""
        user = self.username or "x-access-token"
        return base64.b64encode(f"{user}:{self.token}".encode()).decode()


@dataclass(frozen=True)
class Commit:
    """What a publication leaves: the branch's tip, and whether we made it."""

    sha: str
    changed: bool  # False: the files were already there, nothing was committed
    created_branch: bool = False


@dataclass
class Remote:
    """A repository we write to, as git reaches it."""

    url: str
    credentials: Credentials = field(default_factory=Credentials)
    allow_local: bool = False
    timeout: float = 60.0

    def environment(self, home: Path) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "LANG": "C",
            "LC_ALL": "C",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_ASKPASS": "/bin/false",
            "SSH_ASKPASS": "/bin/false",
            "GIT_ALLOW_PROTOCOL": "https:ssh:file" if self.allow_local else "https:ssh",
            # A hung connection must not hold a worker for ever: abort below 1 KB/s for a minute.
            "GIT_HTTP_LOW_SPEED_LIMIT": "1000",
            "GIT_HTTP_LOW_SPEED_TIME": "60",
        }
        config: list[tuple[str, str]] = [
            ("commit.gpgsign", "false"),
            ("core.hooksPath", os.devnull),
        ]
        basic = self.credentials._basic()
        if basic and self.url.startswith("https://"):
            parts = urlsplit(self.url)
            origin = f"https://{parts.netloc}/"
            config.append((f"http.{origin}.extraHeader", f"Authorization: Basic {basic}"))
        if self.credentials.ssh_command:
            env["GIT_SSH_COMMAND"] = self.credentials.ssh_command
        else:
            # Never ask about an unknown host key: fail, and say so.
            env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
        env["GIT_CONFIG_COUNT"] = str(len(config))
        for number, (key, value) in enumerate(config):
            env[f"GIT_CONFIG_KEY_{number}"] = key
            env[f"GIT_CONFIG_VALUE_{number}"] = value
        return env


def url_problem(url: str, *, allow_local: bool = False) -> str | None:
    """Why ``url`` cannot be a repository to push to, or None when it can."""
    url = url.strip()
    if not url:
        return "Give the repository's git URL, e.g. https://github.com/owner/awesome-tea.git."
    if SCP_LIKE.match(url):
        return None
    parts = urlsplit(url)
    if parts.scheme in ("https", "ssh"):
        if not parts.hostname or not parts.hostname[0].isalnum():
            return f"{url} names no host."
        if parts.password or (parts.scheme == "https" and parts.username):
            return (
                "Do not put a user name or password in the URL: it would be stored in clear. "
                "Set PUSH_GIT_TOKEN (or PUSH_GITHUB_TOKEN) in the environment instead."
            )
        return None
    if allow_local and (parts.scheme == "file" or (not parts.scheme and url.startswith("/"))):
        return None
    return f"{url}: use an https:// or ssh:// URL (or git@host:owner/repo.git)."


class Workdir:
    """A temporary repository to build one commit in; removed on exit, whatever happened."""

    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self._tmp = tempfile.TemporaryDirectory(prefix="curator-push-")
        self.path = Path(self._tmp.name) / "repo"
        self.path.mkdir()
        home = Path(self._tmp.name) / "home"
        home.mkdir()
        self.env = remote.environment(home)

    def __enter__(self) -> Workdir:
        self.git("init", "--quiet")
        self.git("remote", "add", "origin", self.remote.url)
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()

    def git(
        self,
        *args: str,
        env: Mapping[str, str] | None = None,
        check: bool = True,
        input_: str | None = None,
    ) -> str:
        return self.run(*args, env=env, check=check, input_=input_).stdout

    def run(
        self,
        *args: str,
        env: Mapping[str, str] | None = None,
        check: bool = True,
        input_: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        done = self._exec(args, env=env, input_=input_, text=True)
        if check and done.returncode != 0:
            raise GitError(self._describe(args, f"{done.stdout}\n{done.stderr}"))
        return done

    def _exec(
        self,
        args: tuple[str, ...],
        *,
        env: Mapping[str, str] | None = None,
        input_: str | None = None,
        text: bool,
    ) -> subprocess.CompletedProcess[Any]:
        try:
            return subprocess.run(
                ["git", *args],
                cwd=self.path,
                env={**self.env, **(env or {})},
                capture_output=True,
                text=text,
                input=input_,
                timeout=self.remote.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise GitError(
                f"git {args[0]} took longer than {self.remote.timeout:g} s and was stopped."
            ) from exc

    def _describe(self, args: tuple[str, ...], output: str) -> str:
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        # git's last lines say why; its hints say how, at length.
        useful = [line for line in lines if not line.startswith("hint:")][-4:]
        text = " ".join(useful) or "no output"
        for secret in self.remote.credentials.secrets():
            text = text.replace(secret, "***")
        return f"git {args[0]} failed: {text}"

    # --- what the remote holds ---

    def remote_tip(self, branch: str) -> str | None:
        """The commit the remote's ``branch`` points at, or None when there is no such branch."""
        out = self.git("ls-remote", "--heads", "origin", f"refs/heads/{branch}")
        for line in out.splitlines():
            sha, _, ref = line.partition("\t")
            if ref == f"refs/heads/{branch}":
                return sha
        return None

    def default_branch(self) -> str | None:
        """The branch the remote's HEAD names (None for an empty repository)."""
        out = self.git("ls-remote", "--symref", "origin", "HEAD")
        for line in out.splitlines():
            if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
                return line[len("ref: refs/heads/") : -len("\tHEAD")]
        return None

    def fetch(self, branch: str) -> str:
        self.git("fetch", "--quiet", "--depth=1", "origin", f"refs/heads/{branch}")
        return self.git("rev-parse", "FETCH_HEAD").strip()

    def blob(self, commit: str, path: str) -> str | None:
        """The blob id of ``path`` in ``commit`` (None when the file is not there)."""
        out = self.git("rev-parse", "--verify", "--quiet", f"{commit}:{path}", check=False)
        return out.strip() or None

    def read(self, commit: str, path: str) -> bytes | None:
        """The bytes of ``path`` in ``commit`` (None when the file is not there)."""
        done = self._exec(("cat-file", "blob", f"{commit}:{path}"), text=False)
        return done.stdout if done.returncode == 0 else None

    def last_commit_touching(self, commit: str, path: str) -> str:
        return self.git("log", "-1", "--format=%h %an: %s", commit, "--", path).strip()

    # --- building the commit ---

    def commit_files(
        self, *, base: str | None, files: Mapping[str, bytes], message: str, author: Author
    ) -> str | None:
        """Commit ``files`` on top of ``base`` (None: a first commit). None when nothing changed."""
        if base:
            self.git("checkout", "--quiet", "--detach", base)
        for relative, data in files.items():
            target = self.path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self.git("add", "--", *files)
        if base and self.run("diff", "--cached", "--quiet", check=False).returncode == 0:
            return None
        identity = {
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": author.name,
            "GIT_COMMITTER_EMAIL": author.email,
        }
        self.git("commit", "--quiet", "--no-verify", "-F", "-", env=identity, input_=message)
        return self.git("rev-parse", "HEAD").strip()

    def push(self, commit: str, branch: str, *, expect: str | None, force: bool = False) -> None:
        """Point the remote's ``branch`` at ``commit``, only if it still is at ``expect``."""
        args = ["push", "--quiet"]
        if force:
            args.append(f"--force-with-lease=refs/heads/{branch}:{expect or ''}")
        args += ["origin", f"{commit}:refs/heads/{branch}"]
        try:
            self.git(*args)
        except GitError as exc:
            if any(marker in str(exc) for marker in MOVED_MARKERS):
                raise BranchMoved(str(exc)) from exc
            raise
