"""The curator's workplace: the Django admin, scoped to the lists and sections each user holds.

Permissions come from memberships (``curation.access``), not from Django's model permissions:
a reviewer of one list is nobody on another, and a section-scoped role reaches only its subtree.
"""

from curation.admin import entries, lists, members, preferences, sections  # noqa: F401  (registers them)
