"""What a README will cost to read, counted on its bytes before it is parsed (issue 17).

Reading costs by the item and the link, not by the byte — about 0.2 ms of CPU per list item,
more per link in prose (parsing, normalising every URL, accounting for every link) and several
kilobytes each: a 5 MB README of 143,000 tiny items took 28 s of CPU and 806 MB (267 s of wall
time on a loaded machine), a web worker's timeout and memory. The importer refuses a README
whose counts are over its limits before it spends anything on it. Both counts are cheap (one
regular-expression pass each, tens of milliseconds for 5 MB) and err on the high side: they
count what *could* become an entry or a link, so a README under the limits is never refused
for lines the parser would not have read as items, and one over them could not be read in
time anyway. Pure: bytes in, numbers out.
"""

from __future__ import annotations

import re

# A line that can hold an entry: a list item (``-``, ``*``, ``+``, ``1.``, ``1)``, in a quote
# too) or a table row (any line with a ``|``); at most one per line.
_ITEM_LINE = re.compile(
    rb"^(?:[ \t]*(?:>[ \t]*)*(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)|[^\n]*\|)", re.MULTILINE
)
# Lists written in HTML: each <li>, each <br>-ended line, each <details> card's <summary>.
_HTML_ITEM = re.compile(rb"<(?:li|br|summary)\b", re.IGNORECASE)
# A link: every absolute URL (inline, bare, autolink, href, reference), and every inline link
# whose target is not one (a relative link or an anchor).
_LINK = re.compile(rb"\]\((?![ \t<]*[A-Za-z][A-Za-z0-9+.-]*://)|://")


def count_items(data: bytes) -> int:
    """How many entries ``data`` could hold, at most (list items, table rows, HTML items)."""
    return len(_ITEM_LINE.findall(data)) + len(_HTML_ITEM.findall(data))


def count_links(data: bytes) -> int:
    """How many links ``data`` holds, roughly and rather more than fewer."""
    return len(_LINK.findall(data))
