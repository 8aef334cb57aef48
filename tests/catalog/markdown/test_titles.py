"""The title of issue 12: an advert H1 before the real title, a name that is only an image's
alt text, a first section that holds the tagline and the contents. Each invented sample
imports without losing a link, round-trips byte for byte and exports lint-clean (one
awesome-lint call for the module, with the other samples of this task: test_shapes2_lint)."""

from __future__ import annotations

from catalog.markdown.report import BADGE, TOC_ANCHOR
from tests.catalog.markdown.shapes import entry, imported

BANNER = """\
# [![Sponsor](https://sponsor.example/banner.png)](https://sponsor.example/)

# Awesome Kettles [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

> Kettles worth boiling water in.

## Electric

- [Pour Over Kettle](https://pour.example/) - Pours a thin steady stream.
"""

PROMO = """\
# Get 20% off kettles this week!

# Awesome Kettles

## About

Kettles worth boiling water in.

- [Electric](#electric)
- [Stove](#stove)

## Electric

- [Pour Over Kettle](https://pour.example/) - Pours a thin steady stream.

## Stove

- [Whistler](https://whistle.example/) - Whistles when it boils.
"""

ALT_MARKDOWN = """\
# ![Awesome Kettles](https://kettles.example/logo.svg)

> Kettles worth boiling water in.

## Electric

- [Pour Over Kettle](https://pour.example/) - Pours a thin steady stream.
"""

ALT_HTML = """\
<h1 align="center"><img alt="Awesome Kettles" src="https://kettles.example/logo.svg"></h1>

> Kettles worth boiling water in.

## Electric

- [Pour Over Kettle](https://pour.example/) - Pours a thin steady stream.
"""

H1_SECTIONS = """\
# Awesome Kettles

> Kettles worth boiling water in.

# Electric

- [Pour Over Kettle](https://pour.example/) - Pours a thin steady stream.

# Stove

- [Whistler](https://whistle.example/) - Whistles when it boils.
"""

SAMPLES = {
    "title-banner": BANNER,
    "title-promo": PROMO,
    "title-alt-markdown": ALT_MARKDOWN,
    "title-alt-html": ALT_HTML,
}


def _aside(report, reason):  # type: ignore[no-untyped-def]
    return {item.url for item in report.set_aside if item.reason == reason}


def test_a_sponsor_banner_before_the_title_is_decoration() -> None:
    doc, report, files = imported(BANNER)
    assert doc.title == "Awesome Kettles"
    assert doc.tagline == "Kettles worth boiling water in."
    assert doc.intro == ""
    assert {"https://sponsor.example/banner.png", "https://sponsor.example/"} <= _aside(
        report, BADGE
    )
    assert files["README.md"].startswith("# Awesome Kettles [![Awesome]")
    assert files["README.md"].count("\n# ") == 0  # one H1
    assert "advert heading before the title kept as intro text" in report.repair_counts()
    assert entry(doc, "Pour Over Kettle").url == "https://pour.example/"


def test_a_promo_heading_stays_as_text_and_the_first_section_is_the_intro() -> None:
    doc, report, files = imported(PROMO)
    assert doc.title == "Awesome Kettles"
    # The first section held the tagline and the contents: it is the intro, not a section.
    assert doc.tagline == "Kettles worth boiling water in."
    assert [section.title for section in doc.sections] == ["Electric", "Stove"]
    # The promo's words are kept, below the tagline, not as the list's name.
    assert doc.intro == "Get 20% off kettles this week!"
    assert {"#electric", "#stove"} <= _aside(report, TOC_ANCHOR)
    counts = report.repair_counts()
    assert counts["first section read as the intro"] == 1
    readme = files["README.md"]
    assert readme.startswith(
        "# Awesome Kettles [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
        "> Kettles worth boiling water in.\n\nGet 20% off kettles this week!\n\n## Contents\n"
    )
    assert "## About" not in readme


def test_the_name_may_be_an_image_alt_text() -> None:
    for text in (ALT_MARKDOWN, ALT_HTML):
        doc, report, files = imported(text)
        assert doc.title == "Awesome Kettles", text
        assert doc.intro == ""
        assert "https://kettles.example/logo.svg" in _aside(report, BADGE)
        assert report.repair_counts()["image alt text read as the title"] == 1
        assert files["README.md"].count("<h1") == 0
        assert files["README.md"].startswith("# Awesome Kettles [")


def test_later_h1_sections_keep_the_first_h1_as_the_title() -> None:
    doc, report, _ = imported(H1_SECTIONS)
    assert doc.title == "Awesome Kettles"
    assert [section.title for section in doc.sections] == ["Electric", "Stove"]
    assert "advert heading before the title kept as intro text" not in report.repair_counts()
