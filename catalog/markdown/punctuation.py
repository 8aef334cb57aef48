"""Full-width (CJK) punctuation: ``：`` ``，`` ``。`` as separators, ``。`` ``！`` ``？`` as the
ends of sentences.

Chinese and Japanese descriptions end with ``。``; awesome-lint 2.3.0 only reads ``. ! ? …`` as an
ending. Rather than glue an ASCII period after the author's ``。`` ("说明。."), the stored
description keeps ``。`` (what the list page shows), and the README writes the one character
awesome-lint reads in its place ("说明."). On import, a ``.`` / ``!`` / ``?`` right after a
full-width character is read back as ``。`` / ``！`` / ``？``, so the round trip is exact; an
unfinished CJK sentence gets ``。``, not ``.``.
"""

from __future__ import annotations

import unicodedata

FULL_WIDTH_ENDS = "。！？"
# Full-width separators between an item's link and its description: "[名称](url)：说明".
SEPARATOR = r"[：，。]\s*"
_TO_ASCII = {"。": ".", "！": "!", "？": "?"}
_TO_FULL = {".": "。", "!": "！", "?": "？"}
# A dangling full-width comma, colon or semicolon at the end becomes a full stop.
DANGLING = "，：；、"
_TRAILING_MARKUP = "*_~"


def is_wide(char: str) -> bool:
    """A character of CJK text (full-width or wide), punctuation included."""
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


def _split_markup(text: str) -> tuple[str, str]:
    core = text.rstrip(_TRAILING_MARKUP)
    return core, text[len(core) :]


def full_stop_for(text: str) -> str:
    """The full stop an unfinished sentence takes: ``。`` after CJK text, ``.`` otherwise."""
    core, _ = _split_markup(text.rstrip())
    return "。" if is_wide(core[-1:]) else "."


def from_ascii_end(text: str) -> str:
    """``说明.`` → ``说明。``: an ASCII end right after a full-width character (how the README
    writes a CJK ending) is read back as the full-width one; ``issue。`` → ``issue.``."""
    core, markup = _split_markup(text)
    if len(core) >= 2 and core[-1] in _TO_ASCII and not is_wide(core[-2]):
        # "… pr 和 issue。": after Latin text the README's "." could not tell it from a period
        # the author typed, so the stored form is the ASCII one too.
        return core[:-1] + _TO_ASCII[core[-1]] + markup
    if len(core) < 2 or core[-1] not in _TO_FULL or not is_wide(core[-2]):
        return text
    if core[-2] in FULL_WIDTH_ENDS or core[-2] in DANGLING:
        return text  # "说明。." is folded by ``fold_glued``
    return core[:-1] + _TO_FULL[core[-1]] + markup


def to_ascii_end(text: str) -> str:
    """``说明。`` → ``说明.`` for awesome-lint, which reads only ASCII sentence ends."""
    core, markup = _split_markup(text)
    if core[-1:] in _TO_ASCII:
        return core[:-1] + _TO_ASCII[core[-1]] + markup
    return text


def fold_glued(text: str) -> str:
    """``说明。.`` (a period glued after ``。`` by an earlier export or by hand) → ``说明。``."""
    core, markup = _split_markup(text)
    if core[-1:] not in _TO_FULL:  # the common case, asked of every description: no regex
        return text
    stem = core.rstrip(".!?")
    if stem[-1:] not in FULL_WIDTH_ENDS:
        return text
    return stem + markup
