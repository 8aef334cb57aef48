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

# Sent by the cache backend (config/cache.py) when it answers again after an outage during
# which deletions were lost: whatever was dropped then may still be there, stale.
#     cache_deletions_lost.send(sender=None)
# The public page cache forgets every list's version (catalog.pagecache).
cache_deletions_lost = Signal()
