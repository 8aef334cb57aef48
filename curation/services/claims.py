"""Owning the queue: a reviewer takes a submission ("I'm reviewing this"), a curator assigns one
to a reviewer, the holder (or a curator) releases it, and the list's days without a decision
release it on their own (``release_stale_claims``, with an email to the holder).

Each write is one transaction: permission, state, the claim row, an audit record
(``WorkflowEvent``: take / assign / release) and the signal. A decision on the entry (approve,
request changes, reject) ends its claim (``end_on_decision``, called by the review services).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.choices import EntryStatus
from catalog.models import Entry
from curation.access import Access, sections_of
from curation.models import Action, Claim, ClaimEnd, Membership, QueueSettings, Role
from curation.services import _core
from curation.services._core import Actor
from curation.services.errors import IllegalTransition

S = EntryStatus

# Where a claim means something: the entry waits for a reviewer's decision.
CLAIMABLE = (S.SUBMITTED,)


def open_claim(entry: Entry) -> Claim | None:
    return Claim.objects.of_entry(entry).select_related("holder", "assigned_by").first()


def _name(user: Any) -> str:
    return user.get_username() if user is not None else "someone"


def _since(claim: Claim) -> str:
    return f"{timezone.localtime(claim.taken_at):%Y-%m-%d %H:%M %Z}"


def _guard_claimable(entry: Entry) -> None:
    if entry.status not in CLAIMABLE:
        raise IllegalTransition(
            f"“{entry}” is {entry.get_status_display().lower()}: only a submission waiting "
            "for review can be taken or assigned.",
            code="illegal_transition",
        )


def _may_review(access: Access, entry: Entry) -> bool:
    """Reviewers in reach who did not submit it: the members whose decision would count."""
    return access.can_decide_on_entry(entry)


def _end(claim: Claim, end: ClaimEnd, *, now: dt.datetime | None = None) -> None:
    claim.ended_at = now or timezone.now()
    claim.end = end
    claim.save(update_fields=["ended_at", "end"])


def _open(entry: Entry, *, holder: Any, assigned_by: Any = None) -> Claim:
    claim = Claim(entry=entry, holder=holder, assigned_by=assigned_by)
    try:
        with transaction.atomic():  # a savepoint: the constraint is the last word on a race
            claim.save()
    except IntegrityError as race:
        raise IllegalTransition(
            f"Someone took “{entry}” at the same moment; reload the page.", code="taken"
        ) from race
    return claim


def entry_take(*, actor: Actor, entry: Entry) -> Claim:
    """The actor says "I'm reviewing this": others see it in the queue until a decision."""
    access = _core.access_of(actor)
    if not _may_review(access, entry):
        raise PermissionDenied(
            f"Only reviewers of “{entry.section}” who did not submit “{entry}” can take it."
        )
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        _guard_claimable(locked)
        current = open_claim(locked)
        if current is not None:
            if current.holder_id == access.user_id:
                raise IllegalTransition(f"You are reviewing “{locked}” already.", code="taken")
            raise IllegalTransition(
                f"{_name(current.holder)} is reviewing “{locked}” since {_since(current)}; "
                "ask them, or a curator, to release it.",
                code="taken",
            )
        claim = _open(locked, holder=actor)
        _core.record(locked, actor=actor, action=Action.TAKE, from_status=locked.status)
    return claim


def entry_assign(*, actor: Actor, entry: Entry, assignee: Any, comment: str = "") -> Claim:
    """A curator gives the review to a member who may review the entry (replacing whoever
    held it)."""
    access = _core.access_of(actor)
    if not access.can_publish_entry(entry):
        raise PermissionDenied(f"Only curators of “{entry.section}” can assign its reviews.")
    if assignee is None or not _may_review(Access.for_user(assignee), entry):
        raise ValidationError(
            {
                "assignee": f"{_name(assignee)} cannot review “{entry}”: choose a reviewer of "
                f"“{entry.section}” who did not submit it."
            },
            code="not_a_reviewer",
        )
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        _guard_claimable(locked)
        current = open_claim(locked)
        if current is not None:
            if current.holder_id == assignee.pk:
                raise IllegalTransition(
                    f"{_name(assignee)} is reviewing “{locked}” already.", code="taken"
                )
            _end(current, ClaimEnd.REASSIGNED)
        claim = _open(locked, holder=assignee, assigned_by=actor)
        note = f"Assigned to {_name(assignee)}."
        if current is not None:
            note += f" (It was with {_name(current.holder)}.)"
        if comment.strip():
            note += f" {comment.strip()}"
        _core.record(
            locked, actor=actor, action=Action.ASSIGN, from_status=locked.status, comment=note
        )
    return claim


def entry_release(*, actor: Actor, entry: Entry, comment: str = "") -> Claim:
    """Back to the queue: by its holder, or by a curator in reach."""
    access = _core.access_of(actor)
    with transaction.atomic():
        locked = _core.lock(entry)
        assert locked is not None
        current = open_claim(locked)
        if current is None:
            raise IllegalTransition(f"Nobody is reviewing “{locked}”.", code="not_taken")
        is_holder = access.user_id is not None and current.holder_id == access.user_id
        if not is_holder and not access.can_publish_entry(locked):
            raise PermissionDenied(
                f"{_name(current.holder)} is reviewing “{locked}”: only they or a curator "
                "can release it."
            )
        _end(current, ClaimEnd.RELEASED)
        note = comment.strip() or ("" if is_holder else f"Released from {_name(current.holder)}.")
        _core.record(
            locked, actor=actor, action=Action.RELEASE, from_status=locked.status, comment=note
        )
    return current


def end_on_decision(entry: Entry) -> None:
    """A decision (approve, request changes, reject) ends the entry's claim, inside the
    decision's transaction (no audit record of its own: the decision is the record)."""
    Claim.objects.of_entry(entry).update(ended_at=timezone.now(), end=ClaimEnd.DECIDED)


