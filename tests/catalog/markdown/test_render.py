"""Export: the awesome layout, determinism, and import ∘ export = identity."""

from __future__ import annotations

from dataclasses import replace

from catalog.markdown.document import (
    EntryDoc,
    ExtraLinkDoc,
    FooterBlock,
    ListDoc,
    MarkerDef,
    SectionDoc,
)
from catalog.markdown.parse import parse_files, parse_readme
from catalog.markdown.render import entry_line, render_contributing, render_files, render_readme

DOC = ListDoc(
    title="Awesome Example",
    tagline="A curated list of examples.",
    intro="Examples, *good* ones.",
    markers=(
        MarkerDef("⚠", "warning-sign", "Depends on a proprietary service."),
        MarkerDef("**[Deprecated]**", "deprecated", ""),
    ),
    sections=(
        SectionDoc(
            title="Tools",
            slug="tools",
            description="Things that do things.",
            entries=(
                EntryDoc("Foo", "https://foo.example", "Does foo."),
                EntryDoc(
                    "Cloud",
                    "https://cloud.example",
                    "Needs a cloud.",
                    extra_links=(
                        ExtraLinkDoc("Demo", "https://demo.example"),
                        ExtraLinkDoc("Source Code", "https://src.example"),
                    ),
                    markers=("⚠",),
                    tags=("MIT", "Go"),
                ),
                EntryDoc("Old", "https://old.example", "", markers=("**[Deprecated]**",)),
                EntryDoc("A Book - Second Edition", "", "Printed only."),
                EntryDoc(
                    "Mirror only", "", "", extra_links=(ExtraLinkDoc("m", "https://m.example"),)
                ),
            ),
            children=(
                SectionDoc(
                    title="Editors",
                    slug="editors",
                    entries=(EntryDoc("Vim", "https://vim.example", "An editor."),),
                ),
            ),
        ),
    ),
    footer=(
        FooterBlock("Contributing", "Open an issue first."),
        FooterBlock(
            "License", "CC0, see [the deed](https://creativecommons.org/publicdomain/zero/1.0/)."
        ),
    ),
    license="CC0-1.0",
)


def test_readme_layout() -> None:
    readme = render_readme(DOC)
    assert readme.startswith(
        "# Awesome Example [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
        "> A curated list of examples.\n\nExamples, *good* ones.\n\n"
    )
    assert "## Contents\n\n- [Tools](#tools)\n  - [Editors](#editors)\n\n## Tools\n" in readme
    assert "- [Foo](https://foo.example) - Does foo.\n" in readme
    assert (
        "- [Cloud](https://cloud.example) - ⚠ Needs a cloud. "
        "([Demo](https://demo.example), [Source Code](https://src.example)) (`MIT`, `Go`)\n"
    ) in readme
    assert "- [Old](https://old.example) - **\\[Deprecated\\]**\n" in readme
    assert "- A Book \\- Second Edition - Printed only.\n" in readme
    assert "## Contributing\n\nContributions welcome! Read the [contribution guidelines]" in readme
    assert "License" not in readme  # awesome-lint forbids the section
    assert readme.endswith("Open an issue first.\n")


def test_export_is_deterministic() -> None:
    assert render_files(DOC) == render_files(DOC)
    assert render_readme(DOC).encode() == render_readme(replace(DOC)).encode()


def test_files_and_round_trip() -> None:
    files = render_files(DOC)
    assert set(files) == {"README.md", "contributing.md", "license.md"}
    assert files["contributing.md"] == "# Contribution Guidelines\n\nOpen an issue first.\n"
    doc, _ = parse_files(files)
    assert doc == DOC
    assert render_files(doc) == files


def test_readme_alone_round_trips_without_the_licence() -> None:
    doc, _ = parse_readme(render_readme(DOC))
    assert doc == replace(DOC, footer=DOC.footer[:1], license="")


def test_descriptions_are_capitalised_and_punctuated_on_export() -> None:
    entry = EntryDoc("tool", "https://tool.example", "does things, quickly")
    assert entry_line(entry) == "- [tool](https://tool.example) - Does things, quickly."


def test_sections_deeper_than_h6_become_group_items() -> None:
    leaf = SectionDoc("Deep", "deep", entries=(EntryDoc("A", "https://a.example"),))
    section = leaf
    for level in range(6, 1, -1):
        section = SectionDoc(f"Level {level}", f"level-{level}", children=(section,))
    doc = ListDoc(title="Awesome Deep", sections=(section,), footer=(FooterBlock("Contributing"),))
    readme = render_readme(doc)
    assert "###### Level 6\n\n- Deep\n  - [A](https://a.example)\n" in readme
    assert parse_readme(readme)[0] == doc


def test_alphabetical_ordering() -> None:
    section = SectionDoc(
        "S", "s", entries=(EntryDoc("b", "https://b.example"), EntryDoc("A", "https://a.example"))
    )
    doc = ListDoc(title="Awesome Sorted", sections=(section,), ordering="alphabetical")
    readme = render_readme(doc)
    assert readme.index("[A]") < readme.index("[b]")


def test_default_contributing_guidelines() -> None:
    assert "Add one link per pull request" in render_contributing(ListDoc(title="Awesome X"))


