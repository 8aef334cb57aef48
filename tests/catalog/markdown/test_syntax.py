"""The speed-ups of the parse must not change it: the fast paths give what the slow paths give."""

from __future__ import annotations

import pytest
from markdown_it.common.normalize_url import normalizeLink

from catalog.markdown import inline
from catalog.markdown.links import prose_link_count
from catalog.markdown.parse import parse_readme
from catalog.markdown.syntax import MD, parse_tree, split_url

URLS = [
    "https://github.com/owner/repo",
    "http://example.org/a/b?x=1&y=2#frag",
    "https://example.org",
    "https://example.org?q",
    "https://www.example.org/%20space",
    "https://example.org/%zz",
    "https://example.org/%2",
    "https://example.org/a b",
    "https://example.org/[x]",
    "https://example.org/a|b",
    "https://example.org/ü",
    "https://bücher.example/",
    "https://EXAMPLE.org/Path",
    "HTTPS://example.org/",
    "https://user:pass@example.org/",
    "https://example.org:8080/",
    "https://[::1]/x",
    "https://" + "a" * 64 + ".org/",
    "https://" + ".".join(["a" * 63] * 5) + "/",
    "https://a..b/",
    "#anchor",
    "#ünchor",
    "#a b",
    "mailto:me@example.org",
    "contributing.md",
    "//example.org/x",
    "javascript:alert(1)",
    "",
]


@pytest.mark.parametrize("url", URLS)
def test_normalize_link_fast_path_agrees(url: str) -> None:
    if url == "https://bücher.example/":
        # The one deliberate difference: a Unicode host is kept as written (issue 17).
        assert normalizeLink(url) == "https://xn--bcher-kva.example/"
        assert MD.normalizeLink(url) == url
        return
    assert MD.normalizeLink(url) == normalizeLink(url)


def test_a_unicode_host_is_kept_and_only_the_rest_encoded() -> None:
    assert MD.normalizeLink("https://例え.jp/パス") == "https://例え.jp/%E3%83%91%E3%82%B9"
    assert MD.normalizeLink("https://xn--r8jz45g.jp/") == "https://xn--r8jz45g.jp/"


SAMPLES = [
    "- [Title](https://example.org) - Text with https://bare.example/x and <https://auto.example>.",
    "- [a ![i](https://img.example/b.svg)](https://link.example) [b](#anchor) HTTP://UP.example",
    "- [x\\](y)](https://example.org) text http\\://not.a.link and [r][ref]\n\n[ref]: https://r.example",
    "| a | b |\n| - | - |\n| [c](https://c.example) | https://d.example |",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_link_urls_agrees_with_the_node_tree(text: str) -> None:
    for node in parse_tree(text).walk():
        if node.type == "inline":
            tokens = node.token.children
            built = [link.url for link in inline.walk_links(inline.build(tokens))]
            assert inline.link_urls(tokens) == built


def test_prose_links_written_with_entities_are_counted() -> None:
    text = (
        "# Awesome X\n\n> Tagline.\n\n## Tools\n\n"
        "- [A](https://a.example) - See [docs](&#104;ttps://docs.example) too.\n"
        "- [B](https://b.example) - See [more](HTTPS://MORE.example).\n"
        "- [C](https://c.example) - Nothing linked.\n"
    )
    doc, report = parse_readme(text)
    assert report.prose_links == prose_link_count(doc) == 2


@pytest.mark.parametrize(
    ("url", "netloc", "path"),
    [
        ("https://[bad/x", "", "https://[bad/x"),  # urlsplit: "Invalid IPv6 URL"
        ("http://[2001:db8::1/", "", "http://[2001:db8::1/"),
        ("http://[2001:db8::1]/a", "[2001:db8::1]", "/a"),
        ("https://www.example.org/p", "www.example.org", "/p"),
    ],
)
def test_split_url_never_raises(url, netloc, path):
    parts = split_url(url)
    assert (parts.netloc, parts.path) == (netloc, path)


def test_a_bare_url_with_a_bad_bracketed_host_under_an_entry_imports():
    """Issue 17: the sub-item ``https://[bad/x`` raised ``ValueError: Invalid IPv6 URL`` in
    parse_readme (the label of a bare-URL extra link is its host)."""
    text = "# A\n\n## S\n\n- [T](https://a.example/) - D.\n  - https://[bad/x\n"
    doc, _ = parse_readme(text)
    (entry,) = doc.sections[0].entries
    # The URL as markdown-it reads ``[…](https://[bad/x)``, the form the export writes it in.
    assert [(link.label, link.url) for link in entry.extra_links] == [
        ("https://[bad/x", "https://%5Bbad/x")
    ]
