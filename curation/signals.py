"""Signals of the workflow. Sent by ``curation.services`` inside the transaction of the change:
receivers that do something outside the database (email, HTTP) defer it with
``transaction.on_commit``, so nothing is sent for a change that is rolled back.

    entry_changed.send(sender=Entry, entry=entry, event=workflow_event)

``event`` is the ``WorkflowEvent`` just written: its action, actor, from → to and comment.
What the list publishes changing is ``catalog.signals.list_changed`` (sent after commit).
"""

from django.dispatch import Signal

entry_changed = Signal()
