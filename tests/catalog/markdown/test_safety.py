"""catalog.markdown.safety: the export writes nothing that runs and nothing that leaves its place,
and changes nothing else. Checked with the trusting renderer of tests/security/inert.py."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.markdown import safety
from catalog.markdown.document import EntryDoc, ExtraLinkDoc, ListDoc, SectionDoc
from catalog.markdown.render import render_readme
from tests.security.inert import readme_active_markup, readme_outline

HARMLESS_INLINE = [
    "Uses [Go](https://go.dev) and `<div>` in *templates*.",
    "Fast <br> and <kbd>Ctrl</kbd>+<kbd>C</kbd> friendly.",
    "Compares a \\< b and 1 < 2 & 3 > 2.",
    "Shows ![logo](https://example.org/logo.png) inline.",
    "Mail <mailto:a@example.org> or see <https://example.org>.",
]
HARMLESS_BLOCKS = [
    '<p align="center"><img src="https://example.org/logo.svg" width="100"></p>',
    "<details>\n<summary>More</summary>\n\n- [A](https://a.example)\n</details>",
    "```js\nalert(1) // code, shown\n```",
    "| a | b |\n| - | - |\n| `<script>` | c |",
    "<!-- a comment that ends -->\nText.",
    "[ref][1]\n\n[1]: https://example.org",
]


@pytest.mark.parametrize("text", HARMLESS_INLINE)
def test_harmless_inline_markdown_is_kept_as_it_is(text):
    assert safety.inline(text) == text


@pytest.mark.parametrize("text", HARMLESS_BLOCKS)
def test_harmless_blocks_are_kept_as_they_are(text):
    assert safety.block(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script> text", "\\<script>alert(1)\\</script> text"),
        ("Progressive <svg> bars.", "Progressive \\<svg> bars."),
        ("[x](javascript:alert(1)) y", "[x]\\(javascript:alert(1)) y"),
        ("[x](&#106;avascript:alert(1))", "[x]\\(&#106;avascript:alert(1))"),
        ("<a href='javascript:alert(1)'>x</a>", "\\<a href='javascript:alert(1)'>x\\</a>"),
        ("<javascript:alert(1)>", "\\<javascript:alert(1)>"),
        ("Unclosed `tick", "Unclosed \\`tick"),
        ("](javascript:alert(1)) after a link", "]\\(javascript:alert(1)) after a link"),
    ],
)
def test_active_inline_markup_loses_only_what_makes_it_active(text, expected):
    assert safety.inline(text) == expected
    assert safety.problems(expected, block=False) == []


@pytest.mark.parametrize(
    "text",
    [
        "<!-- never closed\n\nmore",
        "```\nnever closed",
        "<pre>\nnever closed",
        "[x][evil]\n\n[evil]: javascript:alert(1)",
        "<img src=x onerror=alert(1)>",
        "<style>body { display: none }</style>",
    ],
)
def test_active_or_open_blocks_are_made_inert_and_closed(text):
    safe = safety.block(text)
    assert safe != text
    assert safety.problems(safe, block=True) == []
    assert safety.block(safe) == safe  # idempotent: the import of an export is stable


def test_unsafe_urls_are_dropped_and_line_breaks_joined():
    doc = safety.document(
        ListDoc(
            title="T",
            sections=(
                SectionDoc(
                    title="Tools\n# Injected",
                    slug="tools",
                    entries=(
                        EntryDoc(
                            title="A\n- [b](https://b.example)",
                            url=" JaVa\tScRiPt:alert(1)",
                            description="One\n\n# Two",
                            extra_links=(
                                ExtraLinkDoc("Demo", "data:text/html,hi"),
                                ExtraLinkDoc("Docs", "https://docs.example/\n# x"),
                            ),
                            tags=("MIT\n# x",),
                        ),
                    ),
                ),
            ),
        )
    )
    (section,) = doc.sections
    (entry,) = section.entries
    assert section.title == "Tools # Injected"
    assert (entry.title, entry.url, entry.description) == (
        "A - [b](https://b.example)",
        "",
        "One # Two",
    )
    assert entry.extra_links == (ExtraLinkDoc("Docs", "https://docs.example/# x"),)
    assert entry.tags == ("MIT # x",)


def test_a_description_cannot_team_up_with_the_tags_after_it():
    """Each field alone is harmless; written on one line, an unmatched quote or backtick of the
    description would pair with the tag's and make raw HTML of it."""
    for description, tag in [
        ("<img src=x alt='", "' onerror=alert(1)>"),
        ("Unclosed `tick", "<script>alert(1)</script>"),
    ]:
        readme = render_readme(
            ListDoc(
                title="T",
                sections=(
                    SectionDoc(
                        title="S",
                        slug="s",
                        entries=(EntryDoc("Tool", "https://t.example", description, tags=(tag,)),),
                    ),
                ),
            )
        )
        assert readme_active_markup(readme) == [], readme


