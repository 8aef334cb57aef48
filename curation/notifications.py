"""Email about the workflow: reviewers hear of new submissions, submitters of each decision.

A visitor who suggested a link with an email address gets an acknowledgement with the private
status link when the suggestion (or their answer to a change request) enters review, and every
decision email to them carries that link again.

The receiver below only enqueues a task (``curation.tasks``) after the transaction commits (a
rolled back change sends nothing); the task sends the mail, and a mail server that fails is
logged, never shown to the person who acted. Each user can opt out (``NotificationPreference``,
in the admin under "My email notifications"). The backend is the console unless ``EMAIL_URL``
says otherwise.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse

from catalog.models import Entry
from curation.access import sections_of
from curation.models import (
    Action,
    Claim,
    Membership,
    NotificationPreference,
    Role,
    WorkflowEvent,
)
from curation.public.models import absolute_status_url
from curation.signals import entry_changed

logger = logging.getLogger(__name__)

# Line breaks of any kind (a header that holds one is refused: BadHeaderError) and other
# control characters, each run of them and the spaces around it becoming one space.
_BREAKS = re.compile(r"\s*[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+\s*")

SUBMISSIONS = (Action.SUBMIT, Action.PROPOSE)
DECISIONS = (
    Action.APPROVE,
    Action.REQUEST_CHANGES,
    Action.REJECT,
    Action.COMMENT,
    Action.PUBLISH,
    Action.SCHEDULE,
    Action.ARCHIVE,
)


@receiver(entry_changed, dispatch_uid="curation.notifications")
def on_entry_changed(sender: Any, entry: Entry, event: WorkflowEvent, **kwargs: Any) -> None:
    # Enqueued after commit: a rolled back change sends nothing, and a worker (or, with the
    # immediate backend, this process) sends the mail without holding the transaction open.
    from curation import tasks

    event_id = event.pk
    if event.action in SUBMISSIONS:
        transaction.on_commit(lambda: tasks.notify_reviewers_task.enqueue(event_id), robust=True)
        if event.actor_id is None and entry.submitted_by_id is None and entry.submitter_email:
            transaction.on_commit(
                lambda: tasks.acknowledge_suggestion_task.enqueue(event_id), robust=True
            )
    elif event.action in DECISIONS:
        transaction.on_commit(lambda: tasks.notify_submitter_task.enqueue(event_id), robust=True)
    elif event.action == Action.ASSIGN:
        transaction.on_commit(lambda: tasks.notify_assignee_task.enqueue(event_id), robust=True)


def _admin_url(entry: Entry) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("admin:catalog_entry_change", args=[entry.pk])


def _opt_out_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "admin:curation_notificationpreference_changelist"
    )


def _event(event_id: int) -> WorkflowEvent | None:
    return (
        WorkflowEvent.objects.select_related(
            "actor", "entry__section", "entry__curated_list", "entry__submitted_by"
        )
        .filter(pk=event_id)
        .first()
    )


def reviewers_of(entry: Entry) -> list[Any]:
    """Active users who may review the entry (its list, a section above it; for a proposal
    that moves its live entry, above both sections), with an email, who have not opted out of
    new-submission emails."""
    memberships = Membership.objects.filter(
        curated_list_id=entry.curated_list_id,
        role__in=[Role.REVIEWER, Role.CURATOR],
        user__is_active=True,
    ).select_related("user", "section")
    opted_out = set(
        NotificationPreference.objects.filter(new_submissions=False).values_list(
            "user_id", flat=True
        )
    )
    sections = sections_of(entry)
    users = {
        m.user_id: m.user
        for m in memberships
        if all(m.covers(section) for section in sections)
        and m.user.email
        and m.user_id not in opted_out
    }
    return [users[pk] for pk in sorted(users)]


def notify_reviewers(event_id: int) -> int:
    event = _event(event_id)
    if event is None:
        return 0
    entry = event.entry
    who = event.actor or entry.submitter_email or "a visitor"
    kind = "An edit was proposed" if entry.is_proposal else "A new entry was submitted"
    subject = f"[{entry.curated_list}] {kind}: {entry.title}"
    body = "\n".join(
        line
        for line in (
            f"{kind} to {entry.curated_list} › {entry.section} by {who}:",
            "",
            f"  {entry.title}" + (f" — {entry.url}" if entry.url else ""),
            f"  {entry.description}" if entry.description else "",
            f"\nTheir note: {event.comment}" if event.comment else "",
            f"\nReview it: {_admin_url(entry)}",
            f"\nTo stop these emails: {_opt_out_url()}",
        )
        if line != ""
    )
    recipients = [u for u in reviewers_of(entry) if u.pk != entry.submitted_by_id]
    return _send(subject, body, [u.email for u in recipients])


def notify_submitter(event_id: int) -> int:
    event = _event(event_id)
    if event is None:
        return 0
    entry = event.entry
    submitter = entry.submitted_by
    if submitter is not None:
        if submitter.pk == event.actor_id or not submitter.is_active or not submitter.email:
            return 0
        if NotificationPreference.objects.filter(user=submitter, decisions=False).exists():
            return 0
        address = submitter.email
    elif entry.submitter_email:
        address = entry.submitter_email  # a visitor's suggestion through the public form
    else:
        return 0
    what = {
        Action.APPROVE: "approved" if event.to_status == "approved" else "got an approval",
        Action.REQUEST_CHANGES: "needs changes",
        Action.REJECT: "was not accepted",
        Action.COMMENT: "has a new comment",
        Action.PUBLISH: "is published",
        Action.SCHEDULE: "is scheduled",
        Action.ARCHIVE: "was archived",
    }[Action(event.action)]
    subject = f"[{entry.curated_list}] “{entry.title}” {what}"
    lines = [f"Your {'proposed edit of' if entry.is_proposal else 'entry'} “{entry.title}” "]
    lines[0] += f"in {entry.curated_list} › {entry.section} {what}."
    if event.action == Action.SCHEDULE and entry.publish_at:
        lines.append(f"It goes live on {entry.publish_at:%Y-%m-%d at %H:%M %Z}.")
    if event.comment:
        lines += ["", f"{event.actor or 'The curators'} wrote:", "", event.comment]
    if submitter is not None:
        lines += ["", f"See it: {_admin_url(entry)}", "", f"To stop these emails: {_opt_out_url()}"]
    elif (link := absolute_status_url(entry)) is not None:
        if event.action == Action.REQUEST_CHANGES:
            lines += ["", f"Edit your suggestion and send it back on its private page: {link}"]
        else:
            lines += ["", f"Follow your suggestion on its private page: {link}"]
    return _send(subject, "\n".join(lines), [address])


def acknowledge_suggestion(event_id: int) -> int:
    """Tell a visitor their suggestion (or their answer to a change request) is in the review
    queue, with its private status link: the only way back to it besides the page they saw."""
    event = _event(event_id)
    if event is None:
        return 0
    entry = event.entry
    if entry.submitted_by_id is not None or not entry.submitter_email:
        return 0
    link = absolute_status_url(entry)
    if link is None:
        return 0
    again = event.from_status == Entry.Status.CHANGES_REQUESTED
    what = "Your changes to your suggestion" if again else "Your suggestion"
    heading = "Changes received" if again else "Thank you"
    subject = f"[{entry.curated_list}] {heading}: {entry.title}"
    body = "\n".join(
        [
            f"{what} “{entry.title}” for {entry.curated_list} › {entry.section} "
            "is in the review queue.",
            "",
            f"  {entry.title}" + (f" — {entry.url}" if entry.url else ""),
            "",
            "Follow it on its private page (keep this link to yourself, it is the only way "
            f"back to it): {link}",
            "",
            "We will write to this address when the reviewers decide.",
        ]
    )
    return _send(subject, body, [entry.submitter_email])


def notify_assignee(event_id: int) -> int:
    """Tell a reviewer a curator gave them a submission to review (0 or 1 sent)."""
    event = _event(event_id)
    if event is None:
        return 0
    entry = event.entry
    claim = Claim.objects.of_entry(entry).select_related("holder").first()
    if claim is None or claim.holder_id == event.actor_id:
        return 0
    holder = claim.holder
    if not holder.is_active or not holder.email:
        return 0
    subject = f"[{entry.curated_list}] For you to review: {entry.title}"
    body = "\n".join(
        [
            f"{event.actor or 'A curator'} asked you to review “{entry.title}” in "
            f"{entry.curated_list} › {entry.section}.",
            "",
            f"Review it: {_admin_url(entry)}",
        ]
    )
    return _send(subject, body, [holder.email])


def claim_released_on_commit(claim_id: int) -> None:
    """After commit, email the holder of a claim released for want of a decision."""
    from curation import tasks

    transaction.on_commit(lambda: tasks.notify_claim_released_task.enqueue(claim_id), robust=True)


def notify_claim_released(claim_id: int) -> int:
    """Tell a reviewer the submission they took went back to the queue (0 or 1 sent)."""
    claim = (
        Claim.objects.select_related("holder", "entry__curated_list", "entry__section")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or claim.ended_at is None:
        return 0
    holder, entry = claim.holder, claim.entry
    if not holder.is_active or not holder.email:
        return 0
    days = (claim.ended_at - claim.taken_at).days
    subject = f"[{entry.curated_list}] Back in the queue: {entry.title}"
    body = "\n".join(
        [
            f"You took “{entry.title}” ({entry.curated_list} › {entry.section}) for review "
            f"{days} days ago and it has no decision yet, so it is back in the review queue "
            "for anyone to take.",
            "",
            f"Take it again or decide on it: {_admin_url(entry)}",
        ]
    )
    return _send(subject, body, [holder.email])


def one_line(text: str) -> str:
    """``text`` as a mail subject: a single line, without control characters. A title with a
    newline (which an import or an API client may bring) must not stop the mail."""
    text = _BREAKS.sub(" ", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cc").strip()


def _send(subject: str, body: str, addresses: list[str]) -> int:
    """One message per recipient (nobody sees the others' addresses); failures are logged."""
    if not addresses:
        return 0
    subject = one_line(subject)
    try:
        with get_connection() as connection:
            messages = [
                EmailMessage(subject, body, to=[address], connection=connection)
                for address in addresses
            ]
            return connection.send_messages(messages) or 0
    except Exception:  # a mail server down must not undo or break the change that was made
        logger.exception("Could not send %r to %d recipients", subject, len(addresses))
        return 0
