"""Link health and repository metadata: outbound HTTP to the links of the lists.

- ``network``: httpx clients that refuse private and loopback addresses (SSRF guard).
- ``checker``: the asynchronous link checker (pure: URLs in, results out).
- ``links``: runs the checker over entries and records ``catalog.LinkHealth``.
- ``forges``: GitHub, GitLab and Gitea/Forgejo (Codeberg) API clients.
- ``metadata``: refreshes ``catalog.RepositoryInfo`` from the forges.
"""
