"""drf-spectacular additions: the list document's JSON Schema as OpenAPI components, and the
error body every endpoint answers with."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from catalog.document_schema import OPENAPI_PREFIX, openapi_components

LIST_DOCUMENT_REF = {"$ref": f"#/components/schemas/{OPENAPI_PREFIX}"}


def add_list_document_components(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS entry: ``/api/lists/{slug}/document/`` refers to these."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(openapi_components())
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in one sentence.")
    code = serializers.CharField(help_text="A stable word for scripts, e.g. not_found.")
    errors = serializers.DictField(
        required=False,
        child=serializers.JSONField(),
        help_text="A 400's messages by field.",
    )


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


READ_ERRORS = {
    404: error("No such list, entry or page (or not one you may see)."),
    429: error("Throttled."),
}
INVALID = error("A filter value is not valid; `errors` says which.")


# --- OpenAPI links: how a client (and schemathesis' stateful phase) goes from one answer to
# the next operation with real slugs and ids, instead of guessing them ---------------------

ENTRY_ACTIONS = (
    "entries_submit_create",
    "entries_approve_create",
    "entries_request_changes_create",
    "entries_reject_create",
    "entries_comment_create",
    "entries_publish_create",
    "entries_unpublish_create",
    "entries_archive_create",
)
_REVISIONED = {
    "entries_submit_create",
    "entries_approve_create",
    "entries_request_changes_create",
    "entries_reject_create",
    "entries_publish_create",
}


def _entry_links(entry: str) -> dict[str, Any]:
    """Links from an answer holding an entry at the JSON pointer ``entry``."""
    links: dict[str, Any] = {
        "GetEntry": {"operationId": "entries_retrieve", "parameters": {"id": f"{entry}/id"}}
    }
    for operation in ENTRY_ACTIONS:
        link: dict[str, Any] = {"operationId": operation, "parameters": {"id": f"{entry}/id"}}
        if operation in _REVISIONED:  # the revision just read, so that it is not stale
            link["requestBody"] = {"revision": f"{entry}/revision"}
        name = "".join(word.title() for word in operation.removesuffix("_create").split("_"))
        links[name.removeprefix("Entries") + "Entry"] = link
    return links


def _list_links(slug: str) -> dict[str, Any]:
    return {
        "GetList": {"operationId": "lists_retrieve", "parameters": {"slug": slug}},
        "GetSections": {"operationId": "lists_sections_list", "parameters": {"slug": slug}},
        "GetDocument": {"operationId": "lists_document_retrieve", "parameters": {"slug": slug}},
        "GetEntriesOfList": {"operationId": "entries_list", "parameters": {"list": slug}},
        "SubmitEntry": {"operationId": "lists_submissions_create", "parameters": {"slug": slug}},
    }


LINKS: dict[tuple[str, str, str], dict[str, Any]] = {
    ("/api/lists/", "get", "200"): _list_links("$response.body#/results/0/slug"),
    ("/api/lists/{slug}/", "get", "200"): _list_links("$response.body#/slug"),
    ("/api/lists/{slug}/sections/", "get", "200"): {
        "SubmitToSection": {
            "operationId": "lists_submissions_create",
            "parameters": {"slug": "$request.path.slug"},
            "requestBody": {"section": "$response.body#/0/id"},
        },
        "GetEntriesOfSection": {
            "operationId": "entries_list",
            "parameters": {"section": "$response.body#/0/id"},
        },
    },
    ("/api/entries/", "get", "200"): _entry_links("$response.body#/results/0"),
    ("/api/entries/{id}/", "get", "200"): _entry_links("$response.body#"),
    ("/api/lists/{slug}/submissions/", "post", "201"): _entry_links("$response.body#"),
    **{
        (f"/api/entries/{{id}}/{action}/", "post", "200"): _entry_links("$response.body#")
        for action in (
            "submit",
            "approve",
            "request-changes",
            "reject",
            "comment",
            "publish",
            "unpublish",
            "archive",
        )
    },
}


def add_links(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS entry: the links above, on the responses they start from."""
    paths = result.get("paths", {})
    for (path, method, status), links in LINKS.items():
        response = paths[path][method]["responses"][status]
        response["links"] = links
    return result
