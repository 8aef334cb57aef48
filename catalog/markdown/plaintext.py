"""Plain-text link collections: a document with ``•`` bullets and no Markdown structure at all,
read as the Markdown it stands for (issue 12, shape 8)::

    Tea Resources                                   # Tea Resources
    Things about tea, gathered over the years.      Things about tea, gathered over the years.

    Contents                                        (dropped: the export generates it)
    • Brewing
    • Reading

    Brewing                                         ## Brewing
    These help you brew.                            These help you brew.
    • Tea Timer: Times infusions. https://t.example - [Tea Timer](https://t.example) - Times …
    • Leaf Scale: Weighs leaves.                    - Leaf Scale - Weighs leaves.

    • Always warm the pot first.                    • Always warm the pot first.

**Recognised** when the parsed document has no heading, no Markdown list and no table, and at
least two lines start with a bullet (``•`` ``◦`` ``‣`` ``▪`` ``●``). Every corpus list has
headings, so none is read this way.

**Headings** are plain lines: a line that the document's own contents list names (a run of
bullets, each naming a later line of its own; indented names are subsections), a short line
(at most eight words, no sentence end, after a blank line) directly followed by bullets, and a
Contributing/License/Credits line after a blank line. The first line is the title when it is
short and not followed by bullets.

**Entries** are bullets written ``Name: description`` or ``Name - description`` (a name of at
most eight words, not a label such as ``Note:``), with a URL when the line has one at its end or
right after the name; without one the entry has no URL. Other bullets, and bullets before the
first heading, stay the text around them (prose), as do all other lines.

Pure: text in, ``Translation`` (Markdown, the source line of each of its lines, what was
chosen) out; ``restore_lines`` puts the source's line numbers back on the parsed tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.markdown import inline
from catalog.markdown.inline import Link
from catalog.markdown.syntax import Block

_BULLET = re.compile(r"^(\s*)[•◦‣▪●]\s*")
_BULLETS = "•◦‣▪●"
_STRUCTURE = frozenset({"heading", "bullet_list", "ordered_list", "table"})
_TOC_TITLE = re.compile(
    r"^(table of contents|contents|toc|index|sections|topics|categories)$", re.IGNORECASE
)
_FOOTER_TITLE = re.compile(
    r"^(contributing|how to contribute|licen[cs]e|credits|acknowledge?ments|thanks)$",
    re.IGNORECASE,
)
# "Note: …" and the like open a remark, not a resource.
_LABEL = re.compile(
    r"^(note|notes|nb|n\.b|tip|tips|hint|warning|caution|important|update|updated|edit|"
    r"disclaimer|example|e\.g|ps|p\.s|source|see also|also|remember|why|how|what)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r":\s+|\s+[-–—]\s+")
_MAX_WORDS = 8
_MAX_NAME = 60
_CLOSE = re.compile(r"^[)\]>]?\s*[.,;]?\s*$")
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[+*-](?=\s|$)|=+\s*$|\d{1,9}[.)](?=\s|$))")


@dataclass(frozen=True, slots=True)
class Translation:
    """The Markdown a plain document stands for; ``lines[i]`` is the source line (1-based) of
    its line ``i + 1``; ``notes`` are (kind, detail, source line) for the import report."""

    markdown: str
    lines: tuple[int, ...]
    notes: tuple[tuple[str, str, int | None], ...] = ()


def is_plain(text: str, root: Block) -> bool:
    """A plain-text document: ``•`` lines, and no Markdown heading, list or table."""
    if not any(bullet in text for bullet in _BULLETS):
        return False
    if sum(1 for line in text.split("\n") if _BULLET.match(line)) < 2:
        return False
    return not any(node.type in _STRUCTURE for node in root.walk())


def restore_lines(root: Block, lines: tuple[int, ...]) -> None:
    """Give every node of the tree of ``Translation.markdown`` the source's line numbers."""
    for node in root.walk():
        found = node.token.map
        if found and lines:
            start = lines[min(found[0], len(lines) - 1)] - 1
            end = lines[min(max(found[1] - 1, found[0]), len(lines) - 1)]
            node.token.map = [start, end]


