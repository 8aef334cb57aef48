"""The rules as pure functions: what is known of an entry in, one verdict per rule out.

No database and no network: ``runner`` gathers the ``Facts`` (from the link checker and the
forge clients, or from the stored ``LinkHealth`` / ``RepositoryInfo``) and stores the verdicts.
Figures are short and concrete, as the reviewer reads them: "★ 37 < 50", "archived since
2024-03-02", "last commit 2023-01-05, 412 days ago (> 365)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from curation.health.forges import RepoMeta
from curation.quality.models import Level, Outcome, QualityRules, Rule

FIGURE_MAX = 300


@dataclass(frozen=True)
class LinkVerdict:
    """What the link checker said of the URL: ok, failed (a dead link), or neither."""

    outcome: Outcome
    figure: str


@dataclass(frozen=True)
class Facts:
    description: str
    has_url: bool
    repository: str  # "github.com/owner/name", or "" when the entry names no repository
    meta: RepoMeta | None  # the forge's answer; None when not asked
    link: LinkVerdict | None  # None when not checked
    duplicate_of: str  # "“Title” (Published)", or ""
    section_title: str
    section_count: int  # published entries in the section, the entry itself not counted
    now: datetime


@dataclass(frozen=True)
class Verdict:
    rule: Rule
    outcome: Outcome
    figure: str
    blocking: bool


def evaluate(
    rules: QualityRules, facts: Facts, only: tuple[Rule, ...] | None = None
) -> list[Verdict]:
    """One verdict per enabled rule (of ``only``, when given), in the checklist's order."""
    verdicts = []
    for rule in rules.enabled:
        if only is not None and rule not in only:
            continue
        outcome, figure = JUDGES[rule](rules, facts)
        verdicts.append(
            Verdict(
                rule=rule,
                outcome=outcome,
                figure=figure[:FIGURE_MAX],
                blocking=rules.level_of(rule) == Level.BLOCKING,
            )
        )
    return verdicts


Judgement = tuple[Outcome, str]


def _repository(rules: QualityRules, facts: Facts) -> Judgement:
    if facts.repository:
        return Outcome.PASS, facts.repository
    return Outcome.FAIL, "no repository link on a known forge"


def _forge(facts: Facts) -> Judgement | None:
    """The verdict of every forge rule when the forge gave no figures; None when it did."""
    if not facts.repository:
        return Outcome.SKIPPED, "no repository"
    if facts.meta is None:
        return Outcome.UNKNOWN, "the forge was not asked yet"
    if not facts.meta.ok:
        return Outcome.UNKNOWN, facts.meta.error
    return None


def _not_archived(rules: QualityRules, facts: Facts) -> Judgement:
    if (early := _forge(facts)) is not None:
        return early
    assert facts.meta is not None
    if not facts.meta.archived:
        return Outcome.PASS, "not archived"
    since = facts.meta.archived_at
    return Outcome.FAIL, f"archived since {since:%Y-%m-%d}" if since else "archived"


def _activity(rules: QualityRules, facts: Facts) -> Judgement:
    if (early := _forge(facts)) is not None:
        return early
    assert facts.meta is not None
    last = facts.meta.last_activity_at
    if last is None:
        return Outcome.UNKNOWN, "the forge reports no commit on the default branch"
    days = max(0, (facts.now - last).days)
    figure = f"last commit {last:%Y-%m-%d}, {days} days ago"
    if days > rules.activity_days:
        return Outcome.FAIL, f"{figure} (> {rules.activity_days})"
    return Outcome.PASS, f"{figure} (≤ {rules.activity_days})"


def _stars(rules: QualityRules, facts: Facts) -> Judgement:
    if (early := _forge(facts)) is not None:
        return early
    assert facts.meta is not None
    stars = facts.meta.stars
    if stars is None:
        return Outcome.SKIPPED, "the forge counts no stars"
    if stars < rules.min_stars:
        return Outcome.FAIL, f"★ {stars} < {rules.min_stars}"
    return Outcome.PASS, f"★ {stars} ≥ {rules.min_stars}"


def _licence(rules: QualityRules, facts: Facts) -> Judgement:
    if (early := _forge(facts)) is not None:
        return early
    assert facts.meta is not None
    licence = facts.meta.license
    if not licence:
        return Outcome.FAIL, "no licence found"
    allowed = rules.allowed_licence_set
    found = {part.strip().lower() for part in licence.split(",")}
    if allowed and not found & {a.lower() for a in allowed}:
        return Outcome.FAIL, f"{licence} is not one of {', '.join(allowed)}"
    return Outcome.PASS, licence


def _link(rules: QualityRules, facts: Facts) -> Judgement:
    if not facts.has_url:
        return Outcome.SKIPPED, "no link"
    if facts.link is None:
        return Outcome.UNKNOWN, "not checked yet"
    return facts.link.outcome, facts.link.figure


_WORD = re.compile(r"[\w'-]+")


def style_problems(rules: QualityRules, description: str) -> list[str]:
    text = description.strip()
    if not text:
        return ["no description"]
    problems = []
    first = text[0]
    if first.isalpha() and not first.isupper():
        problems.append("starts with a lower-case letter")
    if not text.endswith((".", "!", "?", "。")):
        problems.append("does not end with a period")
    words = {w.lower() for w in _WORD.findall(text)}
    promotional = [w for w in rules.promotional_word_list if w in words]
    if promotional:
        problems.append("promotional: " + ", ".join(f"“{w}”" for w in promotional))
    limit = rules.max_description_length
    if limit and len(text) > limit:
        problems.append(f"{len(text)} characters > {limit}")
    return problems


def _style(rules: QualityRules, facts: Facts) -> Judgement:
    problems = style_problems(rules, facts.description)
    if problems:
        return Outcome.FAIL, "; ".join(problems)
    return Outcome.PASS, f"{len(facts.description.strip())} characters"


def _duplicate(rules: QualityRules, facts: Facts) -> Judgement:
    if facts.duplicate_of:
        return Outcome.FAIL, f"already in the list as {facts.duplicate_of}"
    return Outcome.PASS, "no other entry has this link" if facts.has_url else "no link"


def _section_room(rules: QualityRules, facts: Facts) -> Judgement:
    cap = rules.section_cap
    if cap is None:
        return Outcome.SKIPPED, "no cap set"
    figure = f"“{facts.section_title}” has {facts.section_count} of {cap}"
    if facts.section_count >= cap:
        return Outcome.FAIL, f"{figure}: full"
    return Outcome.PASS, figure


JUDGES = {
    Rule.REPOSITORY: _repository,
    Rule.NOT_ARCHIVED: _not_archived,
    Rule.ACTIVITY: _activity,
    Rule.STARS: _stars,
    Rule.LICENCE: _licence,
    Rule.LINK: _link,
    Rule.STYLE: _style,
    Rule.DUPLICATE: _duplicate,
    Rule.SECTION_ROOM: _section_room,
}