@pytest.mark.parametrize("url", ["https://t.example/x\\", "https://t.example/a\x01b"])
def test_a_url_cannot_end_its_link_early(url):
    """A backslash would escape the link's ")", a control character end its destination: the
    entry would lose its link and leave its "[" open for what follows."""
    section = SectionDoc(title="S", slug="s", entries=(EntryDoc("Tool", url, "Text."),))
    outline = readme_outline(render_readme(ListDoc(title="T", sections=(section,))))
    (item,) = outline.items_linking("https://t.example/")
    assert item.text.startswith("Tool - Text.")


PIECES = [
    "<",
    ">",
    "img",
    " src=x",
    " onerror=alert(1)",
    "script",
    "/",
    "`",
    "``",
    "[",
    "]",
    "](",
    ")",
    "javascript:",
    "&#106;",
    "avascript:alert(1)",
    "'",
    '"',
    "<!--",
    "-->",
    "\n",
    "# ",
    "- ",
    "|",
    "*",
    "\\",
    "a",
    " ",
]


def test_random_combinations_of_tricky_pieces_stay_inert_and_in_place():
    """Fuzzing the fields that go onto an entry's line, with a fixed seed."""
    rng = random.Random(20261122)

    def fragment() -> str:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))

    for round_ in range(300):
        entries = tuple(
            EntryDoc(
                title=fragment() or "t",
                url=f"https://fuzz.example/{round_}/{n}",
                description=fragment(),
                extra_links=(ExtraLinkDoc(fragment() or "l", f"https://x.example/{n}"),),
                tags=(fragment().strip() or "t",),
            )
            for n in range(3)
        )
        doc = ListDoc(
            title="Fuzz",
            tagline=fragment(),
            sections=(SectionDoc(title=fragment() or "s", slug="s", entries=entries),),
        )
        readme = render_readme(doc)
        assert readme_active_markup(readme) == [], readme
        outline = readme_outline(readme)
        linked = outline.items_linking("https://fuzz.example/")
        assert [item.hrefs[0] for item in linked] == [entry.url for entry in entries], readme
        assert all(item.depth == 0 for item in linked), readme


def test_a_raw_heading_in_a_description_is_shown_as_text_not_made_a_heading():
    from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc
    from catalog.markdown.parse import parse_readme
    from catalog.markdown.render import render_readme

    entry = EntryDoc(title="T", url="https://a.example/", description="Nice <h2>Owned</h2> tool.")
    doc = ListDoc(
        title="Awesome X",
        sections=(SectionDoc(title="S", slug="s", description="", entries=(entry,)),),
    )
    readme = render_readme(doc)
    assert "- [T](https://a.example/) - Nice \\<h2>Owned\\</h2> tool." in readme
    again, _ = parse_readme(readme)
    assert [section.title for section in again.sections] == ["S"]
    assert render_readme(again).count("Owned") == 1


# Pieces that make links, images, references, HTML, escapes, entities and fences, safe or not.
_PIECES = [
    "[", "]", "(", ")", "](", "![", "https://a.example/x", "HTTP://b.example", "#top", "#",
    "javascript:alert(1)", "data:text/html,x", " ", "\n", "\n\n", "\\", "&#106;", "&amp;",
    ":", "]:", "*", "`", "```", "~~~", "<", ">", "<script>", "a", "Text.", '"t"', "- ", "# ",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
@settings(max_examples=2000, deadline=None)
def test_a_block_taken_as_inert_without_parsing_has_no_problems(markdown):
    # safety.block skips the parse for text it can see is inert; the parse must agree.
    if safety._plainly_inert_block(markdown):
        assert safety.problems(markdown, block=True) == []


@pytest.mark.parametrize(
    "markdown",
    [
        "[a](javascript:alert(1))",
        "[a]( javascript:alert(1))",
        "[a](<javascript:alert(1)>)",
        "![a](data:text/html,x)",
        "[a][r]\n\n[r]: javascript:alert(1)",
        "```\nleft open",
        "<script>alert(1)</script>",
    ],
)
def test_a_block_with_a_dangerous_destination_is_not_taken_as_inert(markdown):
    assert not safety._plainly_inert_block(markdown)
    assert safety.problems(markdown, block=True)
    assert safety.block(markdown) != markdown


@pytest.mark.parametrize(
    "text",
    [
        "<!--Tool\n## Heading",
        "<!-- note\n| a | b |\n| --- | --- |\n| [T](https://t.example) | d |",
        "<!--\n- [T](https://t.example) - D.",
    ],
)
def test_blocks_an_html_block_held_stay_text_once_it_is_shown_as_text(text):
    # "<!--" runs to the end: shown as text, the lines it held were a heading (a section on
    # the next import) or a table of entries (issue 17).
    from markdown_it import MarkdownIt

    safe = safety.block(text)
    assert safe != text
    tokens = MarkdownIt("commonmark").enable("table").parse(safe)
    assert {token.type for token in tokens if token.level == 0} <= {
        "paragraph_open",
        "paragraph_close",
        "inline",
    }
