"""What every workflow service does around its own change: whose access, which row is locked,
the audit record and the signals. Private to ``curation.services``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalog.choices import ACTIVE_STATUSES
from catalog.models import CuratedList, Entry
from catalog.signals import list_changed
from curation.access import Access
from curation.models import Action, WorkflowEvent
from curation.services.errors import DuplicateEntry, StaleRevision
from curation.signals import entry_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    Actor = AbstractBaseUser | AnonymousUser | None
else:
    Actor = Any


def access_of(actor: Actor) -> Access:
    return Access.for_user(actor if actor is not None else AnonymousUser())


def user_or_none(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def lock(entry: Entry, *, skip_locked: bool = False) -> Entry | None:
    """Lock and re-read the entry (and, for a proposal, its live entry first, always in that
    order so that two services never wait on each other). None when ``skip_locked`` skipped it.
    """
    rows = Entry.objects.select_for_update(of=("self",), skip_locked=skip_locked)
    if entry.proposal_for_id is not None:
        live = rows.filter(pk=entry.proposal_for_id).first()
        if live is None:
            return None
    fresh = rows.select_related("section", "curated_list").filter(pk=entry.pk).first()
    if fresh is None and not skip_locked:
        raise Entry.DoesNotExist(f"Entry {entry.pk} no longer exists.")
    return fresh


def check_revision(entry: Entry, based_on: int | None) -> None:
    if based_on is None or based_on == entry.revision:
        return
    last = WorkflowEvent.objects.filter(entry=entry).select_related("actor").first()
    by = f" by {last.actor}" if last is not None and last.actor is not None else ""
    when = f" at {timezone.localtime(last.created_at):%Y-%m-%d %H:%M}" if last is not None else ""
    raise StaleRevision(
        f"“{entry}” changed since you opened it (you saw revision {based_on}, it is now "
        f"revision {entry.revision}{by}{when}). Reload the page and apply your change again.",
        code="stale",
    )


def admin_link(entry: Entry) -> str:
    return reverse("admin:catalog_entry_change", args=[entry.pk])


def check_duplicate(entry: Entry, *, ignore: Iterable[int] = ()) -> None:
    """Refuse a link that is already live or pending in the list, naming the entry that has it."""
    if not entry.normalized_url:
        return
    existing = (
        Entry.objects.active()
        .filter(curated_list_id=entry.curated_list_id, normalized_url=entry.normalized_url)
        .exclude(pk__in=[pk for pk in (entry.pk, entry.proposal_for_id, *ignore) if pk])
        .first()
    )
    if existing is not None:
        raise DuplicateEntry(
            f"This link is already in the list as “{existing}” ({existing.get_status_display()}"
            f"): {admin_link(existing)}",
            existing=existing,
        )


def save(entry: Entry, *, actor: Actor, reason: Action, **kwargs: Any) -> None:
    """Save with the actor and the action in the entry's history (``Entry.history``)."""
    entry._history_user = user_or_none(actor)  # type: ignore[attr-defined]
    entry._change_reason = reason.label  # type: ignore[attr-defined]
    entry.save(**kwargs)


def validate(entry: Entry) -> None:
    """Field validation and every constraint, before the database would refuse the row."""
    entry.full_clean()


def record(
    entry: Entry,
    *,
    actor: Actor,
    action: Action,
    from_status: str,
    comment: str = "",
) -> WorkflowEvent:
    """The audit record of one action, then the signal, inside the caller's transaction."""
    event = WorkflowEvent.objects.create(
        entry=entry,
        actor=user_or_none(actor),
        action=action,
        from_status=from_status,
        to_status=entry.status,
        comment=comment,
        entry_revision=entry.revision,
    )
    entry_changed.send(sender=Entry, entry=entry, event=event)
    return event


def list_changed_on_commit(curated_list_id: int) -> None:
    """After commit: the list's README, document and cached page follow what was published.

    Once per list and transaction: a sync or a bulk action that publishes 300 entries in one
    transaction regenerates (and pushes) the list once, not 300 times. A callback already
    waiting for this list's commit is enough; one dropped with a rolled-back savepoint is gone
    from Django's queue, so the next change registers a new one.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(func, "waiting_for_list", None) == curated_list_id
        for _sids, func, _robust in connection.run_on_commit
    ):
        return

    def send() -> None:
        send.waiting_for_list = None  # type: ignore[attr-defined]  # (tests run it in place)
        curated_list = CuratedList.objects.filter(pk=curated_list_id).first()
        if curated_list is not None:
            list_changed.send(sender=CuratedList, curated_list=curated_list)

    send.waiting_for_list = curated_list_id  # type: ignore[attr-defined]
    transaction.on_commit(send, robust=True)


def holds_url(status: str) -> bool:
    return status in ACTIVE_STATUSES
