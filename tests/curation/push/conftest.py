"""A list with a repository: a real bare git repository on disk as the remote."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.models import Entry
from curation import services
from curation.push.models import ListRepository, PushMethod
from tests.curation.push.gitrepos import BareRepo

S = Entry.Status


@pytest.fixture
def push_settings(settings):
    settings.PUSH = {
        **settings.PUSH,
        "ALLOW_LOCAL": True,
        "AUTHOR_NAME": "Curator Bot",
        "AUTHOR_EMAIL": "bot@curator.example.org",
        "RETRY_SECONDS": 60,
        "RETRY_MAX_SECONDS": 3600,
        "TIMEOUT": 30.0,
        "GIT_TOKEN": "",
        "GITHUB_TOKEN": "",
    }
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    return settings


@pytest.fixture
def remote(tmp_path) -> BareRepo:
    repo = BareRepo(tmp_path / "awesome-tea.git")
    repo.commit_as_someone(
        {"README.md": "# Awesome Tea\n\nWritten by hand.\n", "LICENSE": "CC0\n"},
        message="Initial list",
    )
    return repo


@pytest.fixture
def repository(team, remote, push_settings) -> ListRepository:
    return ListRepository.objects.create(
        curated_list=team.curated_list, method=PushMethod.GIT, git_url=remote.url, branch="main"
    )


def publish(team: Any, title: str, **kwargs: Any) -> Entry:
    """An entry through the workflow (approved, then published by the curator)."""
    entry = team.approved(title=title, **kwargs)
    return services.entry_publish(actor=team.curator, entry=entry)
