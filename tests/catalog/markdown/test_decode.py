"""Input cleaning: BOM, line ends, both kinds of mojibake, unreadable bytes."""

from __future__ import annotations

import pytest

from catalog.markdown.decode import (
    UnreadableInput,
    clean_text,
    decode_bytes,
    repair_line,
    repair_mac_roman,
)
from catalog.markdown.report import ImportReport

GOOD = "Café — it’s naïve über → ⭐"


def test_mac_roman_repair_is_narrow() -> None:
    assert repair_mac_roman(GOOD.encode("utf-8").decode("mac_roman")) == GOOD
    # Real accented text and lone Mac Roman characters are left alone.
    untouched = "Über naïve Café — “quoted” Ä é √ x"
    assert repair_mac_roman(untouched) == untouched


def test_clean_text_reports_each_repair_with_its_line() -> None:
    report = ImportReport()
    text = "\ufeff# T\r\n" + GOOD.encode("utf-8").decode("cp1252", errors="replace") + "\r\nok\r\n"
    cleaned = clean_text(text, report)
    assert cleaned.startswith("# T\nCafé — it’s naïve über")
    kinds = [(repair.kind, repair.line) for repair in report.repairs]
    assert ("BOM stripped", 1) in kinds
    assert ("mojibake repaired", 2) in kinds
    assert "line endings normalised" in report.repair_counts()


def test_clean_text_keeps_correct_text() -> None:
    report = ImportReport()
    assert clean_text(GOOD, report) == GOOD
    assert not report.repairs


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"# Title\n\xff\xfe broken\n", "not valid UTF-8 (first bad byte on line 2)"),
    ],
)
def test_unreadable_input_gets_one_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode_bytes(data)


def test_decode_bytes_accepts_utf8_with_bom() -> None:
    assert decode_bytes("\ufeff# T\n".encode()) == "\ufeff# T\n"


def test_the_repair_is_idempotent() -> None:
    # One ftfy pass left a C1 control ("®¬áå" → "®\x87å") that the next import of the export
    # repaired to "‡" (issue 17): repaired until nothing changes, a repaired line stays.
    for line in ("®¬áå", "¬ò\x97þ", "> 륨¬â\x99"):
        fixed = repair_line(line)
        assert fixed != line
        assert repair_line(fixed) == fixed
