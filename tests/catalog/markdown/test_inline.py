"""Inline nodes as the importer reads them (catalog.markdown.inline)."""

from __future__ import annotations

from catalog.markdown.inline import Link, Text, build, link_urls, walk_links
from catalog.markdown.links import urls_in_markdown
from catalog.markdown.syntax import MD


def inline_tokens(markdown: str):
    return MD.parseInline(markdown)[0].children


def test_a_url_in_a_links_text_is_no_link_of_its_own() -> None:
    # GFM links no URL inside a link's text: the contents line of a heading that is a URL
    # was read as a link to the URL, and the table of contents as a list of entries.
    tokens = inline_tokens("[https://tea.example/](#httpsteaexample) and https://b.example/")
    assert [link.url for link in walk_links(build(tokens))] == [
        "#httpsteaexample",
        "https://b.example/",
    ]
    assert link_urls(tokens) == ["#httpsteaexample", "https://b.example/"]
    assert urls_in_markdown("[https://tea.example/](#a)") == ["#a"]


def test_a_bare_url_is_normalised_as_a_markdown_link() -> None:
    # Written back as ``[…](http://%5Bbad/…)``, a bare ``http://[bad/…`` came back encoded.
    nodes = build(inline_tokens("see http://[bad/パス now"))
    assert nodes[1] == Link(
        "http://%5Bbad/%E3%83%91%E3%82%B9", [Text("http://[bad/パス")], form="bare"
    )


def test_code_spans_are_padded_only_where_commonmark_strips() -> None:
    from catalog.markdown.inline import Code, code_span, render

    # A span of spaces is kept as it is: padded, it grew by two spaces on every import.
    for value in (" ", "   ", " a ", "`", "a", " a"):
        written = code_span(value)
        assert build(inline_tokens(written)) == [Code(value)], written
        assert render([Code(value)]) == written
    assert code_span(" ") == "` `"
