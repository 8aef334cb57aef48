"""Run the checks: gather the figures of one entry revision (or of a list's live entries after a
periodic refresh), judge them (``evaluate``) and store the verdicts (``QualityCheck``).

A submission's checks run in the background (``curation.tasks.quality_checks_task``, enqueued
after the commit of any workflow change that leaves an entry revision without checks): one
link check and one forge request for that entry, through the same clients as the periodic
``check_links`` and ``refresh_metadata``, whose tables (``LinkHealth``, ``RepositoryInfo``) the
run updates as well. The periodic runs then call ``recheck_stored`` so that a live entry found
archived or dead later shows it in the same checklist.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from catalog.choices import EntryStatus
from catalog.models import Entry, ExtraLink, LinkHealth, RepositoryInfo
from curation.health.checker import CheckConfig, LinkResult, check_urls
from curation.health.forges import RepoMeta, RepoRef, fetch_all, parse_repository
from curation.health.network import run_async
from curation.quality.evaluate import Facts, LinkVerdict, Verdict, evaluate
from curation.quality.models import (
    FORGE_RULES,
    HEALTH_RULES,
    Outcome,
    QualityCheck,
    QualityRules,
    Rule,
)

logger = logging.getLogger(__name__)
S = EntryStatus

# States whose revisions are checked: under review, on its way, or live.
CHECKED_STATUSES = (S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.PUBLISHED)
WRITTEN = ["outcome", "blocking", "figure", "checked_at"]


# --- when -------------------------------------------------------------------------------------


def rules_of(curated_list_id: int) -> QualityRules | None:
    rules = QualityRules.objects.filter(curated_list_id=curated_list_id).first()
    return rules if rules is not None and rules.enabled else None


def needs_checks(entry: Entry) -> bool:
    """Whether the entry's current revision is one to check and has no verdicts yet."""
    if entry.status not in CHECKED_STATUSES or rules_of(entry.curated_list_id) is None:
        return False
    return not QualityCheck.objects.of(entry).exists()


def enqueue_after_commit(entry: Entry) -> None:
    """After the commit of a workflow change: a revision without checks gets them (in the
    background). Any path that makes a revision — admin, API, public form, sync, a merged
    proposal, a followed redirect — goes through ``curation.services``, which sends
    ``entry_changed``; the receiver (``curation.quality.signals``) calls this."""
    entry_id = entry.pk

    def enqueue() -> None:
        from curation import tasks

        fresh = Entry.objects.filter(pk=entry_id).only("pk", "status", "revision", "curated_list")
        current = fresh.first()
        if current is not None and needs_checks(current):
            tasks.quality_checks_task.enqueue(current.pk, current.revision)

    transaction.on_commit(enqueue, robust=True)


# --- one entry, with the network ----------------------------------------------------------------


def repository_of(entry: Entry, links: list[ExtraLink] | None = None) -> tuple[RepoRef, str] | None:
    """The repository an entry points at (its URL, else its first extra link naming one), as
    ``curation.health.metadata`` finds it."""
    if links is None:
        links = list(entry.extra_links.order_by("position", "pk"))
    for url in [entry.url, *(link.url for link in links)]:
        ref = parse_repository(url) if url else None
        if ref is not None:
            return ref, url
    return None


def link_verdict(result: LinkResult) -> LinkVerdict:
    if result.ok:
        moved = f" (moved to {result.final_url})" if result.final_url != result.url else ""
        return LinkVerdict(Outcome.PASS, f"HTTP {result.status_code}{moved}")
    if result.counts_as_failure:
        return LinkVerdict(Outcome.FAIL, result.error)
    return LinkVerdict(Outcome.UNKNOWN, result.error)


def stored_link_verdict(health: LinkHealth | None) -> LinkVerdict | None:
    if health is None:
        return None
    State = LinkHealth.State
    if health.state in (State.OK, State.REDIRECTED):
        return LinkVerdict(Outcome.PASS, f"HTTP {health.status_code or 200}")
    if health.state == State.DEAD:
        return LinkVerdict(Outcome.FAIL, f"dead: {health.error}")
    since = f" since {health.first_failed_at:%Y-%m-%d}" if health.first_failed_at else ""
    return LinkVerdict(Outcome.FAIL, f"failing{since}: {health.error}")


