"""Every workflow change that leaves an entry revision without checks enqueues them (after the
commit: a rolled back change checks nothing)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from catalog.models import Entry
from curation.models import WorkflowEvent
from curation.quality.runner import CHECKED_STATUSES, enqueue_after_commit
from curation.signals import entry_changed


@receiver(entry_changed, dispatch_uid="curation.quality")
def on_entry_changed(sender: Any, entry: Entry, event: WorkflowEvent, **kwargs: Any) -> None:
    if entry.status in CHECKED_STATUSES:
        enqueue_after_commit(entry)
