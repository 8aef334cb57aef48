"""The one place that decides whether a value from outside can be stored.

Every way in calls it: the admin and the API (through the model fields' validators and the
models' ``clean()``, which ``full_clean()`` runs), the public suggestion form, the README
import (``document_problems``) and the README sync (``document_problems`` or
``entry_problems``). The limits are the database's own (read from the models), so a value
SQLite would store and PostgreSQL would refuse with a ``DataError`` is refused here first, in
words, on both.

What is refused, and why:

- a URL longer than the column, with whitespace or a control character, that Python cannot
  split (a bad bracketed host) or whose port is not a number from 0 to 65535
  (``https://x.example.org:99999/``, ``…:k/``): one such link took the README export down;
- a URL with credentials (``https://user:pass@host/``): a password published in a README, or a
  link that shows one host and goes to another (``https://github.com@evil.example/``);
- a URL whose host is not a host name (empty label, label over 63 characters, not encodable
  with IDNA) or whose scheme is not one of the way in's;
- a control character in any text (a newline, too, in a one-line field such as a title): it
  breaks the Atom feeds (XML has no place for it) and the notification mails' headers, and
  nobody reviewing it can see it;
- text longer than its column.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models

from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc
from catalog.normalize import SIMPLE_WEB_URL, ascii_hostname

URL_MAX_LENGTH = 2048
WEB_SCHEMES = frozenset({"http", "https"})
# What the admin and the API accept (Django's URLField default schemes minus ftps).
LINK_SCHEMES = frozenset({"http", "https", "ftp"})
# Schemes without a host that the importer reads as links (entries.is_absolute).
HOSTLESS_SCHEMES = frozenset({"mailto", "irc", "ircs", "xmpp", "magnet", "news", "tel"})

# C0 and C1 controls and DEL; multi-line text may hold tabs and line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


def _describe(char: str) -> str:
    name = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab"}.get(char)
    return name or f"the control character U+{ord(char):04X}"


def text_problem(value: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    """Why ``value`` cannot be stored in a text column ("" when it can)."""
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    if found:
        return f"It contains {_describe(found.group())} (position {found.start() + 1})."
    if _SURROGATE.search(value):
        return "It contains an unpaired surrogate, which is not text."
    if max_length is not None and len(value) > max_length:
        return f"It has {len(value)} characters; at most {max_length} are allowed."
    return ""


def host_problem(host: str) -> str:
    """Why ``host`` (as ``urlsplit`` gives it: lower-cased, no brackets) is not a host name."""
    if not host:
        return "It has no host."
    if ":" in host:  # an IPv6 literal; urlsplit has checked its brackets
        return (
            "" if re.fullmatch(r"[0-9a-f:.]+(%[\w.~-]+)?", host) else "Its IPv6 host is malformed."
        )
    try:
        ascii_host = ascii_hostname(host)
    except UnicodeError:
        return f"Its host “{host}” is not a valid domain name."
    labels = ascii_host.rstrip(".").split(".")
    if len(ascii_host) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        return f"Its host “{host}” is not a valid domain name."
    return ""


def url_problem(
    value: str, *, schemes: Iterable[str] = LINK_SCHEMES, max_length: int = URL_MAX_LENGTH
) -> str:
    """Why ``value`` cannot be stored as a link ("" when it can; an empty value is for the
    field's ``blank`` to decide)."""
    if not value:
        return ""
    if len(value) > max_length:
        return f"It has {len(value)} characters; a URL may have at most {max_length}."
    forbidden = _URL_FORBIDDEN.search(value)
    if forbidden:
        what = "a space" if forbidden.group() == " " else _describe(forbidden.group())
        return f"It contains {what} (position {forbidden.start() + 1}); encode it as %XX."
    if _SURROGATE.search(value):
        return "It contains an unpaired surrogate, which is not text."
    allowed = frozenset(schemes)
    simple = SIMPLE_WEB_URL.fullmatch(value)
    if simple is not None and simple["scheme"].lower() in allowed:
        # A host, no user, no port: of what follows, only the host needs a look.
        return host_problem(simple["host"].lower())
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:
        message = str(error)
        if "Port" in message or "port" in message:
            return "Its port is not a number from 0 to 65535."
        return "Its host is malformed (an unclosed or misplaced [ or ])."
    scheme = parts.scheme.lower()
    if scheme not in allowed:
        names = ", ".join(f"{name}://" for name in sorted(allowed))
        return f"It must start with one of {names}." if parts.scheme else "It has no scheme."
    if scheme in HOSTLESS_SCHEMES:
        return ""
    if not parts.netloc:
        return "It has no host."
    if "@" in parts.netloc:
        return "It contains a user name or password (user:pass@…); links may not."
    if port == 0:
        return "Its port is not a number from 1 to 65535."
    return host_problem(parts.hostname or "")


# --- Django validators (model fields, forms, serializers) --------------------------------


def validate_link(value: str) -> None:
    """A model field's validator: ``url_problem`` with the admin's and the API's schemes."""
    problem = url_problem(value)
    if problem:
        raise ValidationError(f"Enter a valid URL. {problem}", code="invalid_link")


def validate_web_link(value: str) -> None:
    """As ``validate_link``, http(s) only (the public suggestion form)."""
    problem = url_problem(value, schemes=WEB_SCHEMES)
    if problem:
        raise ValidationError(f"Enter a valid URL. {problem}", code="invalid_link")


def validate_one_line(value: str) -> None:
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, code="control_character")


