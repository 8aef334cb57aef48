"""The checkers of the hostile-input tests can fail: each catches an unsafe sample."""

from __future__ import annotations

import pytest

from tests.security.inert import (
    active_markup,
    atom_active_markup,
    readme_active_markup,
    readme_outline,
)

UNSAFE_HTML = [
    "<p><script>alert(1)</script></p>",
    '<script src="https://evil.example/x.js"></script>',
    "<img src=x onerror=alert(1)>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<a href=" data:text/html,hi">x</a>',
    '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>x</a></svg>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
]


@pytest.mark.parametrize("html", UNSAFE_HTML)
def test_active_markup_is_found(html):
    assert active_markup(html)


def test_inert_html_and_own_scripts_pass():
    html = (
        '<p>&lt;script&gt;alert(1)&lt;/script&gt; <a href="https://example.org/?a=javascript:">'
        'ok</a></p><script src="/static/js/filter.js" defer></script>'
        '<script type="application/json" id="drf_csrf">{"csrfToken": "x"}</script>'
    )
    assert active_markup(html) == []
    assert active_markup('<script src="/static/js/filter.js"></script>', own_scripts=False)
    assert active_markup("<svg><a>x</a></svg>", own_scripts=False)


@pytest.mark.parametrize(
    "markdown",
    [
        "- [x](javascript:alert(1)) - y",
        "[x][1]\n\n[1]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "Text <img src=x onerror=alert(1)> text",
        "<script>alert(1)</script>",
    ],
)
def test_readme_checker_renders_trustingly_and_finds_active_markup(markdown):
    assert readme_active_markup(markdown)


def test_readme_outline_sees_an_item_broken_by_a_line_break():
    intact = readme_outline("## A\n\n- [Tool # Heading](https://x.example/1) - Text.\n")
    assert intact.headings == [(2, "A")]
    assert [item.text for item in intact.items] == ["Tool # Heading - Text."]
    broken = readme_outline("## A\n\n- [Tool\n# Heading](https://x.example/1) - Text.\n")
    assert broken.headings == [(2, "A"), (1, "Heading](https://x.example/1) - Text.")]
    assert broken.items_linking("https://x.example/") == []


def test_atom_checker_reads_the_html_bodies():
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title>'
        b'<summary type="html">&lt;img src=x onerror=alert(1)&gt;</summary></entry></feed>'
    )
    assert atom_active_markup(feed) == ["<img onerror='alert(1)'>"]
