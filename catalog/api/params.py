"""The query parameters of the listings, described once: the OpenAPI schema is written from
these descriptions and the server refuses, with a 400 naming the parameter, every value they
do not allow (issue 17: clients generated from ``schema.yml`` must not send what the server
refuses, and the server must not quietly ignore what the schema calls invalid).

A parameter given twice is checked in every occurrence. An empty text filter means "no
filter" (its pattern allows the empty string); an empty number or choice is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request

from catalog.choices import EntryStatus
from catalog.models import LinkHealth

MAX_ID = 2**63 - 1  # the largest primary key either database stores
MAX_PAGE_SIZE = 500
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    kind: str = "string"  # "string" or "integer"
    pattern: str = ""  # a regular expression both Python and ECMAScript read the same way
    max_length: int | None = None
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def problem(self, value: str) -> ErrorDetail | None:
        """Why ``value`` is refused (with the code Django's form fields use), or ``None``."""
        if self.kind == "integer":
            if not _DIGITS.fullmatch(value):
                return ErrorDetail("A whole number is required.", "invalid")
            number = int(value)
            if self.minimum is not None and number < self.minimum:
                return ErrorDetail(f"Must be at least {self.minimum}.", "min_value")
            if self.maximum is not None and number > self.maximum:
                return ErrorDetail(f"Must be at most {self.maximum}.", "max_value")
            return None
        if self.enum and value not in self.enum:
            return ErrorDetail(
                f"Select one of: {', '.join(self.enum)} (not {value!r}).", "invalid_choice"
            )
        if self.max_length is not None and len(value) > self.max_length:
            return ErrorDetail(f"At most {self.max_length} characters.", "max_length")
        if self.pattern and not re.search(self.pattern, value):
            return ErrorDetail(_PATTERN_MESSAGES.get(self.pattern, "Not a valid value."), "invalid")
        return None

    def openapi(self) -> OpenApiParameter:
        schema: dict[str, object] = {"type": self.kind}
        if self.kind == "integer":
            schema["format"] = "int64"
        for key, value in (
            ("pattern", self.pattern),
            ("maxLength", self.max_length),
            ("enum", list(self.enum)),
            ("minimum", self.minimum),
            ("maximum", self.maximum),
        ):
            if value or value == 0:
                schema[key] = value
        return OpenApiParameter(
            self.name,
            schema,  # a raw schema: drf-spectacular writes it as it is
            location=OpenApiParameter.QUERY,
            required=False,
            description=self.description,
        )


# Text without a NUL character, which no database column may hold.
NO_NUL = r"^[^\x00]*$"
SLUG = r"^[-a-zA-Z0-9_]*$"
_PATTERN_MESSAGES = {
    NO_NUL: "Null characters are not allowed.",
    SLUG: "A slug: letters, digits, hyphens and underscores only.",
}

PAGINATION = (
    Param("page", "A page number (from 1); past the last page is a 404.", "integer", minimum=1),
    Param(
        "page_size",
        f"Results per page, from 1 to {MAX_PAGE_SIZE} (default 50).",
        "integer",
        minimum=1,
        maximum=MAX_PAGE_SIZE,
    ),
)

ENTRY_FILTERS = (
    Param(
        "list",
        "Slug of the list, e.g. awesome-python (empty: every list).",
        pattern=SLUG,
        max_length=100,
    ),
    Param(
        "section",
        "Id of a section: its entries and its subsections', including entries placed there "
        "from another section.",
        "integer",
        minimum=1,
        maximum=MAX_ID,
    ),
    Param("tag", "A tag's name (empty: any).", pattern=NO_NUL, max_length=100),
    Param("marker", "A marker's slug, e.g. must-read (empty: any).", pattern=SLUG, max_length=50),
    Param("q", "Words in title, description or URL.", pattern=NO_NUL, max_length=200),
    Param(
        "status",
        "Anonymous clients see published entries only; members see every state.",
        enum=tuple(EntryStatus.values),
    ),
    Param(
        "link",
        "The state of the last link check (unchecked: never checked).",
        enum=(*LinkHealth.State.values, "unchecked"),
    ),
    Param(
        "repository",
        "archived: archived repositories; stale: no commit for a long time.",
        enum=("archived", "stale"),
    ),
    Param(
        "proposals",
        "true: the proposed edits of published entries instead of the entries.",
        enum=("true", "false"),
    ),
)


def openapi(params: Sequence[Param]) -> list[OpenApiParameter]:
    return [param.openapi() for param in params]


def check_query(request: Request, params: Sequence[Param]) -> None:
    """Refuse (400, by parameter) a query value the schema does not allow."""
    errors: dict[str, list[ErrorDetail]] = {}
    for param in params:
        for value in request.query_params.getlist(param.name):
            problem = param.problem(value)
            if problem:
                errors.setdefault(param.name, []).append(problem)
    if errors:
        raise ValidationError(errors)
