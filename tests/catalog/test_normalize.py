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
