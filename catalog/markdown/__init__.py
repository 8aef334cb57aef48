"""The Markdown engine: an awesome README in, a ``ListDoc`` out, and back again.

Pure functions over plain dataclasses (``document``), no Django: the database is mapped to and
from ``ListDoc`` at the edge.

- ``parse.parse_readme(text) -> (ListDoc, ImportReport)`` — import (``parse_files`` for an export
  directory's files, which also restores the licence kept in ``license.md``).
- ``render.render_readme(doc)`` / ``render_contributing(doc)`` / ``render_files(doc)`` — export.
- ``links.account(text, doc, report)`` — the "no link dropped silently" invariant.
- ``safety.document(doc)`` — every field inert and in its place, whatever it holds (both ways).
- ``tables`` — sections written as tables: columns read as attributes, written back as a table.
- ``decode.decode_bytes(data)`` — bytes from an upload or a file, with one clear error.
"""
