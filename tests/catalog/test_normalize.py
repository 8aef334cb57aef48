from __future__ import annotations

import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.normalize import _split_key, normalize_url


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


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "HTTPS://WWW.Example.COM./Docs/",
        "http://www./a",
        "https://www.GitHub.com/Owner/Repo.GIT/",
        "https://github.com/owner/repo.git.git",
        "https://gitlab.com/Owner/Repo.git",
        "https://example.com//a//",
        "https://example.com/a;b,c/d(e)",
        "https://example.com/été",
        "https://example.com/a%2Fb",
        "https://example.com/a?b=1",
        "https://example.com/a#Readme",
        "https://user@example.com/a",
        "https://example.com:443/a",
        "https://例え.jp/a",
        "https://ex_ample.com/a",
        "ftp://example.com/a",
    ],
)
def test_the_quick_reading_of_plain_web_links_gives_the_full_readings_key(url):
    # normalize_url reads plain web links without urlsplit; the key must not change.
    assert normalize_url(url) == _split_key(url)


@given(
    st.builds(
        operator.add,
        st.sampled_from(["http://", "https://", "HtTpS://"]),
        st.text(alphabet="aZ09.-/:?#%\\ _~é@[]w", max_size=16),
    )
)
def test_any_web_link_gets_the_full_readings_key(url):
    assert normalize_url(url) == (_split_key(url.strip()) if url.strip() else "")
