"""Import of small hand-written lists, one corpus quirk each."""

from __future__ import annotations

from textwrap import dedent

import pytest

from catalog.markdown.document import EntryDoc, ExtraLinkDoc, ListDoc, iter_sections
from catalog.markdown.links import account
from catalog.markdown.parse import parse_readme
from catalog.markdown.render import render_readme
from catalog.markdown.report import BACK_TO_TOP, BADGE, TOC_ANCHOR


def parse(text: str) -> ListDoc:
    """Parse, and check on the way that no link of the source went missing."""
    text = dedent(text).lstrip("\n")
    doc, report = parse_readme(text)
    assert not account(text, doc, report).missing
    return doc


def entries_of(doc: ListDoc, *path: str) -> tuple[EntryDoc, ...]:
    for found, section in iter_sections(doc.sections):
        if found == path:
            return section.entries
    raise AssertionError(f"no section {path}: {[p for p, _ in iter_sections(doc.sections)]}")


def section_paths(doc: ListDoc) -> list[tuple[str, ...]]:
    return [path for path, _ in iter_sections(doc.sections)]


def test_awesome_style_list() -> None:
    doc = parse(
        """
        # Awesome Things [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

        > A curated list of things.

        ## Contents

        - [Tools](#tools)

        ## Tools

        - [Foo](https://foo.example) - A foo tool.
        - [Bar](https://bar.example) - Bars things.

        ## Contributing

        Contributions welcome! Read the [contribution guidelines](contributing.md) first.
        """
    )
    assert doc.title == "Awesome Things"
    assert doc.tagline == "A curated list of things."
    assert section_paths(doc) == [("Tools",)]
    assert entries_of(doc, "Tools") == (
        EntryDoc("Foo", "https://foo.example", "A foo tool."),
        EntryDoc("Bar", "https://bar.example", "Bars things."),
    )
    assert [block.title for block in doc.footer] == ["Contributing"]
    assert doc.footer[0].body == ""  # the pointer to contributing.md is generated


@pytest.mark.parametrize("separator", [" - ", " – ", " — ", ": ", " -> ", " "])
def test_separators_are_normalised(separator: str) -> None:
    doc = parse(f"# L\n\n## S\n\n- [Foo](https://foo.example){separator}does foo\n")
    assert entries_of(doc, "S")[0].description == "Does foo."


def test_bom_is_stripped_and_reported() -> None:
    doc, report = parse_readme("\ufeff# Awesome Bom\n\n## S\n\n- [A](https://a.example)\n")
    assert doc.title == "Awesome Bom"
    assert report.repair_counts()["BOM stripped"] == 1


def test_windows_1252_and_mac_roman_mojibake_are_repaired() -> None:
    good = "Café — it’s naïve"
    cp1252 = good.encode("utf-8").decode("cp1252")
    mac = good.encode("utf-8").decode("mac_roman")
    text = f"# L\n\n## S\n\n- [A](https://a.example) - {cp1252}\n- [B](https://b.example) - {mac}\n"
    doc, report = parse_readme(text)
    assert [entry.description for entry in entries_of(doc, "S")] == [good + "."] * 2
    assert [repair.line for repair in report.repairs if "mojibake" in repair.kind] == [5, 6]


def test_tab_indents_and_unlinked_grouping_items_become_subsections() -> None:
    doc = parse(
        "# L\n\n## Platforms\n\n"
        "- [Node.js](https://node.example) - Runtime.\n"
        "- Linux\n\t- [Containers](https://containers.example)\n"
        "- macOS - Apple's system.\n\t- [Apps](https://apps.example)\n"
    )
    assert section_paths(doc) == [("Platforms",), ("Platforms", "Linux"), ("Platforms", "macOS")]
    assert entries_of(doc, "Platforms", "Linux")[0].url == "https://containers.example"
    mac = doc.sections[0].children[1]
    assert mac.description == "Apple's system."


