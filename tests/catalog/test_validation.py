"""catalog.validation: one set of rules for every way in, the database's own lengths, the same
answer on SQLite and PostgreSQL (run this module with DATABASE_URL=postgres://… too)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.export import export_files
from catalog.importer import ImportRefused, read_readme, store_document
from catalog.models import Entry, ExtraLink
from catalog.normalize import normalize_url
from catalog.validation import text_problem, url_problem
from tests.factories import CuratedListFactory, EntryFactory, SectionFactory

BAD_URLS = [
    ("https://x.example.org:99999/", "port"),
    ("https://x.example.org:k/", "port"),
    ("https://[bad/", "host"),
    ("https://[::1/", "host"),
    ("https://user:pass@example.org/", "password"),
    ("https://github.com@evil.example.net/", "user name"),
    ("https://a..example.org/", "domain name"),
    ("https://" + "a" * 64 + ".example/", "domain name"),
    ("https://exa mple.org/", "space"),
    ("https://example.org/\x00", "U+0000"),
    ("javascript:alert(1)", "must start with"),
    ("https://example.org/" + "a" * 2100, "at most 2048"),
]
GOOD_URLS = [
    "https://example.org/",
    "https://例え.jp/",
    "https://xn--r8jz45g.jp/",
    "https://[2001:db8::1]:8080/x",
    "ftp://ftp.example.org/pub",
    "https://en.wikipedia.org/wiki/X)_(Y",
    "https://example.org:65535/",
]


@pytest.mark.parametrize(("url", "message"), BAD_URLS)
def test_bad_urls_are_refused_in_words(url, message):
    assert message in url_problem(url)


@pytest.mark.parametrize("url", GOOD_URLS)
def test_good_urls_pass(url):
    assert url_problem(url) == ""


def test_a_plain_web_link_is_refused_where_only_other_schemes_are_allowed():
    assert "must start with one of ftp://" in url_problem("https://example.org/a", schemes={"ftp"})
    assert url_problem("HTTPS://Example.org/a", schemes={"https"}) == ""


@pytest.mark.parametrize(
    ("value", "multiline", "message"),
    [
        ("a\nb", False, "line break"),
        ("a\tb", False, "tab"),
        ("a\x1bb", True, "U+001B"),
        ("a\x85b", True, "U+0085"),
        ("a\u2028b", False, "U+2028"),
    ],
)
def test_control_characters_are_refused(value, multiline, message):
    assert message in text_problem(value, multiline=multiline)


def test_line_breaks_are_text_in_multiline_fields():
    assert text_problem("one\ntwo\r\n\tthree", multiline=True) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "message"), BAD_URLS[:-1])
def test_an_entry_with_a_bad_url_fails_full_clean_on_its_field(url, message):
    entry = Entry(section=SectionFactory(), title="T", url=url)
    entry.curated_list_id = entry.section.curated_list_id
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    # The URL field says why (PostgreSQL may add a constraint's word on the derived key).
    assert "url" in refused.value.message_dict
    assert refused.value.message_dict["url"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "A\nB"), ("title", "A\x00B"), ("title", "T" * 301), ("description", "A\x07B")],
)
def test_an_entry_with_a_bad_text_fails_full_clean_on_its_field(field, value):
    section = SectionFactory()
    entry = Entry(section=section, curated_list=section.curated_list, title="T", url="")
    setattr(entry, field, value)
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert list(refused.value.message_dict) == [field]


@pytest.mark.django_db
def test_an_extra_link_with_credentials_fails_full_clean():
    link = ExtraLink(entry=EntryFactory(), label="Demo", url="https://u:p@demo.example/")
    with pytest.raises(ValidationError) as refused:
        link.full_clean()
    assert "url" in refused.value.message_dict


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("readme", "kept"),
    [
        ("- [" + "T" * 301 + "](https://a.example/) - Long.", 1),
        ("- [T](https://a.example/" + "p" * 2100 + ") - Long URL.", 1),
        ("- [T](https://a.example/) - Tagged. ([" + "L" * 101 + "](https://l.example/))", 1),
    ],
)
def test_over_long_imported_values_are_refused_before_the_database(readme, kept):
    """SQLite would store them and PostgreSQL raise a DataError: both now refuse them first."""
    text = f"# Awesome Lengths\n\n## S\n\n- [Good](https://good.example/) - Fine.\n{readme}\n"
    doc, report = read_readme(text.encode())
    assert report.refused
    outcome = store_document(doc, slug="lengths")
    assert outcome.entries == kept


@pytest.mark.django_db(transaction=True)
def test_an_over_long_section_title_refuses_the_import():
    text = "# Awesome\n\n## " + "S" * 201 + "\n\n- [Good](https://good.example/) - Fine.\n"
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        read_readme(text.encode())


@pytest.mark.django_db
def test_an_imported_unicode_host_is_kept_as_written_and_is_a_duplicate_of_its_idna_form():
    text = "# Awesome\n\n## S\n\n- [Jp](https://例え.jp/) - Japanese.\n"
    doc, _ = read_readme(text.encode())
    store_document(doc, slug="idn")
    entry = Entry.objects.get(curated_list__slug="idn")
    assert entry.url == "https://例え.jp/"
    assert entry.normalized_url == normalize_url("https://xn--r8jz45g.jp/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["https://x.example.org:99999/", "https://[bad/", "javascript:https:k"]
)
def test_a_bad_link_already_in_a_section_description_does_not_take_the_readme_down(client, url):
    """Stored before the ways in refused it (or written in prose): the export still works."""
    curated_list = CuratedListFactory(slug="robust", intro=f"See [intro]({url}).")
    section = SectionFactory(curated_list=curated_list, description=f"See [this]({url}).")
    EntryFactory(section=section, url="https://ok.example/")
    Entry.objects.filter(section=section).update(url=url)  # as an old row would hold it
    files = export_files(curated_list)
    assert f"## {section.title}\n\nSee " in files["README.md"]
    response = client.get(reverse("catalog:list-readme", args=["robust"]))
    assert response.status_code == 200
