"""After a list changes (``catalog.signals.list_changed``, sent after commit), push its README
to its repository in the background (``curation.tasks.push_readme_task``)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from catalog.models import CuratedList
from catalog.signals import list_changed


@receiver(list_changed, dispatch_uid="curation.push")
def on_list_changed(sender: Any, curated_list: CuratedList, **kwargs: Any) -> None:
    from curation.push.models import ListRepository

    if ListRepository.objects.filter(curated_list=curated_list, enabled=True).exists():
        from curation.tasks import push_readme_task

        push_readme_task.enqueue(curated_list.pk, "change")
