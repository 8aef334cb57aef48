"""Heading anchors the way GitHub (and awesome-lint, through github-slugger) compute them."""

from __future__ import annotations

import re
import unicodedata

_KEEP = re.compile(r"[^\w\- ]", re.UNICODE)


def github_slug(text: str) -> str:
    """``Communication - IRC`` → ``communication---irc``; emoji and punctuation vanish."""
    text = text.replace("\ufe0f", "").lower()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "-_ " or category[0] in "LNM" or category == "Pc":
            kept.append(char)
    return "".join(kept).replace(" ", "-")


class Slugger:
    """Unique slugs in order of appearance: the second ``Tools`` is ``tools-1``."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = github_slug(text)
        slug = base
        while slug in self.seen:
            self.seen[base] += 1
            slug = f"{base}-{self.seen[base]}"
        self.seen[slug] = 0
        return slug