@dataclass(slots=True)
class _Out:
    lines: list[str] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    notes: list[tuple[str, str, int | None]] = field(default_factory=list)

    def add(self, line: str, source: int) -> None:
        self.lines.append(line)
        self.sources.append(source)


def translate(text: str) -> Translation:
    lines = text.split("\n")
    contents, levels = _contents(lines)
    title = _title_line(lines, contents)
    out = _Out()
    out.notes.append(
        (
            "plain-text document read as sections and entries",
            "headings: lines its contents list names, short lines before bullets; "
            "entries: bullets written 'Name: description' (URL when present)",
            None,
        )
    )
    headed = False
    previous = ""  # the kind of the last line written: "", "entry", "text", "heading"
    for number, raw in enumerate(lines, start=1):
        index = number - 1
        line = raw.strip()
        if index in contents:
            if index == min(contents):
                out.notes.append(("table of contents dropped (it is generated)", line, number))
            out.add("", number)
            previous = ""
            continue
        if not line:
            out.add("", number)
            previous = ""
            continue
        if index == title:
            out.add("# " + _escape_line(line), number)
            previous = "heading"
            continue
        level = _heading_level(lines, index, levels, title)
        if level:
            heading = line.rstrip(":").strip()
            out.add("#" * level + " " + _escape_line(heading), number)
            out.notes.append(("plain line read as a heading", heading, number))
            headed = True
            previous = "heading"
            continue
        bullet = _BULLET.match(raw)
        entry = _entry(raw[bullet.end() :].strip()) if bullet and headed else None
        if entry is not None:
            out.add(entry[0], number)
            out.notes.append(("plain bullet read as an entry", entry[1], number))
            previous = "entry"
            continue
        if previous == "entry":
            out.add("", number)  # or the line would continue the entry above
        if bullet:
            out.notes.append(("plain bullet kept as text", line[:60], number))
        out.add(_escape_line(line), number)
        previous = "text"
    return Translation("\n".join(out.lines), tuple(out.sources), tuple(out.notes))


# --- headings -----------------------------------------------------------------------------------


def _contents(lines: list[str]) -> tuple[set[int], dict[str, int]]:
    """The lines of the document's contents list (and its title line), and the heading level of
    each name it lists (casefolded): a run of at least two bullets, each naming a plain line
    that comes later; a name indented deeper than the run's first is a subsection."""
    index = 0
    while index < len(lines):
        if not _BULLET.match(lines[index]):
            index += 1
            continue
        end = index
        while end < len(lines) and _BULLET.match(lines[end]):
            end += 1
        run = range(index, end)
        later = {_key(line) for line in lines[end:] if line.strip() and not _BULLET.match(line)}
        names = [_bullet_text(lines[i]) for i in run]
        if len(names) >= 2 and all(_key(name) in later for name in names):
            base = _indent(lines[index])
            levels = {
                _key(name): 3 if _indent(lines[i]) > base else 2
                for i, name in zip(run, names, strict=True)
            }
            taken = set(run)
            above = index - 1
            if above >= 0 and _TOC_TITLE.match(lines[above].strip().rstrip(":")):
                taken.add(above)
            return taken, levels
        index = end
    return set(), {}