def validate_multiline(value: str) -> None:
    problem = text_problem(value, multiline=True)
    if problem:
        raise ValidationError(problem, code="control_character")


def clean_fields_and_text(
    instance: models.Model, exclude: Iterable[str] | None, clean_fields: Callable[..., None]
) -> None:
    """A model's ``clean_fields``: Django's checks (lengths, choices, the URL validators),
    then the control characters of its text fields, each error on its field. A ``TextField``
    may hold line breaks and tabs, a ``CharField`` may not. Fields ``full_clean`` was told
    to exclude (not in the form) are left alone, as Django leaves them."""
    errors: dict[str, list[str]] = {}
    try:
        clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.message_dict
    skip = set(exclude or ())
    for field in instance._meta.concrete_fields:
        if (
            field.name in skip
            or field.name in errors
            or not isinstance(field, models.CharField | models.TextField)
            or isinstance(field, models.URLField)  # its validator says more
        ):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or not value:
            continue
        problem = text_problem(value, multiline=isinstance(field, models.TextField))
        if problem:
            errors[field.name] = [problem]
    if errors:
        raise ValidationError(errors)


# --- Documents (import, sync) -------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """The column lengths a document must fit (``limits()`` reads them from the models)."""

    list_title: int = 200
    tagline: int = 1000
    licence: int = 100
    section_title: int = 200
    section_slug: int = 200
    entry_title: int = 300
    link_label: int = 100
    marker_symbol: int = 40
    marker_slug: int = 50
    marker_label: int = 200
    footer_title: int = 200
    tag: int = 100
    url: int = URL_MAX_LENGTH


def limits() -> Limits:
    from taggit.models import Tag

    from catalog.models import CuratedList, Entry, ExtraLink, FooterBlock, Marker, Section

    def length(model: type[models.Model], name: str) -> int:
        value = model._meta.get_field(name).max_length  # type: ignore[union-attr]
        assert isinstance(value, int)
        return value

    return Limits(
        list_title=length(CuratedList, "title"),
        tagline=length(CuratedList, "tagline"),
        licence=length(CuratedList, "license"),
        section_title=length(Section, "title"),
        section_slug=length(Section, "slug"),
        entry_title=length(Entry, "title"),
        link_label=length(ExtraLink, "label"),
        marker_symbol=length(Marker, "symbol"),
        marker_slug=length(Marker, "slug"),
        marker_label=length(Marker, "label"),
        footer_title=length(FooterBlock, "title"),
        tag=length(Tag, "name"),
        url=length(Entry, "url"),
    )


# Import reads these schemes as links (mailto: and the like in real lists).
IMPORT_SCHEMES = LINK_SCHEMES | {"ftps"} | HOSTLESS_SCHEMES


@dataclass(frozen=True)
class Problem:
    """A value of a document that cannot be stored: ``where`` names it as a person finds it
    in the README (section path › entry title › field)."""

    where: str
    message: str
    # True: only this entry is refused and the rest can be imported; False: the list itself
    # (a section, the legend, the footer) is wrong and nothing is imported.
    entry_only: bool
    url: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def entry_problems(
    entry: EntryDoc, where: str = "", *, bounds: Limits | None = None
) -> list[Problem]:
    """Why ``entry`` cannot be stored (the README sync calls this per changed entry)."""
    bounds = bounds or limits()
    name = f"{where} › {entry.title[:60]}" if where else entry.title[:60]
    found: list[Problem] = []

    def text(field: str, value: str, max_length: int, *, multiline: bool = False) -> None:
        problem = text_problem(value, max_length=max_length, multiline=multiline)
        if problem:
            found.append(Problem(f"{name} › {field}", problem, True, entry.url))

    def link(field: str, value: str) -> None:
        problem = url_problem(value, schemes=IMPORT_SCHEMES, max_length=bounds.url)
        if problem:
            found.append(Problem(f"{name} › {field}", problem, True, entry.url))

    text("title", entry.title, bounds.entry_title)
    link("URL", entry.url)
    text("description", entry.description, 1_000_000, multiline=True)
    text("text before it", entry.lead_in, 1_000_000, multiline=True)
    for extra in entry.extra_links:
        text(f"link “{extra.label[:40]}”", extra.label, bounds.link_label)
        link(f"link “{extra.label[:40]}”", extra.url)
    for tag in entry.tags:
        text(f"tag “{tag[:40]}”", tag, bounds.tag)
    for marker in entry.markers:
        text(f"marker “{marker[:40]}”", marker, bounds.marker_symbol)
    return found


