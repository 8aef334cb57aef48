"""Background work, on django-tasks (the backport of Django 6's task framework).

With ``TASKS_BACKEND=immediate`` (the embedded default, and the tests) a task runs at once in
the process that enqueues it; with ``TASKS_BACKEND=database`` it waits in the database for
``python manage.py db_worker``. Arguments and results are plain JSON: a task is handed ids and
slugs, never model instances, and reads the rows itself when it runs.

Cron schedules the periodic ones through the management commands (``check_links --enqueue``,
``refresh_metadata --enqueue``, ``regenerate_readmes --enqueue``, ``release_claims``); the
workflow enqueues notification emails and README regeneration after each commit.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from catalog.export import export_files
from catalog.management.files import write_files_atomically
from catalog.models import CuratedList

logger = logging.getLogger(__name__)


def _list_or_none(list_slug: str | None) -> CuratedList | None:
    return CuratedList.objects.get(slug=list_slug) if list_slug else None


@task()
def check_links_task(
    list_slug: str | None = None, concurrency: int | None = None
) -> dict[str, Any]:
    """Check the links of one list (or all) and record their health."""
    from curation.health.links import check_links

    summary = check_links(curated_list=_list_or_none(list_slug), concurrency=concurrency)
    return dataclasses.asdict(summary)


@task()
def refresh_metadata_task(list_slug: str | None = None) -> dict[str, Any]:
    """Ask the forges about the repositories behind the entries of one list (or all)."""
    from curation.health.metadata import refresh_metadata

    summary = refresh_metadata(curated_list=_list_or_none(list_slug))
    return dataclasses.asdict(summary)


@task()
def regenerate_readme_task(list_id: int) -> list[str]:
    """Write a list's README (and its companion files) into ``README_EXPORT_DIR/<slug>/``.

    The directory is where a deployment keeps the files a list's own repository publishes
    (a cron job or CI commits them). Nothing to do when the setting is empty: the site serves
    the README from the database anyway.
    """
    target = settings.README_EXPORT_DIR
    curated_list = CuratedList.objects.filter(pk=list_id).first()
    if not target or curated_list is None:
        return []
    directory = Path(target) / curated_list.slug
    directory.mkdir(parents=True, exist_ok=True)
    files = export_files(curated_list)
    write_files_atomically(directory, files)  # all of them or none
    return [str(directory / name) for name in sorted(files)]


@task()
def push_readme_task(list_id: int, trigger: str = "change", force: bool = False) -> dict[str, Any]:
    """Publish a list's README to its repository (docs/push.md); failures schedule a retry."""
    from curation.push.service import run_push_task

    return run_push_task(list_id, trigger, force=force)


@task()
def notify_reviewers_task(event_id: int) -> int:
    """Email the reviewers of a new submission or proposal (returns how many were sent)."""
    from curation.notifications import notify_reviewers

    return notify_reviewers(event_id)


@task()
def notify_submitter_task(event_id: int) -> int:
    """Email the submitter about a decision on their entry (returns how many were sent)."""
    from curation.notifications import notify_submitter

    return notify_submitter(event_id)


@task()
def acknowledge_suggestion_task(event_id: int) -> int:
    """Email a visitor the status link of the suggestion that entered review (0 or 1 sent)."""
    from curation.notifications import acknowledge_suggestion

    return acknowledge_suggestion(event_id)


@task()
def notify_assignee_task(event_id: int) -> int:
    """Email the reviewer a curator assigned a submission to (returns how many were sent)."""
    from curation.notifications import notify_assignee

    return notify_assignee(event_id)


@task()
def notify_claim_released_task(claim_id: int) -> int:
    """Email the reviewer whose claim was released for want of a decision (0 or 1 sent)."""
    from curation.notifications import notify_claim_released

    return notify_claim_released(claim_id)


@task()
def release_claims_task() -> list[int]:
    """Release the submissions taken longer than their list's days without a decision."""
    from curation.services import release_stale_claims

    return [claim.pk for claim in release_stale_claims()]


@task()
def quality_checks_task(entry_id: int, revision: int) -> dict[str, int]:
    """Run a list's quality checks on one revision of an entry (docs/quality.md); returns
    how many rules passed, failed, could not be checked or did not apply."""
    from curation.quality.runner import run_for_entry, summary

    return summary(run_for_entry(entry_id, revision))


@task()
def warm_list_pages_task(list_id: int) -> bool:
    """Rebuild a changed list's cached pages (its page, its document, the home page), so that
    the first visitor after a publish is served from the cache (``catalog.pagecache``)."""
    from catalog.views.lists import warm

    curated_list = CuratedList.objects.filter(pk=list_id).first()
    if curated_list is None:
        return False
    warm(curated_list)
    return True
