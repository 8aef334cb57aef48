"""Every API error as JSON with a message a person can act on.

    {"detail": "title: This field is required.", "code": "invalid",
     "errors": {"title": ["This field is required."]}}

``detail`` is always one sentence (the first problem when there are several), ``code`` a
stable word for scripts, ``errors`` the per-field messages of a 400. Django's own
``ValidationError`` (what models and the workflow services raise) becomes a 400 here; the
services' refusals of a state change are turned into 409 by the write views in ``curation.api``
before they reach this handler.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """The request is valid but the resource is not in a state that allows it (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The entry is not in a state that allows this."
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    response.data = error_body(exc)
    return response


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    detail = exc.detail
    codes = exc.get_codes()
    if isinstance(detail, (dict, list)):
        place, message, code = _first(detail, codes)
        body: dict[str, Any] = {
            "detail": f"{place}: {message}" if place and place != "non_field_errors" else message,
            "code": code or "invalid",
        }
        body["errors"] = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        return body
    return {"detail": str(detail), "code": str(codes)}


def _first(detail: Any, codes: Any, place: str = "") -> tuple[str, str, str]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            sub = codes.get(key) if isinstance(codes, dict) else None
            if isinstance(key, int):  # a ListSerializer reports {index: errors}
                return _first(value, sub, f"{place}[{key}]")
            return _first(value, sub, f"{place}.{key}" if place else str(key))
    if isinstance(detail, list):
        for index, item in enumerate(detail):
            if item:  # nested serializers report {} for the items without errors
                sub = codes[index] if isinstance(codes, list) and len(codes) > index else codes
                return _first(item, sub, f"{place}[{index}]" if isinstance(item, dict) else place)
    return place, str(detail), str(codes or "")
