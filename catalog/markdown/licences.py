"""Which licence a list's License section states, as an SPDX identifier where it is clear."""

from __future__ import annotations

import re

_LICENCES = (
    (re.compile(r"\bCC0\b|publicdomain/zero|public domain dedication", re.I), "CC0-1.0"),
    (
        re.compile(r"by-sa/4\.0|CC[- ]BY[- ]SA[- ]4\.0|Attribution-ShareAlike 4\.0", re.I),
        "CC-BY-SA-4.0",
    ),
    (
        re.compile(r"by-sa/3\.0|CC[- ]BY[- ]SA[- ]3\.0|Attribution-ShareAlike 3\.0", re.I),
        "CC-BY-SA-3.0",
    ),
    (re.compile(r"licenses/by/4\.0|CC[- ]BY[- ]4\.0|Attribution 4\.0", re.I), "CC-BY-4.0"),
    (re.compile(r"\bMIT\b"), "MIT"),
    (re.compile(r"Apache(?: License)?,? (?:Version )?2\.0", re.I), "Apache-2.0"),
)


def is_licence_title(title: str) -> bool:
    """awesome-lint forbids exactly these headings in a README; their text goes to license.md."""
    return title.strip().lower() in ("license", "licence")


def detect_licence(text: str) -> str:
    for pattern, spdx in _LICENCES:
        if pattern.search(text):
            return spdx
    return ""
