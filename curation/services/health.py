"""Acting on what the link checker found: follow a permanent redirect, retire dead links.

Archiving a dead entry is the ordinary ``entry_archive``; following a redirect is its own
action because it changes a live entry without a review: the link moved (301/308 all the way
to a page that answers), the entry did not. It is a curator's decision all the same, audited
like every other change.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from catalog.choices import OPEN_PROPOSAL_STATUSES
from catalog.models import Entry, LinkHealth
from catalog.normalize import normalize_url
from curation.models import Action
from curation.services import _core
from curation.services._core import Actor
from curation.services.errors import IllegalTransition
from curation.services.rules import check_permission, guard_state


def entry_apply_redirect(*, actor: Actor, entry: Entry, comment: str = "") -> Entry:
    """Replace a published entry's URL by the target of its permanent redirect."""
    check_permission(_core.access_of(actor), entry, Action.MOVE_LINK)
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        guard_state(locked, Action.MOVE_LINK)
        health = LinkHealth.objects.select_for_update().filter(entry=locked).first()
        if health is None or health.state != LinkHealth.State.REDIRECTED or not health.redirect_to:
            raise IllegalTransition(
                f"“{locked}” has no proposed redirect: the last link check found none.",
                code="no_redirect",
            )
        if health.checked_url != locked.url:
            raise IllegalTransition(
                f"The link of “{locked}” changed since it was checked; check it again first.",
                code="redirect_outdated",
            )
        if locked.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).exists():
            raise IllegalTransition(
                f"“{locked}” has an open proposal that would bring the old link back when "
                "merged; decide on the proposal first.",
                code="open_proposal",
            )
        old_url = locked.url
        locked.url = health.redirect_to
        locked.normalized_url = normalize_url(locked.url)
        _core.check_duplicate(locked)  # names the entry that already has the new link
        _core.validate(locked)
        locked.revision += 1
        _core.save(locked, actor=actor, reason=Action.MOVE_LINK)
        # The checker saw the new address answer; it is the address checked from now on.
        health.checked_url = health.final_url = locked.url
        health.redirect_to = ""
        health.state = LinkHealth.State.OK
        health.last_ok_at = health.last_ok_at or timezone.now()
        health.save()
        _core.record(
            locked,
            actor=actor,
            action=Action.MOVE_LINK,
            from_status=locked.status,
            comment=comment or f"{old_url} → {locked.url}",
        )
        _core.list_changed_on_commit(locked.curated_list_id)
    return locked
