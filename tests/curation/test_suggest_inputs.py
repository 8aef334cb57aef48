"""The public suggestion form refuses, as a form error naming the field, every value the
database or the README could not hold: never a 500 (issue 17)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalog.models import Entry
from tests.factories import CuratedListFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the rate limit counts per address in the cache
    yield
    cache.clear()


@pytest.fixture
def section():
    return SectionFactory(curated_list=CuratedListFactory(slug="py"), title="Web")


def suggest(client, section, **changes):
    data = {
        "url": "https://bottlepy.org/",
        "title": "Bottle",
        "description": "A fast, simple micro framework.",
        "section": section.pk,
        "email": "",
        "homepage": "",
    }
    data.update(changes)
    return client.post(reverse("suggest:create", args=["py"]), data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "https://x.example.org:99999/", "valid URL"),
        ("url", "https://x.example.org:k/", "valid URL"),
        ("url", "https://[bad/", "valid URL"),
        ("url", "https://[::1/", "valid URL"),
        ("url", "https://user:pass@example.org/", "password"),
        ("url", "https://github.com@evil.example.net/", "user name"),
        ("url", "https://a..example.org/", "valid URL"),
        ("url", "https://example.org/" + "a" * 2100, "characters"),
        ("title", "Bottle\nframework", "line break"),
        ("title", "Bottle\x07", "U+0007"),
        ("title", "B" * 121, "at most 120"),
        ("description", "Fast\x1b[31m and red.", "U+001B"),
        ("description", "x" * 501, "at most 500"),
    ],
)
def test_a_bad_value_is_an_error_on_its_field_never_a_500(client, section, field, value, message):
    response = suggest(client, section, **{field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Entry.objects.exists()


def test_a_unicode_host_is_suggested_as_written_and_its_idna_form_is_a_duplicate(client, section):
    assert suggest(client, section, url="https://例え.jp/").status_code == 302
    assert Entry.objects.get().url == "https://例え.jp/"
    again = suggest(client, section, url="https://xn--r8jz45g.jp/", title="Again")
    assert again.status_code == 200
    assert "already suggested" in " ".join(again.context["form"].errors["url"])