def test_numbered_list_with_repeated_numbers_is_read_in_order() -> None:
    doc, report = parse_readme(
        "# L\n\n## Books\n\n1. [A](https://a.example)\n2. [B](https://b.example)\n"
        "2. [C](https://c.example)\n13. [D](https://d.example)\n"
    )
    assert [entry.title for entry in entries_of(doc, "Books")] == ["A", "B", "C", "D"]
    assert report.repair_counts()["numbered list read as entries"] == 1
    assert "1. " not in render_readme(doc)  # exported as a bullet list


def test_bold_pseudo_headings_become_sections() -> None:
    doc = parse(
        """
        # L

        ## Projects

        **Web**

        ### Frameworks

        - [Flask](https://flask.example) - Micro framework.

        ## Tools

        **Editors**

        - [Vim](https://vim.example) - An editor.
        """
    )
    assert section_paths(doc) == [
        ("Projects",),
        ("Projects", "Web"),
        ("Projects", "Web", "Frameworks"),
        ("Tools",),
        ("Tools", "Editors"),
    ]


def test_inconsistent_heading_levels_nest_sensibly() -> None:
    doc = parse(
        """
        # L

        ## Languages

        #### Python

        - [A](https://a.example)

        # Minimizers

        - [B](https://b.example)

        ## Other
        """
    )
    assert section_paths(doc) == [
        ("Languages",),
        ("Languages", "Python"),
        ("Minimizers",),
        ("Minimizers", "Other"),
    ]


def test_several_h1s_and_h1_as_a_link() -> None:
    doc = parse(
        """
        # [Awesome Python](https://python.example/)

        An opinionated guide.

        # Resources

        - [A](https://a.example)

        # Contributing

        Send a pull request.
        """
    )
    assert doc.title == "Awesome Python"
    assert doc.tagline == "An opinionated guide."
    assert "https://python.example/" in doc.intro  # the title's link is kept
    assert section_paths(doc) == [("Resources",)]
    assert doc.footer[0].body == "Send a pull request."


def test_ascii_art_before_the_h1_is_intro_and_title_still_found() -> None:
    doc = parse(
        "```\n  _  _\n |_||_|\n```\n\n# Awesome Shell\n\n## S\n\n- [A](https://a.example)\n"
    )
    assert doc.title == "Awesome Shell"
    assert doc.intro.startswith("```")


def test_title_hidden_in_html() -> None:
    doc = parse(
        '<div align="center">\n<img src="logo.svg" alt="Awesome">\n</div>\n\n'
        "## Contents\n\n- [S](#s)\n\n## S\n\n- [A](https://a.example)\n"
    )
    assert doc.title == "Awesome"


def test_tables_used_as_lists_become_entries() -> None:
    doc = parse(
        """
        # L

        ## Reading

        | Link | Preview |
        | --- | --- |
        | [What is it](https://a.example/what) | _An essay about it_ |
        | [Why](https://a.example/why) | A talk |
        """
    )
    assert [(e.title, e.description) for e in entries_of(doc, "Reading")] == [
        ("What is it", "*An essay about it*."),
        ("Why", "A talk."),
    ]


def test_decoration_html_anchors_doctoc_back_to_top_and_toc_are_set_aside() -> None:
    text = dedent(
        """
        # L

        <!-- START doctoc generated TOC please keep comment here to allow auto update -->
        - [Tools](#tools)
        - [Books](#books)
        <!-- END doctoc -->
        <!--lint disable awesome-toc-->

        <a name="tools"></a>
        ## Tools

        - [A](https://a.example)

        **[⬆ back to top](#contents)**

        ## Books

        - [B](https://b.example)
        """
    ).lstrip()
    doc, report = parse_readme(text)
    assert section_paths(doc) == [("Tools",), ("Books",)]
    assert doc.intro == ""
    assert doc.sections[0].description == ""
    reasons = {item.url: item.reason for item in report.set_aside}
    assert reasons == {"#tools": TOC_ANCHOR, "#books": TOC_ANCHOR, "#contents": BACK_TO_TOP}


