"""The awesome style of titles, headings and descriptions, shared by the importer and the export.

awesome-lint checks more than layout: a description starts with a capital (or a word whose
casing is deliberate, like ``iOS``), ends with punctuation and does not begin with the item's own
name; the main heading is in title case; headings do not end with punctuation. The importer
applies these rules (and reports it) so that what it stores is already what the export writes;
the export applies them again so that data typed into the admin comes out lint-clean too. Every
function here is idempotent: applying it twice changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from catalog.markdown import decode, punctuation

_FIRST_WORD = re.compile(r"[^- ;./']+")
_ENDS_WELL = re.compile(r"[.!?…。！？][\"”」』]?$")
_TRAILING_MARKUP = "*_~"
_HEADING_PUNCTUATION = ".,;:!?"
# A bare URL opening a description is a link to GitHub and awesome-lint: "Https://…" would
# break it and read worse, and the lint does not ask for a capital there.
_CASELESS_START = re.compile(r"^[/@#$~&%]")
# A description opening with a URL (``http://a.example/x_y``, ``www.a.example``): capitalising
# it would change the link (GFM links the bare URL; the importer reads ``Http://`` as text).
_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|www\.", re.IGNORECASE)
# awesome-lint's repeated punctuation, minus ``~`` (``~~`` is strikethrough markup).
_REPEATABLE = "！!～,，·?？"
_REPEATED = re.compile(f"([{re.escape(_REPEATABLE)}])\\1")
# Patterns used on every description are compiled once (the export writes thousands).
_NON_WORD = re.compile(r"\W+")
_NON_ASCII_ALNUM = re.compile(r"[^A-Za-z0-9]")
_DOUBLED_END = re.compile(r"[.!?…][\"”]([.!?…]+)$")
_CODE_OR_LINK_TARGET = re.compile(r"`[^`]*`|\]\([^)]*\)")
_INNER_DASH = re.compile(r"(?<=\w)[-_](?=\w)")

# Words after an item's name that make "Name verb …" read as a sentence about the item.
_VERBS = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
        "may",
        "might",
        "must",
        "should",
        "does",
        "do",
        "did",
        "lets",
        "helps",
        "allows",
        "enables",
        "provides",
        "makes",
        "uses",
        "supports",
        "offers",
        "brings",
        "gives",
        "adds",
        "converts",
        "turns",
        "runs",
        "reads",
        "writes",
        "parses",
        "builds",
        "manages",
        "generates",
        "implements",
        "creates",
        "aims",
        "wraps",
        "extends",
        "integrates",
        "exposes",
    }
)


def _needs_capital(word: str) -> bool:
    cleaned = _NON_WORD.sub("", word)
    if not cleaned or any(char.isdigit() for char in cleaned) or word.startswith(("'", '"', "(")):
        return False
    if cleaned == "npm":  # awesome-lint's own allow-list
        return False
    first = cleaned[0]
    if not first.isalpha() or not first.islower():
        return False
    # camelCase such as iOS or jQuery is deliberate; only an all-lowercase word is not.
    return cleaned == cleaned.lower() and _cased_script(first)


@lru_cache(maxsize=4096)  # asked once per description, of a handful of distinct letters
def _cased_script(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("LATIN", "GREEK", "CYRILLIC"))


# Cyrillic and Greek capitals that look Latin: awesome-lint cannot check their casing.
_CONFUSABLE = str.maketrans("АВЕКМНОРСТХΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", "ABEKMHOPCTXABEHIKMNOPTXYZ")


def _upper_first(text: str) -> str:
    """``text`` with its first letter upper-cased, unless that makes it look like mojibake the
    importer repairs (``ä²`` → ``Ä²``, UTF-8 ``Ĳ`` read as Windows-1252): the next import would
    change it again, so it stays as the author wrote it."""
    upper = text[0].upper() + text[1:]
    if "\u00c0" <= upper[0] <= "\u00df" and decode.repair_line(upper) != upper:
        return text
    return upper


def capitalise(markdown: str) -> str:
    """Upper-case the first letter when awesome-lint would reject the first word's casing."""
    if not markdown or _CASELESS_START.match(markdown) or _URL_START.match(markdown):
        return markdown
    if markdown[0] in "АВЕКМНОРСТХΑΒΕΗΙΚΜΝΟΡΤΧΥΖ" and markdown[1:2] in (" ", ""):
        markdown = markdown[0].translate(_CONFUSABLE) + markdown[1:]
    lead = len(markdown) - len(markdown.lstrip("'\""))
    if lead and markdown[lead : lead + 1].isalpha():
        # "'find' replacement": awesome-lint looks at the word inside the quotes.
        word = _FIRST_WORD.match(markdown[lead:])
        if word and _needs_capital(word.group()):
            return markdown[:lead] + _upper_first(markdown[lead:])
        return markdown
    if not markdown[0].isalpha():
        return markdown
    match = _FIRST_WORD.match(markdown)
    if match and not _NON_ASCII_ALNUM.sub("", match.group()) and _cased_script(markdown[0]):
        # "Δ An open-source framework": awesome-lint cannot read the casing of a word without
        # ASCII letters; in italics the description is no longer plain text and is not checked.
        first_word = match.group()
        return f"*{first_word}*{markdown[len(first_word) :]}"
    if match and _needs_capital(match.group()):
        return _upper_first(markdown)
    return markdown