def release_stale_claims(*, now: dt.datetime | None = None) -> list[Claim]:
    """Release every claim held longer than its list's days without a decision; what the
    ``release_claims`` command (cron) and ``release_claims_task`` run. Idempotent: a second
    run finds nothing. The holder is emailed after commit (``curation.notifications``)."""
    from curation.notifications import claim_released_on_commit

    now = now or timezone.now()
    days = dict(QueueSettings.objects.values_list("curated_list_id", "claim_days"))
    candidates = (
        Claim.objects.open()
        .filter(taken_at__lte=now - dt.timedelta(days=1))
        .select_related("entry__curated_list")
        .order_by("taken_at", "pk")
    )
    released = []
    for claim in list(candidates):
        limit = days.get(claim.entry.curated_list_id, QueueSettings().claim_days)
        if limit == 0 or claim.taken_at > now - dt.timedelta(days=limit):
            continue
        with transaction.atomic():
            locked = _core.lock(claim.entry, skip_locked=True)
            fresh = Claim.objects.open().filter(pk=claim.pk).first()
            if locked is None or fresh is None:
                continue  # decided, released or being worked on meanwhile
            _end(fresh, ClaimEnd.EXPIRED, now=now)
            _core.record(
                locked,
                actor=None,
                action=Action.RELEASE,
                from_status=locked.status,
                comment=f"Released after {limit} days without a decision "
                f"(taken by {_name(fresh.holder)}).",
            )
            claim_released_on_commit(fresh.pk)
        released.append(fresh)
    return released


def possible_assignees(entry: Entry) -> list[Any]:
    """The active members who may review the entry (a reviewer's or curator's role over its
    sections), its submitter aside: whom a curator may assign it to."""
    memberships = Membership.objects.filter(
        curated_list_id=entry.curated_list_id,
        role__in=[Role.REVIEWER, Role.CURATOR],
        user__is_active=True,
    ).select_related("user", "section")
    sections = sections_of(entry)
    users = {
        m.user_id: m.user
        for m in memberships
        if all(m.covers(section) for section in sections) and m.user_id != entry.submitted_by_id
    }
    return sorted(users.values(), key=lambda user: user.get_username())
