"""A list with quality rules, the fake forges and a local link server (real HTTP on 127.0.0.1).

quality.rules          the list's QualityRules (every rule blocking unless a test says so)
quality.forges         tests.curation.health.fakeforges.FakeForges
quality.links          tests.curation.health.servers.LocalServer
quality.submit(...)    an entry submitted by team.author through entry_create, checks run
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from catalog.models import Entry
from curation import services
from curation.quality.models import Level, QualityCheck, QualityRules, Rule
from curation.services import EntryContent, LinkData
from tests.curation.conftest import Team
from tests.curation.health.fakeforges import FakeForges
from tests.curation.health.servers import LocalServer, Reply

NOW = datetime.now(UTC)
RECENT = NOW - timedelta(days=20)


@dataclass
class Quality:
    team: Team
    rules: QualityRules
    forges: FakeForges
    links: LocalServer
    capture: Any

    def content(self, *, url: str = "", repo: str = "", **fields: Any) -> EntryContent:
        fields.setdefault("title", "Tool")
        fields.setdefault("description", "A tool that does one thing well.")
        links = (LinkData("Source Code", f"https://github.com/{repo}"),) if repo else ()
        return EntryContent(
            section=fields.pop("section", self.team.frameworks),
            url=url or self.links.url("/ok"),
            extra_links=links,
            **fields,
        )

    def submit(self, **kwargs: Any) -> Entry:
        with self.capture(execute=True):
            return services.entry_create(
                actor=self.team.author, content=self.content(**kwargs), submit=True
            )

    def checks(self, entry: Entry) -> dict[str, tuple[str, str]]:
        entry.refresh_from_db()
        return {row.rule: (row.outcome, row.figure) for row in QualityCheck.objects.of(entry)}


@pytest.fixture
def quality(team, settings, django_capture_on_commit_callbacks) -> Iterator[Quality]:
    rules = QualityRules.objects.create(
        curated_list=team.curated_list,
        **{rule.value: Level.BLOCKING for rule in Rule},
        activity_days=365,
        min_stars=50,
        allowed_licences="MIT, Apache-2.0",
        max_description_length=80,
        promotional_words="best, ultimate",
        section_cap=3,
    )
    settings.LINK_CHECK = {**settings.LINK_CHECK, "RETRIES": 0}
    with FakeForges() as forges, LocalServer() as links:
        settings.REPOSITORY_FORGES = forges.forge_settings(tokens=True)
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        links.route("/ok", Reply(200))
        links.route("/gone", Reply(404))
        yield Quality(team, rules, forges, links, django_capture_on_commit_callbacks)