def stored_meta(info: RepositoryInfo | None) -> RepoMeta | None:
    if info is None:
        return None
    if info.fetched_at is None:  # never answered with figures
        return RepoMeta(error=info.error or "not fetched yet") if info.error else None
    return RepoMeta(
        stars=info.stars,
        last_activity_at=info.last_activity_at,
        archived=info.archived,
        license=info.license,
        full_name=info.full_name,
    )


async def _gather(
    url: str, ref: RepoRef | None, client: httpx.AsyncClient | None
) -> tuple[LinkResult | None, RepoMeta | None]:
    async def link() -> LinkResult | None:
        if not url:
            return None
        config = CheckConfig.from_settings(concurrency=1, per_host=1)
        return (await check_urls([url], config, client=client))[url]

    async def forge() -> RepoMeta | None:
        if ref is None:
            return None
        return (await fetch_all([ref], client=client, concurrency=1, max_wait=5.0))[ref]

    link_result, meta = await asyncio.gather(link(), forge())
    return link_result, meta


def run_for_entry(
    entry_id: int,
    revision: int,
    *,
    client: httpx.AsyncClient | None = None,
    now: datetime | None = None,
) -> list[Verdict]:
    """Check one revision of an entry and store the verdicts; [] when there is nothing to do
    (no rules, or the entry moved on to a newer revision, which gets a run of its own)."""
    entry = Entry.objects.select_related("section", "curated_list").filter(pk=entry_id).first()
    if entry is None or entry.revision != revision:
        return []
    rules = rules_of(entry.curated_list_id)
    if rules is None:
        return []
    enabled = set(rules.enabled)
    found = repository_of(entry)
    ask_forge = found is not None and bool(enabled & set(FORGE_RULES[1:]))
    check_link = bool(entry.url) and Rule.LINK in enabled
    link_result, meta = run_async(
        _gather(
            entry.url if check_link else "",
            found[0] if ask_forge and found is not None else None,
            client,
        )
    )
    now = now or timezone.now()
    facts = Facts(
        description=entry.description,
        has_url=bool(entry.url),
        repository=str(found[0]) if found is not None else "",
        meta=meta,
        link=link_verdict(link_result) if link_result is not None else None,
        duplicate_of=_duplicate_of(entry),
        section_title=entry.section.title,
        section_count=_section_count(entry),
        now=now,
    )
    verdicts = evaluate(rules, facts)
    with transaction.atomic():
        current = Entry.objects.select_for_update().filter(pk=entry_id).values("revision").first()
        if current is None or current["revision"] != revision:
            return []
        _store_health(entry, found, meta, link_result, now)
        _store(entry_id, revision, verdicts, now)
    return verdicts


def _duplicate_of(entry: Entry) -> str:
    """Another entry of the list with the same link, whatever its state: a submission can not
    take a live or pending link (``check_duplicate`` refuses it), but the reviewer should know
    of a draft someone else keeps, or of the rejected or archived entry it brings back."""
    if not entry.normalized_url:
        return ""
    other = (
        Entry.objects.filter(
            curated_list_id=entry.curated_list_id, normalized_url=entry.normalized_url
        )
        .exclude(pk__in=[pk for pk in (entry.pk, entry.proposal_for_id) if pk])
        .exclude(proposal_for_id__in=[pk for pk in (entry.pk, entry.proposal_for_id) if pk])
        .order_by("-updated_at", "-pk")
        .first()
    )
    return f"“{other}” ({other.get_status_display()})" if other is not None else ""


def _section_count(entry: Entry) -> int:
    live = Entry.objects.filter(
        section_id=entry.section_id, status=S.PUBLISHED, proposal_for__isnull=True
    )
    return live.exclude(pk__in=[pk for pk in (entry.pk, entry.proposal_for_id) if pk]).count()