def test_badges_between_link_and_description_and_at_the_end_are_set_aside() -> None:
    text = (
        "# L\n\n## S\n\n"
        "- [X](https://x.example) ![stars](https://img.shields.io/github/stars/x/x) - Does x.\n"
        "- [Y](https://y.example) - Does y. [![build](https://ci.example/y.svg)](https://ci.example/y)\n"
    )
    doc, report = parse_readme(text)
    assert [e.description for e in entries_of(doc, "S")] == ["Does x.", "Does y."]
    assert {item.url for item in report.set_aside if item.reason == BADGE} == {
        "https://img.shields.io/github/stars/x/x",
        "https://ci.example/y.svg",
        "https://ci.example/y",
    }


def test_reference_style_links_are_resolved() -> None:
    doc = parse(
        "# L\n\n## S\n\n- [zsh][zsh-link] - A shell.\n- [fish] - Another.\n\n"
        "[zsh-link]: https://zsh.example\n[fish]: https://fish.example\n"
    )
    assert [e.url for e in entries_of(doc, "S")] == ["https://zsh.example", "https://fish.example"]


def test_deprecated_and_warning_markers() -> None:
    # awesome-selfhosted's item format: marker after the title, links and tags at the end.
    cloud_item = (
        "- [Cloud](https://cloud.example) `⚠` - Needs a cloud. "
        "([Demo](https://d.example), [Source Code](https://s.example)) `MIT` `Go`"
    )
    doc = parse(
        "# L\n\n## S\n\n"
        "- [Old](https://old.example) - An old tool. **[Deprecated]**\n"
        f"{cloud_item}\n\n"
        "## Anti-features\n\n"
        "- `⚠ ` - Depends on a proprietary service outside the user's control\n"
    )
    old, cloud = entries_of(doc, "S")
    assert old.markers == ("**[Deprecated]**",)
    assert old.description == "An old tool."
    assert cloud == EntryDoc(
        title="Cloud",
        url="https://cloud.example",
        description="Needs a cloud.",
        extra_links=(
            ExtraLinkDoc("Demo", "https://d.example"),
            ExtraLinkDoc("Source Code", "https://s.example"),
        ),
        markers=("⚠",),
        tags=("MIT", "Go"),
    )
    assert section_paths(doc) == [("S",)]  # the legend is not a section
    legend = {marker.symbol: marker for marker in doc.markers}
    assert legend["⚠"].label == "Depends on a proprietary service outside the user's control."
    assert legend["⚠"].slug == "warning-sign"
    assert legend["**[Deprecated]**"].slug == "deprecated"


def test_entries_without_url_and_secondary_links() -> None:
    doc = parse(
        """
        # L

        ## Community

        - IRC - #django on Libera.
        - [Django News](https://news.example) - A newsletter. ([YouTube Channel](https://yt.example))
        - [owner/repo](https://github.com/o/r) [[crate](https://crates.io/crates/repo)] - A crate.
        - Forums: [one](https://one.example), [two](https://two.example)
        """
    )
    irc, news, crate, forums = entries_of(doc, "Community")
    assert (irc.title, irc.url, irc.description) == ("IRC", "", "#django on Libera.")
    assert news.extra_links == (ExtraLinkDoc("YouTube Channel", "https://yt.example"),)
    assert crate.extra_links == (ExtraLinkDoc("crate", "https://crates.io/crates/repo"),)
    assert forums.title == "Forums"
    assert [link.url for link in forums.extra_links] == [
        "https://one.example",
        "https://two.example",
    ]


def test_nested_items_under_an_entry() -> None:
    doc = parse(
        """
        # L

        ## S

        - [Node.js](https://node.example) - Runtime.
          - [Cross-Platform](https://cross.example) - Portable code.
          - https://mirror.example/node
        """
    )
    node, cross = entries_of(doc, "S")
    assert node.extra_links == (ExtraLinkDoc("mirror.example", "https://mirror.example/node"),)
    assert cross.title == "Cross-Platform"


