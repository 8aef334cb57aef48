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
