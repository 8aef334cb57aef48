"""Signals the catalog offers to whoever reacts to changes of what is published.

``catalog`` never imports ``curation``: the workflow services send these, and the README /
list-document export and the public page cache connect to them.
"""

from django.dispatch import Signal

# Sent after the transaction that changed what a list publishes has committed (an entry
# published, unpublished, archived, or a proposal merged into a live entry):
#     list_changed.send(sender=CuratedList, curated_list=curated_list)
# Receivers regenerate the list's README and list document, or drop its cached page.
list_changed = Signal()