def test_duplicates_become_one_entry_and_are_reported_with_both_locations() -> None:
    # The same URL twice in one section; in another section it is a placement
    # (tests/catalog/markdown/test_placements.py).
    text = (
        "# L\n\n## A\n\n- [X](https://x.example/) - First.\n"
        "- [Y](https://y.example/) - Other.\n"
        "- [X again](http://www.x.example) - Second, see [docs](https://docs.example).\n"
    )
    doc, report = parse_readme(text)
    first, other = entries_of(doc, "A")
    assert other.title == "Y"
    assert [link.url for link in first.extra_links] == ["https://docs.example"]
    (dup,) = report.duplicates
    assert (dup.first.line, dup.first.path, dup.second.line, dup.second.path) == (
        5,
        ("A",),
        7,
        ("A",),
    )
    assert not report.placements
    assert "first  line 5: A" in report.format()
    assert not account(text, doc, report).missing


def test_prose_link_repeating_an_entry_is_unlinked_and_reported() -> None:
    text = "# L\n\nSee [X](https://x.example).\n\n## S\n\n- [X](https://x.example) - Tool.\n"
    doc, report = parse_readme(text)
    assert doc.tagline == "See X."
    assert [dup.what for dup in report.duplicates] == ["prose link unlinked"]


def test_contents_heading_with_real_sections_under_it() -> None:
    doc = parse(
        "# L\n\n## Table of Contents\n\n* **[Books](#books)**\n\n* **[Tools](#tools)**\n\n"
        "### Books\n\n- [A](https://a.example)\n\n### Tools\n\n- [B](https://b.example)\n"
    )
    assert section_paths(doc) == [("Books",), ("Tools",)]


def test_footer_blocks_and_licence() -> None:
    doc = parse(
        """
        # L

        ## S

        - [A](https://a.example)

        ## License

        [![CC0](https://i.example/cc0.png)](https://creativecommons.org/publicdomain/zero/1.0/)

        ## Code of Conduct

        Be nice.
        """
    )
    assert [block.title for block in doc.footer] == ["Code of Conduct", "Contributing", "License"]
    assert doc.license == "CC0-1.0"


def test_headings_lose_trailing_punctuation_and_keep_their_links() -> None:
    doc = parse(
        "# L\n\n## Tools:\n\n- [A](https://a.example)\n\n## New: [Guide](https://g.example)\n"
    )
    assert [section.title for section in doc.sections] == ["Tools", "New: Guide"]
    assert doc.sections[1].description == "[Guide](https://g.example)"


def test_repeated_item_name_and_casing_in_descriptions() -> None:
    doc = parse(
        "# L\n\n## S\n\n- [glg](https://glg.example) - glg is simple and fast\n"
        "- [FSM](https://fsm.example) - FSM for Go\n"
        "- [has](https://has.example) - `has` helps you\n"
    )
    assert [e.description for e in entries_of(doc, "S")] == [
        "It is simple and fast.",
        "The FSM for Go.",
        "It helps you.",
    ]


def test_empty_input_and_no_list_are_reported() -> None:
    _, report = parse_readme("# Just a title\n\nSome words.\n")
    assert report.not_understood
    assert "no list" in report.not_understood[0].reason


def stable(doc: ListDoc) -> bool:
    """render → parse → render gives the same bytes (issue 17)."""
    readme = render_readme(doc)
    return render_readme(parse_readme(readme)[0]) == readme


def test_a_title_link_alone_before_the_list_is_the_tagline() -> None:
    # Written as the intro's first paragraph, a re-import took it for the tagline.
    doc = parse(
        """
        # [Awesome Tea](https://tea.example/)

        ## Brewing

        - [Kettle](https://kettle.example/) - Boils.
        """
    )
    assert doc.tagline == "[Awesome Tea](https://tea.example/)"
    assert doc.intro == ""
    assert stable(doc)


