"""The write side of the JSON API: thin endpoints over the workflow services (docs/api.md)."""