def _store_health(
    entry: Entry,
    found: tuple[RepoRef, str] | None,
    meta: RepoMeta | None,
    link_result: LinkResult | None,
    now: datetime,
) -> None:
    """What the run learnt goes where the periodic runs keep it, so the entry's admin page and
    the list show the same figures as the checklist."""
    from curation.health.links import WRITTEN_FIELDS, next_health
    from curation.health.metadata import WRITTEN as INFO_WRITTEN
    from curation.health.metadata import _Found, _row

    if link_result is not None:
        health = next_health(
            LinkHealth.objects.filter(entry_id=entry.pk).first(),
            entry_id=entry.pk,
            url=entry.url,
            result=link_result,
            now=now,
            dead_after=timedelta(hours=settings.LINK_CHECK["DEAD_AFTER_HOURS"]),
        )
        LinkHealth.objects.bulk_create(
            [health], update_conflicts=True, unique_fields=["entry"], update_fields=WRITTEN_FIELDS
        )
    if found is not None and meta is not None:
        previous = RepositoryInfo.objects.filter(entry_id=entry.pk).first()
        row = _row(entry.pk, _Found(ref=found[0], url=found[1]), meta, previous, now)
        RepositoryInfo.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=["entry"], update_fields=INFO_WRITTEN
        )


def _store(entry_id: int, revision: int, verdicts: list[Verdict], now: datetime) -> None:
    _bulk_store(_rows(entry_id, revision, verdicts, now))


def _rows(
    entry_id: int, revision: int, verdicts: list[Verdict], now: datetime
) -> list[QualityCheck]:
    return [
        QualityCheck(
            entry_id=entry_id,
            entry_revision=revision,
            rule=v.rule,
            outcome=v.outcome,
            blocking=v.blocking,
            figure=v.figure,
            checked_at=now,
        )
        for v in verdicts
    ]


def _bulk_store(rows: list[QualityCheck]) -> None:
    QualityCheck.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["entry", "entry_revision", "rule"],
        update_fields=WRITTEN,
    )


# --- live entries, from what the periodic runs stored -----------------------------------------


def recheck_stored(*, curated_list_id: int | None = None, now: datetime | None = None) -> int:
    """Judge the network rules again from the stored ``LinkHealth`` and ``RepositoryInfo`` of
    every entry under review or live in lists with rules (after ``check_links`` and
    ``refresh_metadata``); the verdicts of each entry's current revision are updated. Returns
    how many verdicts were written. A few queries per list, whatever its size."""
    now = now or timezone.now()
    all_rules = QualityRules.objects.all()
    if curated_list_id is not None:
        all_rules = all_rules.filter(curated_list_id=curated_list_id)
    written = 0
    for rules in all_rules:
        if not set(rules.enabled) & set(HEALTH_RULES):
            continue
        entries = (
            Entry.objects.filter(curated_list_id=rules.curated_list_id, status__in=CHECKED_STATUSES)
            .select_related("link_health", "repository")
            .prefetch_related(
                Prefetch(
                    "extra_links",
                    queryset=ExtraLink.objects.order_by("position", "pk").only("entry_id", "url"),
                    to_attr="repository_links",
                )
            )
            .order_by("pk")
        )
        rows = []
        for entry in entries:
            verdicts = evaluate(rules, _stored_facts(entry, now), only=HEALTH_RULES)
            rows.extend(_rows(entry.pk, entry.revision, verdicts, now))
        _bulk_store(rows)
        written += len(rows)
    return written


def _stored_facts(entry: Entry, now: datetime) -> Facts:
    info = _related(entry, "repository")
    health = _related(entry, "link_health")
    found = repository_of(entry, getattr(entry, "repository_links", []))
    return Facts(
        description=entry.description,
        has_url=bool(entry.url),
        repository=str(found[0]) if found is not None else "",
        meta=stored_meta(info),
        link=stored_link_verdict(health),
        duplicate_of="",
        section_title="",
        section_count=0,
        now=now,
    )


def _related(entry: Entry, name: str) -> Any:
    """The entry's ``LinkHealth`` / ``RepositoryInfo`` (selected with it), or None."""
    try:
        return getattr(entry, name)
    except ObjectDoesNotExist:
        return None


def summary(verdicts: Any) -> dict[str, int]:
    counts = {outcome.value: 0 for outcome in Outcome}
    for verdict in verdicts:
        counts[verdict.outcome] += 1
    return counts