def test_title_is_put_in_title_case() -> None:
    assert render_readme(ListDoc(title="awesome-selfhosted")).startswith("# Awesome Selfhosted [")


def test_a_url_in_a_title_without_a_link_stays_text() -> None:
    # The title came from a link's text (its relative link is an extra link): written as is,
    # GFM linked the URL on the next import and the title lost it.
    doc, _ = parse_readme("# A\n\n## S\n\n- [See http://tea.example/ now](tea.example/x) - D.\n")
    (entry,) = doc.sections[0].entries
    assert (entry.title, entry.url) == ("See http://tea.example/ now", "")
    readme = render_readme(doc)
    assert "- See http\\://tea.example/ now - D." in readme
    again, _ = parse_readme(readme)
    assert again.sections[0].entries == doc.sections[0].entries
    assert render_readme(again) == readme


def test_a_link_less_title_keeps_its_colons_and_trailing_dash() -> None:
    # "javascript:\[…" and "(© –" were split at the colon and the dash on re-import.
    for title in ("javascript:[::1]/path", "(© –"):
        doc, _ = parse_readme(f"# A\n\n## S\n\n- [{title}](tea.example/x) - D.\n")
        (entry,) = doc.sections[0].entries
        assert (entry.title, entry.url) == (title, "")
        readme = render_readme(doc)
        again, _ = parse_readme(readme)
        assert again.sections[0].entries == doc.sections[0].entries
        assert render_readme(again) == readme


def _twice(text: str) -> tuple[str, str]:
    """The README of ``text``'s import, and the README of that README's import."""
    readme = render_readme(parse_readme(text)[0])
    return readme, render_readme(parse_readme(readme)[0])


def test_a_description_opening_with_a_url_is_not_capitalised() -> None:
    # "Http://…" is no link to the importer: the next import escaped its "_" (issue 17).
    readme, again = _twice("# A\n\n## S\n\n- [T](https://t.example) - http://a.example/x_y\n")
    assert "- [T](https://t.example) - http://a.example/x_y.\n" in readme
    assert again == readme


def test_a_dash_before_markup_in_a_link_less_title_does_not_split_it() -> None:
    # "library –\](…)": the escape ends a text node, and " –" at its end was a separator.
    readme, again = _twice("# A\n\n## S\n\n- library –](javascript:x)\n")
    assert "- library &ndash;\\](javascript:x)\n" in readme
    assert again == readme


def test_a_url_in_a_heading_is_not_made_its_link() -> None:
    # GFM links the bare URL of "## 1.0 http://…": the next import added it to the text.
    for text in (
        "# -->](https://github.com/a(b)\n",
        "# A\n\n### [1.0 http://example.org/a(b_](example.org/x)\n\n- [T](https://t.example)\n",
    ):
        readme, again = _twice(text)
        assert "http\\://" in readme or "https\\://" in readme
        assert again == readme


def test_capitals_never_make_text_the_importer_repairs_as_mojibake() -> None:
    # "ä²" capitalised is "Ä²", UTF-8 "Ĳ" read as Windows-1252: repaired on every import.
    readme, again = _twice("# ä²Ûy\n\n## S\n\n- [T](https://t.example) - ä² foo\n")
    assert readme.startswith("# ä²Ûy ")
    assert "*ä²* foo." in readme
    assert again == readme


def test_emphasis_after_the_contributing_pointer_stays_its_own_paragraph() -> None:
    # The pointer is dropped on import; as text, a bold line after it was joined to it by a
    # hard break, and the "\" stayed when the pointer was cut off.
    readme, again = _twice("# A\n\n## S\n\n- [T](https://t.example)\n\n## Contributing\n\n*emph*\n")
    doc, _ = parse_readme(readme)
    assert doc.footer[0].body == "*emph*"
    assert again == readme


def test_a_heading_of_hashes_keeps_them() -> None:
    # "## #" is an empty heading (a closing sequence): "Untitled" on the next import.
    readme, again = _twice("# A\n\n## #.\n\n- [T](https://t.example)\n")
    assert "\n## \\#\n" in readme
    assert again == readme


def test_a_description_of_an_item_named_the_gets_one_the() -> None:
    # "[the](…) the": "The the." became "The The the." on every export (issue 17).
    readme, again = _twice("# A\n\n## S\n\n- [the](https://t.example) - the\n")
    assert "- [the](https://t.example) - The.\n" in readme
    assert again == readme


def test_a_full_width_colon_in_a_link_less_title_does_not_split_it() -> None:
    # "名前：説明" splits an item without a link; in a title that came whole (an HTML anchor
    # whose javascript: link was refused) it split it on the next import (issue 17).
    readme, again = _twice('# A\n\n## S\n\n- <a href="javascript:x">ab：cd</a>\n')
    assert "- ab&#xFF1A;cd\n" in readme
    assert again == readme


def test_a_repeated_bare_url_beside_backticks_is_not_made_code() -> None:
    # The second "https://a.example/x" before "`y(`" was written as code, "`…/x``y(`", whose
    # backticks ran together and ate the rest of the line on the next import (issue 17).
    readme, again = _twice(
        "# A\n\n## https://a.example/x\n\n- T - https://a.example/x`y(`MIT`) more\n"
    )
    assert "- T - Https\\://a.example/x`y(`" in readme
    assert again == readme