def test_a_bare_url_heading_is_linked_once_under_it() -> None:
    # The heading keeps showing the bare URL (escaped as ``Foo\_(bar)``, which ends it early):
    # a re-import added its link under the heading a second time.
    doc = parse(
        """
        # Awesome Tea

        ## https://tea.example/wiki/Foo_(bar)

        - [Kettle](https://kettle.example/) - Boils.
        """
    )
    section = doc.sections[0]
    assert section.description.count("https://tea.example/wiki/Foo_(bar)") == 1
    again, _ = parse_readme(render_readme(doc))
    assert again.sections[0].description == section.description
    assert stable(doc)


def test_the_contents_of_a_heading_without_letters_is_no_marker_legend() -> None:
    # "## –" has an empty anchor: "- [–](#)" under Contents was read as a legend of "–".
    doc = parse(
        """
        # Awesome Tea

        ## –
        """
    )
    readme = render_readme(doc)
    assert "- [–](#)" in readme
    again, _ = parse_readme(readme)
    assert again.markers == ()
    assert [section.title for section in again.sections] == ["–"]
    assert stable(doc)


def test_a_symbol_titled_entry_with_links_is_no_legend_line() -> None:
    # "- \[$\]( - ([…](…))." alone in a section was read as a legend of "[$](", and its
    # link was lost.
    doc = parse(
        """
        # Awesome Tea

        ## Brewing

        - \\[$\\]( - ([https://tea.example/](https://tea.example/)).
        """
    )
    assert doc.markers == ()
    (entry,) = doc.sections[0].entries
    assert [link.url for link in entry.extra_links] == ["https://tea.example/"]
    assert stable(doc)


def test_a_heading_url_shown_as_code_under_it_is_not_linked_again() -> None:
    # The tagline links the URL first; under the heading the duplicate is shown as code, which
    # a re-import did not count as the heading's link written.
    doc = parse(
        """
        # Awesome Tea

        > https://tea.example/

        ## https://tea.example/
        """
    )
    readme = render_readme(doc)
    # The heading's own URL is written "https\:" (no link of its own, see render._heading_text).
    assert "## https\\://tea.example/\n\n`https://tea.example/`\n\n## Contributing" in readme
    again, _ = parse_readme(readme)
    assert again.sections[0].description == "`https://tea.example/`"
    assert stable(doc)


def test_raw_html_alone_before_the_list_shown_as_text_is_the_tagline() -> None:
    # Shown as text (safety), the HTML block became a paragraph: a re-import took it for the
    # tagline.
    doc, _ = parse_readme("# Awesome Tea\n\n<img onerror=alert(1)>\n\n## S\n")
    assert (doc.tagline, doc.intro) == ("\\<img onerror=alert(1)>", "")
    assert stable(doc)


def test_blocks_of_a_list_item_without_text_are_read_as_at_the_section_top() -> None:
    # Kept as prose, "- # Name" became a heading (a section on the next import), a nested
    # list became entries and a <details> a group only on the next import (issue 17).
    text = (
        "# A\n\n## S\n\n- # Name\n- > A quote.\n  - [T](https://t.example) - D.\n"
        "- <details><summary>More</summary>\n"
    )
    doc, _ = parse_readme(text)
    (section,) = doc.sections
    assert section.description == "Name\n\n> A quote."
    assert [entry.url for entry in section.entries] == ["https://t.example"]
    assert [child.title for child in section.children] == ["More"]
    readme = render_readme(doc)
    again, _ = parse_readme(readme)
    assert render_readme(again) == readme


