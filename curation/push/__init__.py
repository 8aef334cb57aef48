"""Publishing a list's regenerated README to its own repository: a commit pushed to a branch
(``git.py``, any host) or a GitHub pull request (``github.py``), orchestrated by ``service.py``,
triggered by ``signals.py`` through ``curation.tasks.push_readme_task``. See docs/push.md."""
