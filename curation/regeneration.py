"""After a list changes (``catalog.signals.list_changed``, sent after commit), regenerate its
README in the background (``curation.tasks.regenerate_readme_task``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from catalog.models import CuratedList
from catalog.signals import list_changed


@receiver(list_changed, dispatch_uid="curation.regeneration")
def on_list_changed(sender: Any, curated_list: CuratedList, **kwargs: Any) -> None:
    if settings.README_EXPORT_DIR:
        from curation.tasks import regenerate_readme_task

        regenerate_readme_task.enqueue(curated_list.pk)