def document_problems(doc: ListDoc, *, bounds: Limits | None = None) -> list[Problem]:
    """Every value of ``doc`` that cannot be stored, in README order."""
    bounds = bounds or limits()
    return list(_document_problems(doc, bounds))


def _document_problems(doc: ListDoc, bounds: Limits) -> Iterator[Problem]:
    def text(
        where: str, value: str, max_length: int, *, multiline: bool = False
    ) -> Iterator[Problem]:
        problem = text_problem(value, max_length=max_length, multiline=multiline)
        if problem:
            yield Problem(where, problem, False)

    yield from text("the list's title", doc.title, bounds.list_title)
    yield from text("the tagline", doc.tagline, bounds.tagline)
    yield from text("the introduction", doc.intro, 10_000_000, multiline=True)
    yield from text("the licence", doc.license, bounds.licence)
    if doc.repository_url:
        problem = url_problem(doc.repository_url, schemes=WEB_SCHEMES, max_length=bounds.url)
        if problem:
            yield Problem("the repository URL", problem, False)
    for marker in doc.markers:
        where = f"the legend › “{marker.symbol[:40]}”"
        yield from text(where, marker.symbol, bounds.marker_symbol)
        yield from text(where, marker.slug, bounds.marker_slug)
        yield from text(where, marker.label, bounds.marker_label)
    for block in doc.footer:
        yield from text(f"the footer › “{block.title[:60]}”", block.title, bounds.footer_title)
        yield from text(
            f"the footer › “{block.title[:60]}”", block.body, 10_000_000, multiline=True
        )
    yield from _section_problems(doc.sections, "", bounds)


def _section_problems(
    sections: tuple[SectionDoc, ...], path: str, bounds: Limits
) -> Iterator[Problem]:
    for section in sections:
        where = f"{path} › {section.title[:60]}" if path else f"section “{section.title[:60]}”"
        for field, value, max_length in (
            ("title", section.title, bounds.section_title),
            ("anchor", section.slug, bounds.section_slug),
        ):
            problem = text_problem(value, max_length=max_length)
            if problem:
                yield Problem(f"{where} › {field}", problem, False)
        for field, value in (("description", section.description), ("outro", section.outro)):
            problem = text_problem(value, multiline=True)
            if problem:
                yield Problem(f"{where} › {field}", problem, False)
        for entry in section.entries:
            yield from entry_problems(entry, where, bounds=bounds)
        yield from _section_problems(section.children, where, bounds)


@dataclass(frozen=True)
class Screened:
    """A document with the entries that cannot be stored taken out (``refused``: why, one
    problem per value) and what makes the whole document unstorable (``fatal``)."""

    doc: ListDoc
    refused: tuple[Problem, ...]
    fatal: tuple[Problem, ...]


def screen(doc: ListDoc, *, bounds: Limits | None = None) -> Screened:
    """``doc`` ready to store: entries with a bad value are taken out and named; a bad value
    elsewhere (a section title, the legend, the footer) is ``fatal``."""
    bounds = bounds or limits()
    refused: list[Problem] = []

    def prune(sections: tuple[SectionDoc, ...], path: str) -> tuple[SectionDoc, ...]:
        kept = []
        for section in sections:
            where = f"{path} › {section.title[:60]}" if path else f"section “{section.title[:60]}”"
            entries = []
            for entry in section.entries:
                found = entry_problems(entry, where, bounds=bounds)
                if found:
                    refused.extend(found)
                else:
                    entries.append(entry)
            kept.append(
                dataclasses.replace(
                    section, entries=tuple(entries), children=prune(section.children, where)
                )
            )
        return tuple(kept)

    pruned = dataclasses.replace(doc, sections=prune(doc.sections, ""))
    fatal = tuple(
        problem for problem in document_problems(doc, bounds=bounds) if not problem.entry_only
    )
    return Screened(pruned, tuple(refused), fatal)