def test_html_in_a_detail_sub_item_is_read_as_in_the_entry_line() -> None:
    # "  - <b>bold</b>" joined the entry above as raw HTML; written on the entry's line, the
    # next import read it as **bold** (issue 17).
    doc, _ = parse_readme("# A\n\n## S\n\n- [T](https://t.example) - D.\n  - <b>bold</b>\n")
    (entry,) = doc.sections[0].entries
    assert "<b>" not in entry.description
    assert "**bold**" in entry.description
    readme = render_readme(doc)
    assert render_readme(parse_readme(readme)[0]) == readme


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Text after a <summary>, then a table's delimiter row: a table on the next import.
        ("## S\n\n<details><summary>More</summary>A\n|||\n|---|---\n", "A\n|||\n\\|---|---"),
        # A group's description opening with "+ ": a list under its heading next time.
        ("## S\n\n- Group - + A\n  - [T](https://t.example)\n", "\\+ A."),
    ],
)
def test_kept_text_starts_no_block_on_the_next_import(text, expected) -> None:
    doc, _ = parse_readme("# A\n\n" + text)
    assert [section.description for _, section in iter_sections(doc.sections)][-1] == expected
    readme = render_readme(doc)
    assert render_readme(parse_readme(readme)[0]) == readme


def test_the_tagline_made_of_shown_html_may_follow_an_empty_quote() -> None:
    # ">" then "<script>": shown as text, the script is the first paragraph, which the next
    # import reads as the tagline (issue 17).
    doc, _ = parse_readme(">\n<script>alert(1)</script>\n\n## S\n\n- [T](https://t.example)\n")
    assert doc.tagline == "\\<script>alert(1)\\</script>"
    readme = render_readme(doc)
    assert render_readme(parse_readme(readme)[0]) == readme


def test_a_symbol_without_a_meaning_is_an_entry_not_a_legend() -> None:
    # An entry ">" without a link or description (a table cell "[>](127.0.0.1)", its link
    # refused) is written "- \\>"; the next import read its section as a legend (issue 17).
    from catalog.markdown.document import SectionDoc

    for entries, lines in (
        ((EntryDoc(">", "", ""),), "\n- \\>\n"),
        ((EntryDoc("?", "", "A."), EntryDoc("[–", "", "B.")), "\n- ? - A.\n- \\[– - B.\n"),
    ):
        doc = ListDoc(title="A", sections=(SectionDoc("Tool", "tool", entries=entries),))
        readme = render_readme(doc)
        assert lines in readme
        again, _ = parse_readme(readme)
        assert again.markers == ()
        assert [entry.title for entry in again.sections[0].entries] == [e.title for e in entries]
        assert lines in render_readme(again)
    # A legend under another heading is still one: symbols, each with its meaning.
    legend, _ = parse_readme(
        "# A\n\n## Signs\n\n- ⚠ - Proprietary.\n\n## S\n\n- [T](https://t.example)\n"
    )
    assert [marker.symbol for marker in legend.markers] == ["⚠"]


def test_a_table_inside_a_details_group_is_read_as_entries() -> None:
    # Kept as prose under the group, the table was read as entries only on the next import.
    doc, _ = parse_readme(
        "# A\n\n## S\n\n<details><summary>More</summary>\n\n| Name | Description |\n"
        "| --- | --- |\n| [T](https://t.example) | D. |\n\n</details>\n"
    )
    (group,) = doc.sections[0].children
    assert [entry.url for entry in group.entries] == ["https://t.example"]
    readme = render_readme(doc)
    assert render_readme(parse_readme(readme)[0]) == readme


def test_a_description_of_only_a_link_ending_with_a_colon_is_an_extra_link() -> None:
    # "- T - [x](…):" kept the link as the description; written "[x](…)." (the export's full
    # stop), the next import read it as an extra link (issue 17).
    doc, _ = parse_readme("# A\n\n## S\n\n- T - [Guide](https://g.example):\n")
    (entry,) = doc.sections[0].entries
    assert [link.url for link in entry.extra_links] == ["https://g.example"]
    readme = render_readme(doc)
    assert render_readme(parse_readme(readme)[0]) == readme
