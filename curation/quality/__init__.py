"""Quality checks on every submission (issue 16): per-list rules, checks run in the background
for each new revision, a checklist for reviewers, blocking rules that hold back approval until a
curator overrides them with a comment. See docs/quality.md.

- ``models``: ``QualityRules`` (one per list, edited in the list's admin) and ``QualityCheck``
  (one row per rule and entry revision).
- ``evaluate``: pure functions, figures in, verdicts out (no database, no network).
- ``runner``: gathers the figures (the link checker and the forge clients for one URL, or the
  stored ``LinkHealth`` / ``RepositoryInfo`` after a periodic refresh) and stores the verdicts.
"""
