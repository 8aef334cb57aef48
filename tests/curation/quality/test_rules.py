"""Each rule of a list, judged on a real submission: the link checked on a local server, the
repository asked of the fake forge (GraphQL), figures stored with the entry's revision."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from curation.quality.evaluate import style_problems
from curation.quality.models import Level, QualityCheck
from tests.curation.quality.conftest import RECENT
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_a_good_submission_passes_every_rule(quality):
    quality.forges.add_github("good/tool", stars=120, pushed_at=RECENT, license="MIT")
    entry = quality.submit(repo="good/tool")
    checks = quality.checks(entry)
    assert {rule: outcome for rule, (outcome, _f) in checks.items()} == {
        "repository": "pass",
        "not_archived": "pass",
        "activity": "pass",
        "stars": "pass",
        "licence": "pass",
        "link": "pass",
        "style": "pass",
        "duplicate": "pass",
        "section_room": "pass",
    }
    assert checks["stars"][1] == "★ 120 ≥ 50"
    assert checks["repository"][1] == "github.com/good/tool"
    assert checks["link"][1] == "HTTP 200"
    assert checks["section_room"][1] == "“Frameworks” has 0 of 3"
    assert QualityCheck.objects.filter(entry=entry, entry_revision=1).count() == 9


def test_a_poor_submission_fails_each_rule_with_its_figure(quality):
    quality.forges.add_github(
        "old/tool",
        stars=37,
        pushed_at=datetime(2023, 1, 5, tzinfo=UTC),
        archived=True,
        archived_at=datetime(2024, 3, 2, 9, 0, tzinfo=UTC),
        license="GPL-3.0",
    )
    for n in range(3):  # the section is full
        EntryFactory(section=quality.team.frameworks, status="published", title=f"Live {n}")
    EntryFactory(  # turned down before, now suggested again
        section=quality.team.cli, status="rejected", url=quality.links.url("/gone"), title="Twin"
    )
    entry = quality.submit(
        repo="old/tool",
        url=quality.links.url("/gone"),
        description="the best tool",
    )
    checks = quality.checks(entry)
    assert checks.pop("repository") == ("pass", "github.com/old/tool")
    assert {outcome for outcome, _figure in checks.values()} == {"fail"}, checks
    assert checks["stars"][1] == "★ 37 < 50"
    assert checks["not_archived"][1] == "archived since 2024-03-02"
    assert checks["activity"][1].startswith("last commit 2023-01-05, ")
    assert checks["activity"][1].endswith("days ago (> 365)")
    assert checks["licence"][1] == "GPL-3.0 is not one of MIT, Apache-2.0"
    assert checks["link"][1] == "HTTP 404"
    assert checks["style"][1] == (
        "starts with a lower-case letter; does not end with a period; promotional: “best”"
    )
    assert checks["duplicate"][1] == "already in the list as “Twin” (Rejected)"
    assert checks["section_room"][1] == "“Frameworks” has 3 of 3: full"


def test_no_repository_fails_that_rule_and_skips_the_forge_ones(quality):
    entry = quality.submit()
    checks = quality.checks(entry)
    assert checks["repository"] == ("fail", "no repository link on a known forge")
    for rule in ("not_archived", "activity", "stars", "licence"):
        assert checks[rule] == ("skipped", "no repository"), rule
    assert quality.forges.requests == []


def test_stars_are_skipped_where_the_forge_counts_none(quality):
    quality.forges.add_gitea("team/tool", stars=3, committed_at=RECENT)
    quality.forges.repos["gitea"]["team/tool"].pop("stars_count")
    entry = quality.submit(url="https://codeberg.org/team/tool")
    assert quality.checks(entry)["stars"] == ("skipped", "the forge counts no stars")


def test_a_forge_error_is_could_not_check_not_a_failure(quality):
    quality.forges.add_github("flaky/tool")
    quality.forges.fail("github", "flaky/tool", 502)
    entry = quality.submit(repo="flaky/tool")
    checks = quality.checks(entry)
    assert checks["stars"][0] == "unknown"
    assert "502" in checks["stars"][1]


def test_rules_that_are_off_are_not_checked(quality):
    rules = quality.rules
    for name in ("repository", "not_archived", "activity", "stars", "licence", "link"):
        setattr(rules, name, Level.OFF)
    rules.save()
    entry = quality.submit(repo="never/asked")
    assert set(quality.checks(entry)) == {"style", "duplicate", "section_room"}
    assert quality.forges.requests == []
    assert quality.links.requests == []


def test_an_allowed_licence_list_left_empty_takes_any_licence(quality):
    quality.rules.allowed_licences = ""
    quality.rules.save()
    quality.forges.add_github("gpl/tool", stars=99, pushed_at=RECENT, license="GPL-3.0")
    entry = quality.submit(repo="gpl/tool")
    assert quality.checks(entry)["licence"] == ("pass", "GPL-3.0")


def test_style_counts_characters_against_the_cap(quality):
    rules = quality.rules
    assert style_problems(rules, "A" * 79 + ".") == []
    assert style_problems(rules, "A" * 80 + ".") == ["81 characters > 80"]
    assert style_problems(rules, "") == ["no description"]
    assert style_problems(rules, "Ultimate gear.") == ["promotional: “ultimate”"]


def test_drafts_are_not_checked(quality):
    from curation import services

    with quality.capture(execute=True):
        entry = services.entry_create(actor=quality.team.author, content=quality.content())
    assert quality.checks(entry) == {}
