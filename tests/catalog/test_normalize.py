from __future__ import annotations

import pytest

from catalog.normalize import normalize_url


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://example.com/a", "https://example.com/a"),
        ("https://EXAMPLE.com/a", "https://example.com/a"),
        ("https://www.example.com/a", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com/a?utm_source=x&utm_medium=y", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1&fbclid=z", "https://example.com/a?a=1&b=2"),
        ("https://github.com/Owner/Repo#readme", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://example.com/a#", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_same_link_written_differently_normalises_the_same(a, b):
    assert normalize_url(a) == normalize_url(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/A", "https://example.com/a"),  # paths are case-sensitive
        ("https://example.com/a?page=1", "https://example.com/a?page=2"),
        ("https://example.com/docs#install", "https://example.com/docs#usage"),
        ("https://example.com:8080/a", "https://example.com/a"),
        ("https://sub.example.com/a", "https://example.com/a"),
        ("ftp://example.com/a", "https://example.com/a"),
    ],
)
def test_different_links_stay_different(a, b):
    assert normalize_url(a) != normalize_url(b)


def test_empty_url_has_no_key():
    assert normalize_url("") == ""
    assert normalize_url("   ") == ""


def test_links_without_host_are_kept_as_written():
    assert normalize_url("mailto:someone@example.com") == "mailto:someone@example.com"
    assert normalize_url("01-intro") == "01-intro"


@pytest.mark.parametrize(
    "url",
    [
        "https://x.example.org:99999/",
        "https://x.example.org:k/",
        "https://[bad/",
        "https://[::1:8080/",
        "javascript:https://a:b",
    ],
)
def test_a_url_python_cannot_split_is_its_own_key_and_never_raises(url):
    assert normalize_url(url) == url


def test_a_unicode_host_and_its_idna_form_are_the_same_link():
    assert normalize_url("https://例え.jp/") == normalize_url("https://xn--r8jz45g.jp/")
    assert normalize_url("https://例え.jp/") == "xn--r8jz45g.jp"
    assert normalize_url("https://EXAMPLE.例え.jp/a") == "example.xn--r8jz45g.jp/a"


def test_an_ipv6_host_keeps_its_brackets_apart_from_its_port():
    assert normalize_url("https://[::1]:8080/x") == "[::1]:8080/x"
    assert normalize_url("https://[::1:8080]/x") != normalize_url("https://[::1]:8080/x")