def _title_line(lines: list[str], contents: set[int]) -> int | None:
    """The first line names the document when it is short and no bullets follow it."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or first in contents or _BULLET.match(lines[first]):
        return None
    if not _short(lines[first].strip()):
        return None
    following = lines[first + 1] if first + 1 < len(lines) else ""
    return None if _BULLET.match(following) else first


def _heading_level(lines: list[str], index: int, levels: dict[str, int], title: int | None) -> int:
    line = lines[index]
    if _BULLET.match(line):
        return 0
    named = levels.get(_key(line))
    if named:
        return named
    after_blank = index == 0 or not lines[index - 1].strip() or index - 1 == title
    if not after_blank or not _short(line.strip()):
        return 0
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if _BULLET.match(following) or _FOOTER_TITLE.match(line.strip().rstrip(":")):
        return 2
    return 0


def _short(line: str) -> bool:
    """A line that can be a heading or a name: a few words (not only punctuation), no sentence
    end, no link."""
    words = line.split()
    return (
        0 < len(words) <= _MAX_WORDS
        and len(line) <= _MAX_NAME
        and any(char.isalnum() for char in line)
        and not line.rstrip(":").endswith((".", ",", ";", "!", "?"))
        and "://" not in line
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _key(line: str) -> str:
    return " ".join(_bullet_text(line).rstrip(":").split()).casefold()


def _bullet_text(line: str) -> str:
    found = _BULLET.match(line)
    return line[found.end() :].strip() if found else line.strip()


# --- entries ------------------------------------------------------------------------------------


def _entry(text: str) -> tuple[str, str] | None:
    """``Name: description`` (and its URL) as a Markdown list item, with the name; ``None`` when
    the bullet is a remark."""
    nodes = inline.split_bare_urls(text)
    links = [i for i, node in enumerate(nodes) if isinstance(node, Link)]
    url = ""
    words = text
    if links:
        last = links[-1]
        before = _text_of(nodes[:last])
        after = _text_of(nodes[last + 1 :])
        if _CLOSE.match(after):
            # "Name: description https://…" or "Name: description (https://…)."
            url = _url_of(nodes[last])
            words = _GLUE_END.sub("", before)
        else:
            first = links[0]
            name = _text_of(nodes[:first])
            rest = _text_of(nodes[first + 1 :])
            glue = name.rstrip().endswith(("(", "[", "<"))
            head = _GLUE_END.sub("", name)
            if head and _is_name(head) and (glue or not name[-1:].strip()):
                # "Name (https://…): description" or "Name https://… - description"
                tail = re.sub(r"^\s*[)\]>]?\s*(?::|[-–—])?\s*", "", rest)
                url = _url_of(nodes[first])
                words = head + (": " + tail if tail else "")
    found = _SEPARATOR.search(words)
    if found is None:
        name, description = words.strip(), ""
        if not url or not _is_name(name):
            return None
    else:
        name, description = words[: found.start()].strip(), words[found.end() :].strip()
        if not _is_name(name) or (not description and not url):
            return None
    # Unlinked, the name opens the item's line: "# Name" would be a heading inside it.
    title = _escape_line(name)
    if url:
        title = f"[{inline.escape(name)}]({inline.url_for_markdown(url)})"
    item = "- " + title + (" - " + _escape(description) if description else "")
    return item, name


_GLUE_END = re.compile(r"\s*(?:[-–—:→|]|🔗)?\s*[(\[<]?\s*$")


def _is_name(name: str) -> bool:
    return (
        _short(name)
        and _SEPARATOR.search(name) is None
        and not _LABEL.match(name.rstrip(".").strip())
        and name[:1] not in "([<"
    )


def _text_of(nodes: list[inline.Node]) -> str:
    return "".join(node.value if isinstance(node, inline.Text) else _url_of(node) for node in nodes)


def _url_of(node: inline.Node) -> str:
    return node.url if isinstance(node, Link) else ""


def _escape(text: str) -> str:
    """Plain text as Markdown that reads as the same text; bare URLs are left as they are."""
    return "".join(
        node.url if isinstance(node, Link) else inline.escape(node.value)
        for node in inline.split_bare_urls(text)
        if isinstance(node, Link | inline.Text)
    )


def _escape_line(line: str) -> str:
    """A line of text that must not start a Markdown block (a list, a heading, a quote)."""
    return _LINE_START.sub(_escape_start, _escape(line), count=1)


def _escape_start(match: re.Match[str]) -> str:
    marker = match.group(1)
    if marker[0].isdigit():  # "1." starts a list, "1\." does not ("\1" is no escape)
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
