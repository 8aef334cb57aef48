"""The read-only JSON API of what is published, and the list document (see docs/api.md)."""
