"""After a list changes (``catalog.signals.list_changed``, sent after commit), regenerate its
README in the background (``curation.tasks.regenerate_readme_task``), and its cached public
pages (``curation.tasks.warm_list_pages_task``: the page cache has already dropped them)."""

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


@receiver(list_changed, dispatch_uid="curation.regeneration.pages")
def warm_pages(sender: Any, curated_list: CuratedList, **kwargs: Any) -> None:
    # Connected after catalog.pagecache's receiver (catalog's ready() runs first), which drops
    # the list's version: the pages are rebuilt under the new one.
    from curation.tasks import warm_list_pages_task

    warm_list_pages_task.enqueue(curated_list.pk)
