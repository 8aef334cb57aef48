"""From the bytes or text a curator brings to clean Unicode, with every repair reported.

Two mis-decodings are common in old READMEs: UTF-8 read as Windows-1252 (``itâ€™s``) and, from
files that went through a Mac, UTF-8 read as Mac Roman (``it‚Äôs``). ftfy repairs the first
reliably; the second is checked here as well, with a narrow test (a Mac Roman "lead" character
followed by the right number of "continuation" characters that re-encode to valid UTF-8), so
that legitimate accented text is never touched.
"""

from __future__ import annotations

import re

import ftfy
from ftfy import TextFixerConfig

from catalog.markdown.report import ImportReport

BOM = "\ufeff"

# Only the encoding repairs: quotes, ligatures, widths and line breaks stay as the author wrote.
_FTFY = TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)

# Characters that could be mojibake of a UTF-8 lead byte: Latin-1/CP1252 upper half, and the
# Mac Roman characters of bytes 0xC2–0xF4.
_MAC_LEAD = "".join(bytes([b]).decode("mac_roman") for b in range(0xC2, 0xF5))
_MAC_CONT = "".join(bytes([b]).decode("mac_roman") for b in range(0x80, 0xC0))
_MAC_RUNS = tuple(
    re.compile(f"[{re.escape(lead)}][{re.escape(_MAC_CONT)}]{{{count}}}")
    for lead, count in (
        ("".join(bytes([b]).decode("mac_roman") for b in range(0xF0, 0xF5)), 3),
        ("".join(bytes([b]).decode("mac_roman") for b in range(0xE0, 0xF0)), 2),
        ("".join(bytes([b]).decode("mac_roman") for b in range(0xC2, 0xE0)), 1),
    )
)
_SUSPECT = re.compile(
    f"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122{re.escape(_MAC_LEAD)}]"
)


class UnreadableInput(ValueError):
    """The input is not text we can import (binary, not UTF-8, empty …)."""


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) to text, or one clear error."""
    if not data.strip():
        raise UnreadableInput("the file is empty")
    if b"\x00" in data[:8192]:
        raise UnreadableInput("the file looks binary (it contains NUL bytes), not a README")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableInput(
            f"the file is not valid UTF-8 (first bad byte on line {line})"
        ) from error


def clean_text(text: str, report: ImportReport) -> str:
    """Strip a BOM, unify line ends and repair mojibake line by line (reported with lines)."""
    if text.startswith(BOM):
        text = text[len(BOM) :]
        report.repair("BOM stripped", line=1)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        report.repair("line endings normalised")
    if text.isascii():
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.isascii() or not _SUSPECT.search(line):
            continue
        fixed = repair_line(line)
        if fixed != line:
            lines[number - 1] = fixed
            report.repair("mojibake repaired", f"{_excerpt(line)} → {_excerpt(fixed)}", number)
    return "\n".join(lines)


def repair_line(line: str) -> str:
    """The line repaired until nothing more changes: one pass can leave what a second repairs
    (``®¬áå`` → ``®\x87å``, whose C1 control is Windows-1252 ``‡``), and the next import of
    the export would repair it then (the repair must be idempotent)."""
    for _ in range(_MAX_PASSES):
        fixed = repair_mac_roman(ftfy.fix_and_explain(line, _FTFY).text)
        if fixed == line:
            break
        line = fixed
    return line


_MAX_PASSES = 4


def repair_mac_roman(text: str) -> str:
    """Undo UTF-8-read-as-Mac-Roman where the bytes decode cleanly and the result is shorter."""

    def fix(match: re.Match[str]) -> str:
        run = match.group()
        try:
            decoded = run.encode("mac_roman").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run
        return decoded if len(decoded) < len(run) else run

    for pattern in _MAC_RUNS:  # longest sequences first, so ‚Äô is not read as ‚Ä + ô
        text = pattern.sub(fix, text)
    return text


def _excerpt(text: str, width: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= width else text[: width - 1] + "…"