def punctuate(markdown: str) -> str:
    """End with ``.``, ``!``, ``?`` or ``…``: a dangling ``,``, ``;`` or ``:`` becomes ``.``."""
    text = punctuation.fold_glued(markdown.rstrip())
    if not text:
        return text
    core = text.rstrip(_TRAILING_MARKUP)
    doubled = _DOUBLED_END.search(text)
    if doubled:  # 'say "Faster.".' → 'say "Faster."'
        return text[: doubled.start(1)]
    if _ENDS_WELL.search(core):
        return text
    if core and core[-1] in ",;:" and core == text:
        return text[:-1].rstrip() + "."
    if core and core[-1] in punctuation.DANGLING and core == text:
        return text[:-1] + "。"
    # After CJK text the sentence ends with "。", never with an ASCII period glued on.
    return text + punctuation.full_stop_for(text)


def _starts_with_name(text: str, name: str) -> bool:
    if not name or not text.lower().startswith(name.lower()):
        return False
    after = text[len(name) :]
    return not after or after[0] in " \t.,!?:-"


_WRAPPED = re.compile(r"^(`+|\*\*|\*|_)(.+?)\1")
_LINKED = re.compile(r"^\[([^\]]+)\]\(")


def drop_repeated_name(markdown: str, name: str) -> str:
    """``Foo - Foo is a tool`` reads twice: make it ``It is a tool`` (or ``The Foo …``)."""
    name = name.strip()
    if not name:
        return markdown
    wrapped = _WRAPPED.match(markdown)
    if wrapped and wrapped.group(2).strip().lower() == name.lower():
        # "`has` helps you …": the name in code or emphasis is still the name.
        unwrapped = name + markdown[wrapped.end() :]
        changed = drop_repeated_name(unwrapped, name)
        if changed == unwrapped:
            return markdown
        return _the(markdown, name) if changed.startswith("The ") else changed
    linked = _LINKED.match(markdown)
    if linked and _starts_with_name(linked.group(1), name):
        return _the(markdown, name)
    if not _starts_with_name(markdown, name):
        return markdown
    rest = markdown[len(name) :]
    if rest.startswith("'s "):
        return "Its" + rest[2:]
    stripped = rest.lstrip()
    if stripped[:1] in ("-", ":", ",", "–", "—"):
        remainder = stripped[1:].lstrip()
        if remainder and not _starts_with_name(remainder, name):
            return capitalise(remainder)
    swapped = _expansion_first(markdown[: len(name)], stripped)
    if swapped:
        return swapped
    next_word = stripped.split(" ", 1)[0].lower() if stripped else ""
    # "builds, tests and …" is a verb too; "Archives." is not (only known verbs lose the comma).
    if next_word.rstrip(",;") in _VERBS or (
        len(next_word) > 3 and next_word.endswith("s") and not next_word.endswith(("ss", "us"))
    ):
        return "It" + rest
    return _the(markdown, name)


def _the(markdown: str, name: str) -> str:
    """``The Foo …``; unchanged where that opens with the name again (an item named "The"
    would get one more "The" on every export)."""
    prefixed = "The " + markdown
    return markdown if _starts_with_name(prefixed, name) else prefixed


