"""Real git repositories on disk for the push tests: a bare one as the remote, and a way for
"someone else" to commit to it the way a maintainer on GitHub would."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": tempfile.gettempdir(),
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@example.org",
    "GIT_COMMITTER_NAME": "Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@example.org",
    "GIT_ALLOW_PROTOCOL": "file",
}


def git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=ENV, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


class BareRepo:
    """``git init --bare`` in ``path``, default branch ``main``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        git("init", "--quiet", "--bare", "--initial-branch=main", str(path))

    @property
    def url(self) -> str:
        return str(self.path)

    def tip(self, branch: str = "main") -> str | None:
        out = (
            git(
                "--git-dir",
                str(self.path),
                "rev-parse",
                "--verify",
                "--quiet",
                f"refs/heads/{branch}",
            )
            if self.has(branch)
            else ""
        )
        return out or None

    def has(self, branch: str) -> bool:
        refs = git("--git-dir", str(self.path), "for-each-ref", "--format=%(refname)")
        return f"refs/heads/{branch}" in refs.splitlines()

    def show(self, path: str, branch: str = "main") -> bytes:
        return subprocess.run(
            ["git", "--git-dir", str(self.path), "show", f"refs/heads/{branch}:{path}"],
            env=ENV,
            capture_output=True,
            check=True,
        ).stdout

    def log(self, branch: str = "main", fmt: str = "%s") -> list[str]:
        out = git("--git-dir", str(self.path), "log", f"--format={fmt}", f"refs/heads/{branch}")
        return out.splitlines()

    def message(self, branch: str = "main") -> str:
        return git("--git-dir", str(self.path), "log", "-1", "--format=%B", f"refs/heads/{branch}")

    def commit_as_someone(
        self, files: dict[str, str], message: str = "Edit by hand", branch: str = "main"
    ) -> str:
        """Clone, change ``files``, commit and push: a maintainer working beside us."""
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "w"
            git("clone", "--quiet", self.url, str(work))
            if self.has(branch):
                git("checkout", "--quiet", branch, cwd=work)
            else:
                git("checkout", "--quiet", "-b", branch, cwd=work)
            for name, text in files.items():
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                (work / name).write_text(text)
            git("add", "--", *files, cwd=work)
            git("commit", "--quiet", "-m", message, cwd=work)
            git("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", cwd=work)
            return git("rev-parse", "HEAD", cwd=work)
