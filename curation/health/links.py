"""The link checker's database edge: entries in, ``catalog.LinkHealth`` rows out.

``check_links`` reads the URLs of the active entries (of one list or all), checks each distinct
URL once with ``checker.run_checks`` (entries of several lists often share a link), then writes
every entry's verdict in one bulk upsert. The entries are read again just before the write: an
entry edited or deleted while the (minutes long) check ran is skipped, not recorded against a
URL it no longer has. Entries are never saved, so the check creates no history rows
and does not bump ``Entry.revision`` (an editor's open form stays valid).

A failing link is only *dead* when it failed in at least two runs and its first failure is
``LINK_CHECK["DEAD_AFTER_HOURS"]`` old: a server down for a night is not link rot.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog import pagecache
from catalog.models import URL_MAX_LENGTH, CuratedList, Entry, LinkHealth
from catalog.querysets import EntryQuerySet
from curation.health.checker import CheckConfig, LinkResult, run_checks

State = LinkHealth.State
ERROR_MAX_LENGTH = LinkHealth._meta.get_field("error").max_length or 500
WRITTEN_FIELDS = [
    "state",
    "checked_url",
    "status_code",
    "final_url",
    "redirect_to",
    "error",
    "checked_at",
    "last_ok_at",
    "first_failed_at",
    "consecutive_failures",
]


@dataclass
class LinkCheckSummary:
    """What one run found. ``checked`` counts entries; ``urls`` the distinct URLs asked."""

    checked: int = 0
    urls: int = 0
    ok: int = 0
    redirected: int = 0
    failing: int = 0
    dead: int = 0
    inconclusive: int = 0  # rate limited or turned away: state left as it was
    skipped: int = 0  # no URL, or edited/removed while the check ran
    elapsed: float = 0.0  # seconds


def next_health(
    previous: LinkHealth | None,
    *,
    entry_id: int,
    url: str,
    result: LinkResult,
    now: datetime,
    dead_after: timedelta,
) -> LinkHealth:
    """The entry's new row, from its previous one and this run's result (pure)."""
    if previous is not None and previous.checked_url != url:
        previous = None  # the entry has a new URL: the old one's history says nothing of it
    health = LinkHealth(
        entry_id=entry_id,
        checked_url=url,
        status_code=result.status_code,
        final_url=result.final_url[:URL_MAX_LENGTH],
        error=result.error[:ERROR_MAX_LENGTH],
        checked_at=now,
        state=previous.state if previous else State.OK,
        redirect_to=previous.redirect_to if previous else "",
        last_ok_at=previous.last_ok_at if previous else None,
        first_failed_at=previous.first_failed_at if previous else None,
        consecutive_failures=previous.consecutive_failures if previous else 0,
    )
    if result.ok:
        # A new address longer than the field could not be applied anyway: no proposal.
        moved = result.permanent_redirect_to
        if len(moved) > URL_MAX_LENGTH:
            moved = ""
        health.state = State.REDIRECTED if moved else State.OK
        health.redirect_to = moved
        health.last_ok_at = now
        health.first_failed_at = None
        health.consecutive_failures = 0
    elif result.counts_as_failure:
        if not health.consecutive_failures or health.first_failed_at is None:
            health.first_failed_at = now
        health.consecutive_failures += 1
        confirmed = now - health.first_failed_at >= dead_after
        health.state = (
            State.DEAD if health.consecutive_failures >= 2 and confirmed else State.FAILING
        )
        health.redirect_to = ""
    return health


def _entries(curated_list: CuratedList | None) -> EntryQuerySet:
    entries = Entry.objects.active().order_by()  # no ordering: no join to the sections
    return entries if curated_list is None else entries.filter(curated_list=curated_list)


def check_links(
    *,
    curated_list: CuratedList | None = None,
    concurrency: int | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    now: datetime | None = None,
) -> LinkCheckSummary:
    """Check the links of ``curated_list`` (or of every list) and record their health.

    ``on_start`` gets the number of distinct URLs before the check, ``on_result`` each result
    as it comes (both for progress bars). ``now`` is the time recorded (default: the end of
    the check). A handful of queries whatever the number of entries.
    """
    started = time.monotonic()
    entries = _entries(curated_list)
    urls = list(dict.fromkeys(entries.exclude(url="").values_list("url", flat=True)))
    if on_start is not None:
        on_start(len(urls))
    overrides = {} if concurrency is None else {"concurrency": concurrency}
    results = run_checks(urls, CheckConfig.from_settings(**overrides), on_result=on_result)

    when = now or timezone.now()
    dead_after = timedelta(hours=settings.LINK_CHECK["DEAD_AFTER_HOURS"])
    try:
        summary = _record(entries, results, now=when, dead_after=dead_after)
    except IntegrityError:
        # An entry was deleted between the reading and the commit (its new row has no entry
        # to point to): read them again. No lock instead: editors are never kept waiting.
        summary = _record(entries, results, now=when, dead_after=dead_after)
    summary.urls = len(urls)
    # A live entry whose link died shows it in its quality checklist (docs/quality.md).
    from curation.quality.runner import recheck_stored

    recheck_stored(curated_list_id=curated_list.pk if curated_list is not None else None)
    summary.elapsed = round(time.monotonic() - started, 3)
    return summary


def _record(
    entries: EntryQuerySet,
    results: dict[str, LinkResult],
    *,
    now: datetime,
    dead_after: timedelta,
) -> LinkCheckSummary:
    """Write the verdicts of the entries as they are now (a URL edited meanwhile: skipped)."""
    summary = LinkCheckSummary()
    with transaction.atomic():
        current = list(entries.values_list("pk", "url", "curated_list_id"))
        previous = {
            health.entry_id: health
            for health in LinkHealth.objects.filter(entry__in=entries.values("pk"))
        }
        rows = []
        for pk, url, _list_id in current:
            result = results.get(url)
            if result is None:  # no URL, or one set after the URLs were read
                summary.skipped += 1
                continue
            health = next_health(
                previous.get(pk),
                entry_id=pk,
                url=url,
                result=result,
                now=now,
                dead_after=dead_after,
            )
            rows.append(health)
            summary.inconclusive += not result.ok and not result.counts_as_failure
            setattr(summary, health.state, getattr(summary, health.state) + 1)
        LinkHealth.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["entry"],
            update_fields=WRITTEN_FIELDS,
            batch_size=500,
        )
        # A URL removed from an entry leaves no verdict behind.
        LinkHealth.objects.filter(entry__in=entries.filter(url="")).delete()
        # The API's cached pages of these lists show the verdicts (catalog.pagecache).
        for list_id in {list_id for _pk, _url, list_id in current}:
            pagecache.invalidate(list_id)
    summary.checked = len(rows)
    return summary


def format_summary(summary: LinkCheckSummary) -> str:
    """One paragraph for the command's output and the logs."""
    return (
        f"Checked {summary.checked} entries ({summary.urls} distinct URLs) in "
        f"{summary.elapsed:.1f} s: {summary.ok} ok, {summary.redirected} moved "
        f"(permanent redirect), {summary.failing} failing, {summary.dead} dead; "
        f"{summary.inconclusive} inconclusive (rate limited or robots turned away), "
        f"{summary.skipped} skipped (no URL, or edited during the check)."
    )