# "PyG (PyTorch Geometric) is …": the name and its expansion; words that make the brackets an
# aside (a former name, an example) rather than the long form of the name.
_EXPANSION = re.compile(r"^\(([^()]+)\)(?=[ ,])")
_ASIDE_WORDS = re.compile(
    r"^(formerly|previously|aka|a\.k\.a|also|or|e\.g|i\.e|see|by|from|for|in|on|via|now|"
    r"was|based|powered|part|built|with|beta|alpha|deprecated|archived|unmaintained)\b",
    re.IGNORECASE,
)


def _expansion_first(name: str, rest: str) -> str:
    """``PyG (PyTorch Geometric) is a library`` → ``PyTorch Geometric (PyG) is a library``:
    the author's words, lint-clean (the description no longer opens with the item's name),
    where "The PyG (PyTorch Geometric) is …" reads worse. Only for a long form that starts
    with a capital or a digit and is not an aside (``(formerly …)``)."""
    match = _EXPANSION.match(rest)
    if not match:
        return ""
    expansion = " ".join(match.group(1).split())
    if (
        not expansion
        or not (expansion[0].isupper() or expansion[0].isdigit())
        or _ASIDE_WORDS.match(expansion)
        or _starts_with_name(expansion, name)
        or "`" in expansion
        or "[" in expansion
    ):
        return ""
    return f"{expansion} ({name}){rest[match.end() :]}"


def description(markdown: str, *, title: str) -> str:
    """A description in the awesome style: not repeating the name, capitalised, punctuated."""
    markdown = balance_quotes(collapse_repeats(markdown.strip()))
    if not markdown:
        return ""
    markdown = punctuation.from_ascii_end(markdown)
    return punctuate(capitalise(drop_repeated_name(markdown, title)))


def _curly_singles_pair(text: str) -> bool:
    """Do ‘ and ’ pair up once apostrophes (don’t, Vanilla’—) are set aside, as awesome-lint
    sets them aside?"""
    depth = 0
    for index, char in enumerate(text):
        if char == "\u2018":
            depth += 1
        elif char == "\u2019":
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            apostrophe = before.isalnum() and (
                after.isalnum() or not after or after in " .,;:!?()[]{}\"'—–\u201c\u201d"
            )
            if apostrophe:
                continue
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def balance_quotes(text: str) -> str:
    """awesome-lint wants quotes in pairs: a stray curly quote becomes a straight one, a stray
    straight double quote (``12" screen``) a double prime."""
    if "\u2018" in text and not _curly_singles_pair(text):
        text = text.replace("\u2018", "'").replace("\u2019", "'")
    if text.count("\u201c") != text.count("\u201d"):
        text = text.replace("\u201c", '"').replace("\u201d", '"')
    # Without a straight double quote there is nothing to count (most descriptions).
    if '"' in text and _CODE_OR_LINK_TARGET.sub("", text).count('"') % 2:
        index = text.rfind('"')
        text = text[:index] + "\u2033" + text[index + 1 :]
    return text


def collapse_repeats(text: str) -> str:
    """``!!`` or ``??`` is one mark too many for awesome-lint (dots stay: ``...`` is fine)."""
    if not _REPEATED.search(text):
        return text
    out: list[str] = []
    for char in text:
        if out and char == out[-1] and char in _REPEATABLE:
            continue
        out.append(char)
    return "".join(out)


def heading(title: str) -> str:
    """A section heading without trailing punctuation (``Tools:`` → ``Tools``)."""
    title = " ".join(title.split())
    while title and title[-1] in _HEADING_PUNCTUATION + "…":
        title = title[:-1].rstrip()
    return title


def title_case(title: str) -> str:
    """The list's main heading as awesome-lint wants it (``awesome-selfhosted`` → ``Awesome
    Selfhosted``)."""
    title = " ".join(_INNER_DASH.sub(" ", title).split())
    letters = [char for char in title if char.isalpha()]
    shouting = len(letters) > 3 and all(char.isupper() for char in letters)
    # Every word capitalised is what awesome-lint's "capital" case accepts without exception
    # (its title case has rules about small words after colons that are easy to miss).
    words = [word.capitalize() if shouting else word for word in title.split()]
    return " ".join(_upper_first(word) if word[:1].isalpha() else word for word in words)
